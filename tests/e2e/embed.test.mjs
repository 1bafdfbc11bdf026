// The embed: the example documentation page (graphs, Run with mocks, events), an iframe viewer
// driven through postMessage by a host page of another origin with a JavaScript mock, the origin
// check, and markup in state names and comments rendered as text without running anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve } from './support/server.mjs';
import { launch, newPage, screenshot, DIST } from './support/browser.mjs';
import { EmbedDocPage } from './pages/embed.mjs';

const EMBED = path.join(DIST, 'embed');
// No double quote: ASL forbids them in names, and the SVG writes them as U+FF02 in data-state.
const EVIL = '<img src=x onerror=window.__pwned=1;alert(1)>';

let site;
let other;
let browser;

/** The `#doc=` format: base64url (no padding) of deflate-raw of the document's JSON. */
function encodeDoc(doc) {
  return zlib.deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url');
}

const weather = {
  StartAt: 'GetWeather',
  States: {
    GetWeather: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Next: 'Sunny?' },
    'Sunny?': { Type: 'Choice', Choices: [{ Variable: '$.sky', StringEquals: 'clear', Next: 'Go outside' }], Default: 'Stay in' },
    'Go outside': { Type: 'Succeed' },
    'Stay in': { Type: 'Succeed' },
  },
};
const twoStates = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } };
const evil = {
  Comment: EVIL,
  StartAt: EVIL,
  States: {
    [EVIL]: { Type: 'Pass', Comment: EVIL, Next: 'Then' },
    Then: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Comment: '<script>window.__pwned=2</script>', End: true },
  },
};

function hostPage(viewerBase, hostOrigin) {
  const good = `${viewerBase}viewer.html?origin=${encodeURIComponent(hostOrigin)}&mode=run`;
  const wrong = `${viewerBase}viewer.html?origin=${encodeURIComponent('http://example.invalid')}#doc=${encodeDoc({ version: 1, definition: twoStates })}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,"></head><body>
<iframe id="good" src="${good}" style="width:900px;height:300px;border:0"></iframe>
<iframe id="wrong" src="${wrong}" style="width:900px;height:200px;border:0"></iframe>
<script type="module">
const definition = ${JSON.stringify(weather)};
const good = document.getElementById('good');
const wrong = document.getElementById('wrong');
const viewerOrigin = new URL(good.src).origin;
window.__messages = [];
window.__tasks = [];
window.addEventListener('message', (e) => {
  if (e.origin !== viewerOrigin) return;
  const d = e.data || {};
  window.__messages.push({ from: e.source === good.contentWindow ? 'good' : e.source === wrong.contentWindow ? 'wrong' : 'other', type: d.type });
  if (e.source !== good.contentWindow) return;
  const send = (m) => good.contentWindow.postMessage(m, viewerOrigin);
  if (d.type === 'asl:ready') {
    send({ type: 'asl:load', definition });
    send({ type: 'asl:registerMocks', states: ['GetWeather'] });
    send({ type: 'asl:run', input: { city: 'Lisbon' } });
  } else if (d.type === 'asl:task') {
    window.__tasks.push(d);
    new Promise((r) => setTimeout(r, 30)).then(() => send({ type: 'asl:taskResult', id: d.id, output: { sky: 'clear', city: d.input.city } }));
  } else if (d.type === 'asl:history') {
    window.__history = d;
  } else if (d.type === 'asl:resize') {
    window.__height = d.height;
    good.style.height = d.height + 'px';
  }
});
// The wrong viewer only allows another origin: whatever this page sends must be ignored.
const spam = setInterval(() => {
  wrong.contentWindow.postMessage({ type: 'asl:load', definition }, '*');
  wrong.contentWindow.postMessage({ type: 'asl:run', input: {} }, '*');
}, 100);
setTimeout(() => clearInterval(spam), 2500);
</script></body></html>`;
}

const xssPage = `<!doctype html><html><head><meta charset="utf-8"><title>xss</title><link rel="icon" href="data:,">
<script type="module" src="embed/asl-embed.js"></script></head><body>
<h1>Markup in names</h1>
<script type="application/asl+json" data-mode="run" data-mocks="evil-mocks">${JSON.stringify(evil).replaceAll('</', '<\\/')}</script>
<script type="application/json" id="evil-mocks">{"Then": [{"Throw": {"Error": "<b>Bad</b>", "Cause": "<img src=x onerror=alert(3)>"}}]}</script>
<iframe id="evil-frame" style="width:900px;height:300px;border:0" src="embed/viewer.html?mode=run#doc=${encodeDoc({ version: 1, definition: evil })}"></iframe>
</body></html>`;

before(async () => {
  for (const f of ['asl-embed.js', 'asl_embed.js', 'asl_embed_bg.wasm', 'viewer.html', 'viewer.js', 'example.html']) {
    if (!fs.existsSync(path.join(EMBED, f))) {
      throw new Error(`dist/embed/${f} is missing: build the studio first (cargo xtask dist or trunk build --release --offline: trunk's post-build hook runs cargo xtask embed)`);
    }
  }
  site = await serve(DIST, '/sub/site/', { '/sub/site/embed-xss.html': { body: xssPage } });
  // The host page needs its own origin, known once its server listens (pages are looked up per request).
  const hostPages = {};
  other = await serve(DIST, '/host/', hostPages);
  hostPages['/host/page.html'] = { body: hostPage(`${site.url}embed/`, other.origin) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
  other?.close();
});

test('the example page shows every embedded graph', async () => {
  const { page, errors, context } = await newPage(browser);
  const doc = new EmbedDocPage(page, `${site.url}embed/example.html`);
  await doc.goto(4);
  assert.equal(await doc.viewers().count(), 4);
  assert.deepEqual(await doc.viewer(0).stateNames(), ['Hello', 'World']);
  assert.equal(await doc.viewer(1).states().count(), 6);
  assert.deepEqual((await doc.viewer(2).stateNames()).sort(), ['Double', 'Each item', 'Fan out', 'Left', 'Right']);
  // A recorded AWS history (string payloads) colours the fourth graph and fills its result.
  const recorded = doc.viewer(3);
  assert.equal(await recorded.statusOf('Fetch'), 'status-succeeded');
  assert.equal(await recorded.statusOf('Never'), null);
  assert.equal(await recorded.root.locator('g.state[data-state="Fetch"] .badge-retries').count(), 1);
  assert.equal(await recorded.status(), 'SUCCEEDED');
  assert.match(await recorded.output(), /"rows": 3/);
  await recorded.showEvents();
  assert.equal((await recorded.eventTypes()).length, 12);
  await recorded.screenshot('embed-recorded-history');
  // The source blocks stay in the page as data; the <pre> ones are hidden.
  assert.equal(await page.locator('pre.asl').isHidden(), true);
  // Dragging pans; zoom changes the transform; Fit restores it.
  await doc.viewer(0).root.scrollIntoViewIfNeeded();
  const area = await doc.viewer(0).root.getByTestId('asl-embed-graph').boundingBox();
  const svg0 = doc.viewer(0).root.locator('svg');
  const fitted = await svg0.evaluate((s) => s.style.transform);
  await page.mouse.move(area.x + 50, area.y + 50);
  await page.mouse.down();
  await page.mouse.move(area.x + 120, area.y + 90, { steps: 4 });
  await page.mouse.up();
  assert.notEqual(await svg0.evaluate((s) => s.style.transform), fitted);
  await doc.viewer(0).root.getByTestId('asl-embed-fit').click();
  // The keyboard pans too, and 0 fits.
  await doc.viewer(0).root.getByTestId('asl-embed-graph').focus();
  await page.keyboard.press('ArrowLeft');
  assert.notEqual(await svg0.evaluate((s) => s.style.transform), fitted);
  await page.keyboard.press('0');
  assert.equal(await svg0.evaluate((s) => s.style.transform), fitted);
  const svg = doc.viewer(0).root.locator('svg');
  const before = await svg.evaluate((s) => s.style.transform);
  await doc.viewer(0).root.getByTestId('asl-embed-zoom-in').click();
  assert.notEqual(await svg.evaluate((s) => s.style.transform), before);
  await doc.viewer(0).root.getByTestId('asl-embed-fit').click();
  assert.equal(await svg.evaluate((s) => s.style.transform), before);
  await doc.viewer(0).root.getByTestId('asl-embed-open').waitFor();
  const link = await doc.viewer(0).root.getByTestId('asl-embed-open').getAttribute('href');
  assert.match(link, /#doc=[A-Za-z0-9_-]+$/);
  const packed = new URL(link).hash.slice('#doc='.length);
  const roundTrip = JSON.parse(zlib.inflateRawSync(Buffer.from(packed, 'base64url')).toString());
  assert.deepEqual(Object.keys(roundTrip.definition.States), ['Hello', 'World']);
  // The iframe viewer gets its definition from the host page.
  const framed = doc.frameViewer('[data-testid=viewer-frame]');
  await framed.states().nth(3).waitFor();
  assert.deepEqual(await framed.stateNames(), ['GetWeather', 'Sunny?', 'Go outside', 'Stay in']);
  await screenshot(page, 'embed-example-top');
  await doc.viewer(2).screenshot('embed-example-parallel-map');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Run in an embedded viewer produces a history and colours the graph', async () => {
  const { page, errors, context } = await newPage(browser);
  const doc = new EmbedDocPage(page, `${site.url}embed/example.html`);
  await doc.goto(4);
  const order = doc.viewer(1);
  await order.run();
  assert.equal(await order.status(), 'SUCCEEDED');
  assert.match(await order.output(), /R-1001/);
  await order.showEvents();
  const types = await order.eventTypes();
  assert.equal(types[0], 'ExecutionStarted');
  assert.ok(types.includes('ExecutionSucceeded'), JSON.stringify(types));
  assert.equal(await order.statusOf('Charge'), 'status-succeeded');
  assert.equal(await order.statusOf('Manual review'), null);
  await order.screenshot('embed-run-choice-catch');
  const fan = doc.viewer(2);
  await fan.run();
  assert.equal(await fan.status(), 'SUCCEEDED');
  assert.match(await fan.output(), /"value": 6/);
  assert.equal(await fan.statusOf('Double'), 'status-succeeded');
  await fan.screenshot('embed-run-parallel-map');
  // The host page drives the iframe viewer with a JavaScript mock.
  await page.getByTestId('host-run').click();
  await page.getByTestId('host-status').filter({ hasText: 'SUCCEEDED' }).waitFor();
  const framed = doc.frameViewer('[data-testid=viewer-frame]');
  assert.equal(await framed.statusOf('Go outside'), 'status-succeeded');
  await page.getByTestId('viewer-frame').scrollIntoViewIfNeeded();
  await screenshot(page, 'embed-example-iframe');
  assert.deepEqual(errors, []);
  await context.close();
});

test('window.AslEmbed runs with JavaScript handlers (values, Promises, errors) and mocks', async () => {
  const { page, errors, context } = await newPage(browser);
  const doc = new EmbedDocPage(page, `${site.url}embed/example.html`);
  await doc.goto(4);
  const results = await page.evaluate(async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['TypeError'], Next: 'Caught' }], Next: 'Ok' },
        Ok: { Type: 'Succeed' },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const { AslEmbed } = window;
    const promised = await AslEmbed.run(def, { n: 1 }, { handlers: { T: async (input, ctx) => ({ doubled: input.n * 2, resource: ctx.resource }) } });
    const rejected = await AslEmbed.run(def, {}, { handlers: { T: () => Promise.reject(new TypeError('nope')) } });
    const thrown = AslEmbed.runSync(def, {}, { handlers: { T: () => { throw new TypeError('sync nope'); } } });
    const sync = AslEmbed.runSync(def, { n: 2 }, { handlers: { T: (input) => ({ doubled: input.n * 2 }) } });
    const mocked = await AslEmbed.run(def, {}, { mocks: { T: [{ Return: { m: 1 } }] } });
    const fallback = await AslEmbed.run(def, {}, { mocks: { T: [{ Return: { m: 2 } }] }, handlers: { T: () => undefined } });
    const overlay = await AslEmbed.overlayFromHistory(promised.events);
    const validation = await AslEmbed.validate({ StartAt: 'Nope', States: {} });
    return { promised, rejected, thrown, sync, mocked, fallback, overlay, validation };
  });
  assert.equal(results.promised.status, 'SUCCEEDED');
  assert.deepEqual(results.promised.output, { doubled: 2, resource: 'arn:aws:states:::lambda:invoke' });
  assert.deepEqual(results.rejected.output, { Error: 'TypeError', Cause: 'nope' });
  assert.deepEqual(results.thrown.output, { Error: 'TypeError', Cause: 'sync nope' });
  assert.deepEqual(results.sync.output, { doubled: 4 });
  assert.deepEqual(results.mocked.output, { m: 1 });
  assert.deepEqual(results.fallback.output, { m: 2 });
  assert.equal(results.overlay.states.T.status, 'succeeded');
  assert.equal(results.validation.valid, false);
  // The documented diagnostic shape (crates/asl-embed/README.md), the one `asl validate --format json` prints.
  const [first] = results.validation.diagnostics;
  assert.deepEqual(Object.keys(first), ['code', 'severity', 'message', 'pointer', 'line', 'column', 'span'], JSON.stringify(first));
  assert.equal(first.severity, 'error');
  assert.ok(first.line >= 1 && first.column >= 1 && first.span.end >= first.span.start, JSON.stringify(first));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a host page of another origin drives the iframe viewer; other origins are ignored', async () => {
  const { page, errors, context } = await newPage(browser);
  await page.goto(`${other.url}page.html`);
  await page.waitForFunction(() => window.__history, null, { timeout: 20000 });
  const history = await page.evaluate(() => window.__history);
  assert.equal(history.status, 'SUCCEEDED');
  assert.deepEqual(history.output, { sky: 'clear', city: 'Lisbon' });
  const types = history.events.map((e) => e.type);
  assert.ok(types.includes('TaskSucceeded') && types.includes('ExecutionSucceeded'), JSON.stringify(types));
  const tasks = await page.evaluate(() => window.__tasks);
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0].state, 'GetWeather');
  assert.ok(await page.evaluate(() => window.__height > 50), 'the viewer reported its height');
  const good = page.frameLocator('#good').getByTestId('asl-embed');
  assert.equal(await good.locator('g.state.status-succeeded[data-state="Go outside"]').count(), 1);
  // Let the spam interval finish: the wrong viewer keeps its own two states and says nothing.
  await page.waitForTimeout(2700);
  const wrong = page.frameLocator('#wrong').getByTestId('asl-embed');
  assert.deepEqual(await wrong.locator('g.state').evaluateAll((gs) => gs.map((g) => g.dataset.state)), ['A', 'B']);
  assert.equal(await wrong.getByTestId('asl-embed-result').isHidden(), true);
  const fromWrong = await page.evaluate(() => window.__messages.filter((m) => m.from !== 'good'));
  assert.deepEqual(fromWrong, []);
  await screenshot(page, 'embed-host-cross-origin');
  assert.deepEqual(errors, []);
  await context.close();
});

test('markup in state names and comments renders as text and runs nothing', async () => {
  const { page, errors, context } = await newPage(browser);
  const doc = new EmbedDocPage(page, `${site.url}embed-xss.html`);
  await doc.goto(1);
  const viewer = doc.viewer(0);
  assert.deepEqual(await viewer.stateNames(), [EVIL, 'Then']);
  const title = await viewer.states().first().locator('text').first().textContent();
  assert.ok(title.includes('<img'), title);
  await viewer.run();
  assert.equal(await viewer.status(), 'FAILED');
  assert.equal((await viewer.output()).trim(), '<b>Bad</b>: <img src=x onerror=alert(3)>');
  await viewer.showEvents();
  assert.ok((await viewer.root.getByTestId('asl-embed-events').textContent()).includes(EVIL));
  const framed = doc.frameViewer('#evil-frame');
  await framed.states().nth(1).waitFor();
  assert.deepEqual(await framed.stateNames(), [EVIL, 'Then']);
  await framed.run();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.frameLocator('#evil-frame').locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  const frame = page.frames().find((f) => f.url().includes('viewer.html'));
  assert.equal(await frame.evaluate(() => window.__pwned), undefined);
  await screenshot(page, 'embed-xss');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the viewer survives unreadable and oversized #doc= links', async () => {
  const { page, errors, context } = await newPage(browser);
  await page.goto(`${site.url}embed/viewer.html#doc=not-a-valid-document`);
  await page.getByTestId('asl-viewer-message').filter({ hasText: 'cannot be read' }).waitFor();
  assert.equal(await page.locator('[data-testid=asl-embed] g.state').count(), 1);
  // 64 MiB of spaces compress to a short link: reading stops at the limit.
  const bomb = zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 32), { level: 9 }).toString('base64url');
  await page.goto(`${site.url}embed/viewer.html?x=1#doc=${bomb}`);
  await page.getByTestId('asl-viewer-message').filter({ hasText: 'too large' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
