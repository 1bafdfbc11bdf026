// Share links: a link opens the same document in a fresh browser profile as a new document,
// links carry data only (markup in names and comments stays text, no script runs), a damaged or
// oversized link changes nothing, long links are flagged and too-large documents refused.
// Also the image export's Markdown snippet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newPage, screenshot } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { ShareDialog, savedDocuments, currentDocumentId } from './pages/share.mjs';
import { ImageDialog } from './pages/iac.mjs';
import { RunPanel } from './pages/run.mjs';
import { EmbedViewer } from './pages/embed.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

useStudio({ '/blank.html': { body: '<!doctype html><title>Not the studio</title>' } });

/** A fresh browser profile (context) on the studio. */
async function open(hash = '', options = {}) {
  const { page, errors, context } = await newPage(browser, options);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const studio = new StudioPage(page, server.url);
  await studio.goto(hash);
  return { page, errors, context, studio };
}

/** The `#doc=` format, as the embed script writes it: base64url of deflate-raw of the JSON. */
async function encode(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return Buffer.from(await new Response(stream).arrayBuffer()).toString('base64url');
}

/** Opens a document file through the header's Open button. */
async function openFile(page, name, text) {
  await page.getByTestId('open-file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/** Waits for the debounced autosave to write `name`'s text. */
async function waitSaved(page, predicate) {
  for (let i = 0; i < 50; i++) {
    if (predicate(await savedDocuments(page))) return;
    await page.waitForTimeout(100);
  }
  assert.fail('the document was not autosaved');
}

test('a share link opens the same document in a fresh browser profile, as a new document', async () => {
  const a = await open();
  await a.studio.newDocument('credit-limit');
  await a.studio.stateNodes().filter({ hasText: 'Get credit limit' }).first().waitFor();
  await a.page.getByTestId('doc-name').fill('Credit check (shared)');
  await a.page.getByTestId('doc-name').press('Enter');
  // Layout overrides, as a dragged box leaves them, kept with the document.
  // (Written while no studio page is open, since leaving the studio saves what it holds.)
  await a.page.goto('about:blank');
  await a.page.goto(`${server.origin}/blank.html`);
  await a.page.evaluate(() => {
    const id = localStorage.getItem('asl-studio.current');
    const doc = JSON.parse(localStorage.getItem(`asl-studio.doc.${id}`));
    doc.layout = { version: 1, states: { 'Get credit limit': { position: [40, 60] } } };
    localStorage.setItem(`asl-studio.doc.${id}`, JSON.stringify(doc));
  });
  await a.studio.goto();
  a.errors.length = 0; // the blank page has no favicon
  const [source] = (await savedDocuments(a.page)).filter((d) => d.name === 'Credit check (shared)');
  assert.deepEqual(source.layout.states, { 'Get credit limit': { position: [40, 60] } });
  assert.ok(source.settings.test_cases.StateMachines, 'the template brings its mocks');

  const share = new ShareDialog(a.page);
  await share.open();
  const url = await share.url();
  assert.ok(url.startsWith(`${server.url}#doc=`), url);
  await share.copiedStatus().filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await a.page.evaluate(() => navigator.clipboard.readText()), url);
  assert.match(await share.length().textContent(), /^\d+ characters$/);
  assert.equal(await share.warning().count(), 0, 'a template makes a short link');
  await screenshot(a.page, 'share-dialog');
  // Keyboard: the dialog takes the focus and Escape closes it.
  assert.equal(await a.page.evaluate(() => document.activeElement?.dataset.testid), 'share-url');
  await a.page.keyboard.press('Escape');
  await share.root.waitFor({ state: 'detached' });
  await share.open();
  await a.page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await screenshot(a.page, 'share-dialog-dark');
  await a.page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await share.close();
  assert.deepEqual(a.errors, []);

  // A fresh profile: nothing saved; the link opens the document.
  const b = await open(url.slice(server.url.length));
  await b.page.getByTestId('notice').filter({ hasText: 'Opened the shared document' }).waitFor();
  assert.equal(await b.page.getByTestId('doc-name').inputValue(), 'Credit check (shared)');
  assert.equal(await b.page.evaluate(() => location.hash), '', 'the fragment is cleared');
  await b.studio.stateNodes().filter({ hasText: 'Get credit limit' }).first().waitFor();
  const [opened] = (await savedDocuments(b.page)).filter((d) => d.name === 'Credit check (shared)');
  assert.equal(opened.text, source.text);
  assert.deepEqual(opened.layout, source.layout);
  assert.deepEqual(opened.settings, source.settings);
  assert.deepEqual(await a.studio.stateNames(), await b.studio.stateNames());
  await screenshot(b.page, 'share-opened');

  // A fresh profile holds just the shared document (no starter document beside it).
  assert.deepEqual((await savedDocuments(b.page)).map((d) => d.name), ['Credit check (shared)']);
  assert.deepEqual(await b.page.getByTestId('doc-list').locator('option').allTextContents(), ['Credit check (shared)']);
  // Reloading does not open a second copy.
  const count = (await savedDocuments(b.page)).length;
  await b.studio.goto();
  assert.equal((await savedDocuments(b.page)).length, count);
  assert.deepEqual(b.errors, []);
  await a.context.close();
  await b.context.close();
});

test('opening a link keeps the saved work, also when pasted into an open studio', async () => {
  const def = { Comment: 'shared', StartAt: 'Shared step', States: { 'Shared step': { Type: 'Pass', End: true } } };
  const value = await encode(JSON.stringify({ version: 1, name: 'From a colleague', definition: def }));
  const { page, errors, context, studio } = await open();
  await studio.newDocument('blank');
  await page.getByTestId('doc-name').fill('My work');
  await page.getByTestId('doc-name').press('Enter');
  await openFile(page, 'mine.asl.json', JSON.stringify({ StartAt: 'Mine', States: { Mine: { Type: 'Succeed' } } }, null, 2));
  await studio.stateNodes().filter({ hasText: 'Mine' }).first().waitFor();
  await waitSaved(page, (docs) => docs.some((d) => d.text?.includes('"Mine"')));
  const before = await savedDocuments(page);

  // Pasted into the address bar of the open studio: only the fragment changes.
  await page.evaluate((v) => { location.hash = `doc=${v}`; }, value);
  await page.getByTestId('notice').filter({ hasText: 'From a colleague' }).waitFor();
  await studio.stateNodes().filter({ hasText: 'Shared step' }).first().waitFor();
  const after = await savedDocuments(page);
  assert.equal(after.length, before.length + 1);
  for (const doc of before) {
    const same = after.find((d) => d.id === doc.id);
    assert.deepEqual(same, doc, `${doc.name} is unchanged`);
  }
  assert.equal(after.at(-1).name, 'From a colleague');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a damaged, truncated or oversized link says so and changes nothing', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('hello-world');
  await page.getByTestId('doc-name').fill('Keep me');
  await page.getByTestId('doc-name').press('Enter');
  await waitSaved(page, (docs) => docs.some((d) => d.name === 'Keep me'));
  const before = await savedDocuments(page);
  const current = await currentDocumentId(page);

  const good = await encode(JSON.stringify({ version: 1, definition: { StartAt: 'A', States: { A: { Type: 'Succeed' } } } }));
  const bomb = await encode(' '.repeat(9 * 1024 * 1024));
  const cases = [
    [good.slice(0, Math.floor(good.length / 2)), /damaged or incomplete/],
    [`${good.slice(0, 10)}$%5E${good.slice(10)}`, /damaged/],
    [await encode('not json at all'), /does not hold a state machine document/],
    [bomb, /inflates to more than 8 MB/],
  ];
  for (const [value, message] of cases) {
    await studio.goto(`#doc=${value}`);
    const notice = page.getByTestId('notice');
    await notice.filter({ hasText: 'cannot be opened' }).waitFor();
    assert.match(await notice.textContent(), message);
    assert.match(await notice.textContent(), /Nothing was changed/);
    assert.deepEqual(await savedDocuments(page), before);
    assert.equal(await currentDocumentId(page), current);
    assert.equal(await page.getByTestId('doc-name').inputValue(), 'Keep me');
  }
  await screenshot(page, 'share-corrupt');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a link whose names and comments hold markup runs no script', async () => {
  const evil = '<img src=x onerror="window.pwned(1)">';
  const svgEvil = '<svg onload="window.pwned(2)"></svg>';
  const def = {
    Comment: `${evil} top`,
    StartAt: `${evil} A`,
    States: {
      [`${evil} A`]: { Type: 'Pass', Comment: `${svgEvil} pass`, Next: `${svgEvil} B` },
      [`${svgEvil} B`]: { Type: 'Choice', Comment: `<script>window.pwned(3)</script>`, Choices: [{ Variable: '$.x', IsPresent: true, Next: `${evil} A` }], Default: 'Done' },
      Done: { Type: 'Succeed', Comment: '<a href="javascript:window.pwned(4)">x</a>' },
    },
  };
  // Made by the studio itself: paste the definition as a file, then share it.
  const a = await open();
  await openFile(a.page, 'evil.asl.json', JSON.stringify(def, null, 2));
  await a.page.getByTestId('doc-name').fill(`${evil} name`);
  await a.page.getByTestId('doc-name').press('Enter');
  const share = new ShareDialog(a.page);
  await share.open();
  const url = await share.url();
  await a.context.close();

  const { page, errors, context } = await newPage(browser);
  const calls = [];
  await context.exposeBinding('pwned', (_source, n) => calls.push(n));
  const dialogs = [];
  page.on('dialog', (d) => dialogs.push(d.message()));
  await page.goto(url);
  const studio = new StudioPage(page, server.url);
  await studio.graph().locator('svg g.state').first().waitFor({ timeout: 20000 });
  await page.getByTestId('notice').filter({ hasText: 'Opened the shared document' }).waitFor();
  // The names are drawn as text.
  await studio.stateNodes().filter({ hasText: `${evil} A` }).first().waitFor();
  assert.ok((await studio.stateNames()).includes(`${svgEvil} B`));
  assert.equal(await page.getByTestId('doc-name').inputValue(), `${evil} name`);
  // Select each state so the inspector shows names and comments, and visit every mode.
  for (const name of [`${evil} A`, `${svgEvil} B`, 'Done']) {
    // (Not by a CSS attribute selector: these names are not valid in one.)
    await studio.stateNodes().filter({ hasText: name }).first().locator('rect').first().click();
    await page.getByTestId('inspector-name').waitFor();
    await page.waitForTimeout(100);
  }
  await studio.mode('code');
  await studio.codePanel.waitReady();
  await studio.mode('run');
  await studio.mode('design');
  await page.getByTestId('doc-list').click();
  await page.waitForTimeout(500);
  await screenshot(page, 'share-xss');
  assert.equal(await page.locator('img[src="x"], [data-testid="studio"] script, svg svg[onload]').count(), 0, 'no markup was made from text');
  assert.deepEqual(calls, [], 'no handler ran');
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long link is flagged and a document too large for a link is refused', async () => {
  const { page, errors, context, studio } = await open();
  const share = new ShareDialog(page);
  // Random text does not compress: about 12 KB of it makes a link over 8,000 characters.
  const doc = (comment) => JSON.stringify({ Comment: comment, StartAt: 'A', States: { A: { Type: 'Succeed' } } }, null, 2);
  await openFile(page, 'long.asl.json', doc(randomBytes(9000).toString('base64')));
  await page.waitForFunction(() => document.querySelector('[data-testid="doc-name"]').value === 'long');
  await studio.canvas.state('A').waitFor();
  await share.open();
  await share.warning().waitFor();
  assert.match(await share.warning().textContent(), /long \(\d+ characters\)/);
  assert.ok((await share.url()).length > 8000);
  await screenshot(page, 'share-long');
  await share.close();

  await openFile(page, 'huge.asl.json', doc(randomBytes(600 * 1024).toString('base64')));
  await page.waitForFunction(() => document.querySelector('[data-testid="doc-name"]').value === 'huge');
  await share.open();
  await share.error().waitFor();
  assert.match(await share.error().textContent(), /too large for a link/);
  assert.equal(await page.getByTestId('share-url').count(), 0);
  await screenshot(page, 'share-too-large');
  await share.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the image export offers a Markdown snippet with the picture and the definition', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('hello-world');
  await page.getByTestId('doc-name').fill('Hello docs');
  await page.getByTestId('doc-name').press('Enter');
  const image = new ImageDialog(page);
  await image.open();
  const md = await image.markdown();
  assert.match(md, /^!\[Hello docs\]\(Hello-docs\.svg\)\n/);
  assert.match(md, /<details>\n<summary>Hello docs: Amazon States Language definition<\/summary>\n\n```json\n\{/);
  const json = md.slice(md.indexOf('```json\n') + 8, md.lastIndexOf('\n```'));
  assert.equal(json.trim(), (await savedDocuments(page)).find((d) => d.name === 'Hello docs').text.trim());
  await screenshot(page, 'image-dialog');
  const svg = await image.download('svg');
  assert.equal(svg.name, 'Hello-docs.svg');
  assert.match(svg.bytes.toString('utf8'), /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const png = await image.download('png');
  assert.equal(png.name, 'Hello-docs.png');
  assert.equal(png.bytes.subarray(1, 4).toString('latin1'), 'PNG');
  assert.match(await image.markdown(), /^!\[Hello docs\]\(Hello-docs\.png\)/);
  await image.snippetFor('svg');
  await image.copy();
  await page.getByTestId('image-copied').filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await image.markdown());
  assert.deepEqual(errors, []);
  await context.close();
});

test('the embed and the studio read each other\'s links', async () => {
  // The documentation page's "Open in ASL Studio" link opens in the studio (made by the browser's
  // CompressionStream, read by the studio's Rust inflater).
  const { page, errors, context, studio } = await open();
  await page.goto(`${server.url}embed/example.html`);
  const openInStudio = page.getByTestId('asl-embed-open').first();
  await openInStudio.waitFor({ timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="asl-embed-open"]')?.href.includes('#doc='));
  const href = await openInStudio.getAttribute('href');
  assert.ok(href.startsWith(server.url), href);
  await page.goto(href);
  await studio.graph().locator('svg g.state').first().waitFor({ timeout: 20000 });
  await page.getByTestId('notice').filter({ hasText: 'Opened the shared document' }).waitFor();
  assert.ok((await studio.stateNames()).length > 0);

  // A studio link whose text is YAML (carried as typed, not as a definition object) opens in the
  // embed's iframe viewer.
  const yaml = 'Comment: kept as typed\nStartAt: First\nStates:\n  First:\n    Type: Pass\n    Next: Second\n  Second:\n    Type: Succeed\n';
  await page.getByTestId('open-file-input').setInputFiles({ name: 'yaml.asl.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
  await studio.canvas.state('Second').waitFor();
  await page.getByTestId('share-link').click();
  const link = await page.getByTestId('share-url').inputValue();
  await page.goto(`${server.url}embed/viewer.html${link.slice(link.indexOf('#'))}`);
  await page.locator('svg g.state[data-state="Second"]').waitFor({ timeout: 20000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('saved test cases that use the mock file travel with their mocks; a missing mock test case is named', async () => {
  const a = await open();
  await a.studio.newDocument('credit-limit');
  const run = new RunPanel(a.page);
  await run.open();
  await run.testCase('AutoApproval');
  await run.run();
  await run.waitStatus('SUCCEEDED');
  await run.saveAsTestCase('auto approval');
  // A second case names a mock test case the mock file does not have (renamed since, say).
  await run.editTestCase('auto approval', (c) => ({ ...c, name: 'mocks gone', mockTestCase: 'Gone' }));
  await waitSaved(a.page, (docs) => docs.some((d) => d.settings?.tests?.length === 2));
  const [source] = (await savedDocuments(a.page)).filter((d) => d.settings?.tests);
  assert.deepEqual(source.settings.tests.map((c) => c.mockTestCase), ['AutoApproval', 'Gone']);

  const share = new ShareDialog(a.page);
  await share.open();
  const missing = a.page.getByTestId('share-missing-mocks');
  await missing.waitFor();
  assert.match(await missing.textContent(), /\u201cmocks gone\u201d uses the mock test case \u201cGone\u201d/);
  await screenshot(a.page, 'share-missing-mocks');
  const url = await share.url();
  await share.close();
  assert.deepEqual(a.errors, []);

  // A fresh profile: the test cases come back as saved, references included, and the notice
  // says which mock test case is missing; the other case passes.
  const b = await open(url.slice(server.url.length));
  const notice = b.page.getByTestId('notice');
  await notice.filter({ hasText: 'Opened the shared document' }).waitFor();
  assert.match(await notice.textContent(), /\u201cmocks gone\u201d uses the mock test case \u201cGone\u201d, which the document's mocks do not have/);
  const [opened] = await savedDocuments(b.page);
  assert.deepEqual(opened.settings.tests, source.settings.tests);
  const runB = new RunPanel(b.page);
  await runB.open();
  await runB.openTestCases();
  // The test case list says which mocks are missing before anything runs.
  assert.match(await runB.testCase_('mocks gone').getByTestId('test-case-missing-mocks').textContent(), /no test case \u201cGone\u201d/);
  assert.equal(await runB.testCase_('auto approval').getByTestId('test-case-missing-mocks').count(), 0);
  await runB.runAllTestCases();
  assert.equal(await runB.testCaseResult('auto approval'), 'pass');
  assert.equal(await runB.testCaseResult('mocks gone'), 'fail');
  assert.match(await runB.testCase_('mocks gone').getByTestId('test-case-reason').textContent(), /no test case "Gone"/);
  await screenshot(b.page, 'share-opened-test-cases');
  assert.deepEqual(b.errors, []);

  // Elsewhere: the embed's viewer knows nothing of the studio's mock file; it runs the first
  // test case with the mocks the link carries for it.
  const c = await newPage(browser);
  await c.page.goto(`${server.url}embed/viewer.html?mode=run${url.slice(url.indexOf('#'))}`);
  const viewer = new EmbedViewer(c.page.getByTestId('asl-embed'));
  await viewer.states().first().waitFor();
  await viewer.run();
  assert.equal(await viewer.status(), 'SUCCEEDED');
  await screenshot(c.page, 'share-link-in-viewer');
  assert.deepEqual(c.errors, []);
  await a.context.close();
  await b.context.close();
  await c.context.close();
});
