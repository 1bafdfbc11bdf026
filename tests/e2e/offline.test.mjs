// The service worker: a studio visited once opens again without network, from a sub-path, with
// trunk's hashed file names; share links open offline too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { newPage, screenshot, DIST } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

useStudio();

/** Waits until the service worker controls the page and returns its scope and cached URLs. */
async function waitControlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const cache = await caches.open('asl-studio-v1');
    return { scope: reg.scope, cached: (await cache.keys()).map((r) => r.url).sort() };
  });
}

test('a visited studio opens offline, from its sub-path', async () => {
  const { page, errors, context } = await newPage(browser);
  const studio = new StudioPage(page, server.url);
  await studio.goto();
  const { scope, cached } = await waitControlled(page);
  assert.equal(scope, server.url, 'the worker is scoped to the studio folder');
  // The page and every file it refers to (hashed names as trunk wrote them) are cached. Trunk
  // writes the 64-bit hash in hex without leading zeros, so a name may carry fewer than 16 digits.
  const html = fs.readFileSync(`${DIST}/index.html`, 'utf8');
  const hashed = fs.readdirSync(DIST).filter((f) => /-[0-9a-f]{12,16}(_bg)?\.\w+$/.test(f) && html.includes(f));
  assert.ok(hashed.some((f) => f.endsWith('.wasm')), 'the wasm is hashed');
  for (const f of hashed) assert.ok(cached.includes(server.url + f), `${f} is cached`);
  assert.ok(cached.includes(server.url), 'the page is cached');
  assert.ok(cached.includes(`${server.url}gen/editor.js`), 'the editor bundle is cached');

  await studio.newDocument('credit-limit');
  await studio.stateNodes().filter({ hasText: 'Get credit limit' }).first().waitFor();
  await page.getByTestId('share-link').click();
  const link = await page.getByTestId('share-url').inputValue();
  await page.getByTestId('share-close').click();

  await context.setOffline(true);
  // (A URL outside the worker's scope: inside it, the worker answers from its cache.)
  const offline = await page.evaluate(() => fetch('/outside-the-studio').then(() => 'online', () => 'offline'));
  assert.equal(offline, 'offline', 'the network is really gone');
  errors.length = 0; // that failed request is the only one allowed
  await studio.goto();
  await studio.stateNodes().filter({ hasText: 'Get credit limit' }).first().waitFor();
  await studio.mode('code');
  await studio.codePanel.waitReady();
  assert.match(await studio.codePanel.text(), /Get credit limit/);
  await studio.mode('design');

  // A share link opens offline too: it is all in the fragment.
  await page.goto('about:blank');
  await page.goto(link);
  await page.getByTestId('notice').filter({ hasText: 'Opened the shared document' }).waitFor();
  await screenshot(page, 'offline-share-link');
  assert.deepEqual(errors, []);
  await context.close();
});
