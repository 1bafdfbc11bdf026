// Runs the wasm build in headless Debian Chromium through playwright-core.
//   node chromium.mjs plan PKG_WEB_DIR PLAN.json [SECTIONS]
//       PKG_WEB_DIR holds the `wasm-bindgen --target web` output of asl-wasm; prints the results.
//   node chromium.mjs editor DIST_DIR MACHINE.json MARKER KEYSTROKES
//       Loads the built studio, puts MACHINE.json in the code editor, places the caret after the
//       first MARKER and types KEYSTROKES characters, one at a time. For each, it measures from
//       the keydown event to the first change of the graph, of the problems list and of the code
//       editor's lint markers (`data-lint-rev`), to the last of the three (`all`), and to the next
//       animation frame after it.
//   node chromium.mjs runmap DIST_DIR MACHINE.json INPUT.json
//       Loads the built studio, opens MACHINE.json, runs it in Run mode (Express, unmocked tasks
//       echo their input) with INPUT.json, and measures whether the page keeps painting during
//       the run (animation frames, long tasks) and how long the views take to open afterwards:
//       each from the click to the next animation frame after the view is in the DOM.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };

function serve(root, extra = {}) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (extra[url]) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(extra[url]); return; }
    let file = path.join(root, url);
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const [mode, ...rest] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, headless: true });
const version = browser.version();
const errors = [];
try {
  if (mode === 'plan') {
    const [pkgDir, planFile, only = ''] = rest;
    const root = path.resolve(pkgDir);
    const server = await serve(root, { '/bench.html': '<!doctype html><meta charset="utf-8"><title>bench</title>' });
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
    const plan = fs.readFileSync(planFile, 'utf8');
    const out = await page.evaluate(async ({ plan, only }) => {
      const m = await import('/asl_wasm.js');
      await m.default();
      return m.bench_plan(plan, only, undefined);
    }, { plan, only });
    const res = JSON.parse(out);
    res.env = { chromium: version, errors };
    process.stdout.write(JSON.stringify(res) + '\n');
    server.close();
  } else if (mode === 'editor') {
    const [distDir, machineFile, marker, keystrokes] = rest;
    const server = await serve(path.resolve(distDir));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    // The studio shows the code editor beside the graph in its Code mode, when it has modes.
    await page.locator('[data-testid="code-editor"]').waitFor({ state: 'attached', timeout: 60000 });
    if (await page.locator('[data-testid="mode-code"]').count()) await page.locator('[data-testid="mode-code"]').click();
    await page.locator('[data-testid="code-editor"]').waitFor({ timeout: 60000 });
    if (!(await page.locator('[data-testid="graph"]').count())) throw new Error('the studio has no data-testid="graph" element');
    const text = fs.readFileSync(machineFile, 'utf8');
    // The editor is either a plain text area or CodeMirror 6 (found through its content element).
    await page.waitForFunction(() => {
      const host = document.querySelector('[data-testid="code-editor"]');
      return host && (host.tagName === 'TEXTAREA' || host.querySelector('textarea') || host.querySelector('.cm-content')?.cmTile?.root?.view);
    }, null, { timeout: 60000 });
    const kind = await page.evaluate((text) => {
      const host = document.querySelector('[data-testid="code-editor"]');
      const ta = host.tagName === 'TEXTAREA' ? host : host.querySelector('textarea');
      window.__editor = ta
        ? { caret: (pos) => { ta.focus(); ta.setSelectionRange(pos, pos); } }
        : (() => {
            const view = host.querySelector('.cm-content').cmTile.root.view;
            return { caret: (pos) => { view.focus(); view.dispatch({ selection: { anchor: pos } }); } };
          })();
      if (ta) {
        ta.value = text;
        ta.dispatchEvent(new Event('input', { bubbles: true }));
        return 'textarea';
      }
      const view = host.querySelector('.cm-content').cmTile.root.view;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      return 'codemirror';
    }, text);
    await page.waitForTimeout(3000);
    const samples = [];
    for (let i = 0; i < Number(keystrokes); i++) {
      const pos = text.indexOf(marker) + marker.length + i;
      await page.evaluate((pos) => {
        const graph = document.querySelector('[data-testid="graph"]');
        const problems = document.querySelector('[data-testid="diagnostics"]');
        const host = document.querySelector('[data-testid="code-editor"]');
        window.__editor.caret(pos);
        window.__lat = new Promise((resolve) => {
          let t0 = null;
          const seen = {};
          const observers = [];
          const done = () => {
            observers.forEach((o) => o.disconnect());
            const all = Math.max(...Object.values(seen));
            requestAnimationFrame(() => resolve({ ...seen, all, frame: performance.now() - t0 }));
          };
          // Each part counts once: its first change after the keydown.
          const watch = (name, el, opts) => {
            if (!el) return;
            const obs = new MutationObserver(() => {
              if (t0 === null || name in seen) return;
              seen[name] = performance.now() - t0;
              obs.disconnect();
              if (Object.keys(seen).length === observers.length) done();
            });
            obs.observe(el, opts);
            observers.push(obs);
          };
          document.addEventListener('keydown', () => { t0 = performance.now(); }, { capture: true, once: true });
          watch('graph', graph, { subtree: true, childList: true, characterData: true, attributes: true });
          watch('problems', problems, { subtree: true, childList: true, characterData: true });
          // The code editor stamps data-lint-rev when it has applied the validator's markers.
          watch('lint', host, { attributes: true, attributeFilter: ['data-lint-rev'] });
          setTimeout(() => { observers.forEach((o) => o.disconnect()); resolve({ timeout: true, ...seen }); }, 5000);
        });
      }, pos);
      await page.keyboard.press('x');
      samples.push(await page.evaluate(() => window.__lat));
      await page.waitForTimeout(150);
    }
    const appMs = (await page.locator('[data-testid="keystroke-ms"]').count())
      ? await page.locator('[data-testid="keystroke-ms"]').first().textContent()
      : null;
    process.stdout.write(JSON.stringify({ chromium: version, errors, kind, appMs, samples }) + '\n');
    server.close();
  } else if (mode === 'runmap') {
    const [distDir, machineFile, inputFile] = rest;
    const server = await serve(path.resolve(distDir));
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.locator('[data-testid="open-file-input"]').waitFor({ state: 'attached', timeout: 60000 });
    await page.locator('[data-testid="open-file-input"]').setInputFiles(machineFile);
    await page.locator('[data-testid="graph"] g.state[data-state="Process items"]').waitFor({ timeout: 60000 });
    await page.getByTestId('mode-run').click();
    await page.getByTestId('run-panel').waitFor();
    await page.getByTestId('run-machine-type').selectOption('EXPRESS');
    await page.getByTestId('run-unmocked').selectOption('echo');
    await page.getByTestId('run-input').fill(fs.readFileSync(inputFile, 'utf8'));
    const items = JSON.parse(fs.readFileSync(inputFile, 'utf8')).items.length;
    // Frames and long tasks while the run goes on.
    await page.evaluate(() => {
      const mon = { frames: [], longTasks: [], stop: false };
      window.__mon = mon;
      try {
        new PerformanceObserver((l) => { for (const e of l.getEntries()) { mon.longTasks.push(e.duration); (mon.lt ||= []).push([Math.round(e.startTime), Math.round(e.duration)]); } })
          .observe({ type: 'longtask' });
      } catch { mon.noLongTasks = true; }
      const st = document.querySelector('[data-testid="run-status"]');
      mon.statuses = [];
      new MutationObserver(() => mon.statuses.push([Math.round(performance.now()), st.textContent])).observe(st, { subtree: true, childList: true, characterData: true });
      const loop = (t) => { mon.frames.push(t); if (!mon.stop) requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
    });
    await page.waitForTimeout(300);
    const t0 = await page.evaluate(() => { window.__t0 = performance.now(); return window.__t0; });
    await page.getByTestId('run-start').click();
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="run-status"]')?.textContent ?? '';
      return ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'].includes(s);
    }, null, { timeout: 600000, polling: 200 });
    const mon = await page.evaluate(() => {
      window.__mon.stop = true;
      window.__mon.end = performance.now();
      return window.__mon;
    });
    const status = await page.getByTestId('run-status').textContent();
    const frames = mon.frames.filter((t) => t >= t0 && t <= mon.end);
    const gaps = [];
    let last = t0;
    for (const t of frames) { gaps.push(t - last); last = t; }
    gaps.push(mon.end - last);
    gaps.sort((a, b) => a - b);
    // A view's time: click, wait until it is in the DOM, then the next animation frame.
    const timeView = async (click, selector) => {
      try {
        await page.evaluate(() => { window.__v0 = performance.now(); });
        await click();
        await page.locator(selector).first().waitFor({ timeout: 60000 });
        return await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now() - window.__v0))));
      } catch (e) {
        errors.push(String(e).split('\n')[0]);
        return null;
      }
    };
    const views = {};
    views.events = await timeView(() => page.getByTestId('run-view-events').click(), '[data-testid="event"]');
    views.table = await timeView(() => page.getByTestId('run-view-table').click(), '[data-testid="run-row"]');
    views.details = await timeView(async () => {
      await page.locator('[data-testid="run-row"][data-state="Process items"]').click();
      await page.getByTestId('run-view-details').click();
    }, '[data-testid="step-context"]');
    await page.getByTestId('run-view-table').click();
    views.iteration = await timeView(async () => {
      await page.getByTestId('scope-owner').selectOption('Process items');
      await page.getByTestId('scope-iteration').fill(String(items - 1));
      await page.getByTestId('scope-iteration').blur();
    }, `[data-testid="run-row"] .scope >> text=#${items - 1}`);
    // The graph overlay: the coverage view is shown, then the run's overlay is drawn again.
    await page.getByTestId('test-cases-summary').click();
    await page.getByTestId('coverage-toggle').check();
    views.overlay = await timeView(
      () => page.getByTestId('coverage-toggle').uncheck(),
      '[data-testid="graph"] g.state[data-state="Store item"][class*="status-succeeded"]',
    );
    // A replay of the exported history draws the overlay and the table from scratch.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export').click()]);
    const historyFile = path.join(path.dirname(path.resolve(inputFile)), 'runmap-history.json');
    await download.saveAs(historyFile);
    const historyEvents = JSON.parse(fs.readFileSync(historyFile, 'utf8')).events.length;
    const replayMs = await timeView(async () => {
      await page.getByTestId('history-import-input').setInputFiles(historyFile);
      await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'Imported history', null, { timeout: 60000 });
    }, '[data-testid="graph"] g.state[data-state="Process items"][class*="status-succeeded"]');
    process.stdout.write(JSON.stringify({
      chromium: version, errors, items, status, events: historyEvents, runMs: mon.end - t0,
      frames: frames.length, maxGapMs: gaps.at(-1), p95GapMs: gaps[Math.floor(gaps.length * 0.95)],
      longTasks: mon.noLongTasks ? null : {
        count: mon.longTasks.length,
        maxMs: Math.max(0, ...mon.longTasks),
        totalMs: mon.longTasks.reduce((a, b) => a + b, 0),
      },
      views, replayMs, debug: process.env.RUNMAP_DEBUG ? { t0, lt: mon.lt, statuses: mon.statuses.filter((_, i) => i % 10 === 0 || i > mon.statuses.length - 3) } : undefined,
    }) + '\n');
    server.close();
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} finally {
  await browser.close();
}
