// Smoke test: the built studio loads from a sub-path with no console errors and draws the default machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, screenshot } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

useStudio();

test('studio loads with no console errors and renders the default machine as SVG', async () => {
  const { page, errors, context } = await newPage(browser);
  const studio = new StudioPage(page, server.url);
  await studio.goto();
  const names = await studio.stateNames();
  assert.ok(names.length >= 2, `expected at least two states, got ${JSON.stringify(names)}`);
  const box = await studio.stateNodes().first().locator('rect').first().boundingBox();
  assert.ok(box && box.width > 20 && box.height > 10, 'state box has a size');
  await screenshot(page, 'smoke-default');
  assert.deepEqual(errors, []);
  await context.close();
});
