// The shared set-up of a studio test file: one static server for dist/ under a GitHub-Pages-style
// sub-path and one headless Chromium, started before the file's tests and closed after them.
// `server` and `browser` are live bindings: import them and call `useStudio()` once at the top level.
import { before, after } from 'node:test';
import { serve } from './server.mjs';
import { launch, DIST } from './browser.mjs';

export const PREFIX = '/sub/asl-studio/';

/** The running server (`server.url` is the studio's address); set once the file's `before` ran. */
export let server;
/** The launched browser; set once the file's `before` ran. */
export let browser;

/** Registers the file's `before`/`after` hooks; `extra` adds fixed routes next to dist/. */
export function useStudio(extra) {
  before(async () => {
    server = await serve(DIST, PREFIX, extra);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
}
