// Launches Debian Chromium headless through playwright-core and collects console errors per page.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../../..');
export const DIST = path.join(ROOT, 'dist');
export const SHOTS = path.join(ROOT, 'tests/e2e/screenshots');

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, headless: true });
}

/** A fresh context + page that records console errors and page errors. */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return { context, page, errors };
}

export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/**
 * A screenshot the README shows (`docs/<name>.png`): always written with the test screenshots
 * (as `docs-<name>.png`), and into docs/ when ASL_DOCS_SCREENSHOTS=1, so the README images come
 * from an e2e run of the current app (see ARCHITECTURE.md, Testing) without every run rewriting them.
 */
export async function docsScreenshot(page, name) {
  await screenshot(page, `docs-${name}`);
  if (process.env.ASL_DOCS_SCREENSHOTS === '1') {
    fs.copyFileSync(path.join(SHOTS, `docs-${name}.png`), path.join(ROOT, 'docs', `${name}.png`));
  }
}
