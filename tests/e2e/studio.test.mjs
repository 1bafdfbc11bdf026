// The studio (design and code): build a workflow by drag and drop and forms, rename, syntax errors,
// undo/redo across visual and code edits, and autosave across a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, screenshot, docsScreenshot } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

useStudio();

async function open(hashOrNothing = '') {
  const { page, errors, context } = await newPage(browser);
  const studio = new StudioPage(page, server.url);
  await studio.goto(hashOrNothing);
  return { page, errors, context, studio };
}

async function codeJson(studio) {
  await studio.codePanel.waitReady();
  return JSON.parse(await studio.codePanel.text());
}

test('build the credit-limit workflow from an empty canvas by drag and drop and forms', async () => {
  const { page, errors, context, studio } = await open();
  const { canvas, palette, inspector } = studio;
  await studio.newDocument('blank');
  // An empty machine draws Start → a "missing" marker for its empty StartAt.
  await canvas.edge('__start', '').waitFor();
  await page.getByTestId('empty-hint').waitFor();
  await screenshot(page, 'studio-blank');

  await canvas.dropOnEdge(palette.item('aws-lambda-invoke'), '__start', '');
  await canvas.state('Lambda Invoke').waitFor();
  await inspector.rename('Get credit limit');
  await canvas.state('Get credit limit').waitFor();
  await inspector.setField(
    '/Parameters',
    JSON.stringify({ 'Payload.$': '$', FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:get-credit-limit:$LATEST' }),
  );

  await canvas.dropOnEdge(palette.item('pass'), 'Get credit limit', '__end');
  await canvas.state('Pass').waitFor();
  await inspector.rename('Auto-approve limit');

  await canvas.dropOnEdge(palette.item('choice'), 'Get credit limit', 'Auto-approve limit');
  await canvas.state('Choice').waitFor();
  await inspector.rename('Credit applied >= 5000?');
  await canvas.state('Credit applied >= 5000?').waitFor();

  await canvas.dropOnEdge(palette.item('amazon-sns-publish'), 'Credit applied >= 5000?', 'Auto-approve limit', 'choice');
  await canvas.state('SNS Publish').waitFor();
  await inspector.rename('Wait for human approval');
  await canvas.state('Wait for human approval').waitFor();
  await inspector.setField('/Resource', 'arn:aws:states:::sns:publish.waitForTaskToken');
  await inspector.setField(
    '/Parameters',
    JSON.stringify({
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:credit-limit-approvals',
      'Message.$': "States.Format('Approve a credit limit of {}? Task token: {}', $.credit_limit, $$.Task.Token)",
    }),
  );

  await canvas.selectState('Credit applied >= 5000?');
  await inspector.setRule(0, { variable: '$.credit_limit', operator: 'NumericGreaterThanEquals', value: '5000' });
  await page.getByTestId('choice-rule-0-value').waitFor();
  assert.equal(await page.getByTestId('choice-rule-0-next').inputValue(), 'Wait for human approval');

  const parallel = "Verify applicant's identity and address";
  await canvas.dropOnEdge(palette.item('parallel'), 'Auto-approve limit', '__end');
  await canvas.state('Parallel').waitFor();
  await inspector.rename(parallel);
  await canvas.state(parallel).waitFor();
  await canvas.selectState('Wait for human approval');
  await inspector.setNext(parallel);

  for (const [i, name] of ['Verify identity', 'Verify address'].entries()) {
    if (i > 0) {
      await canvas.selectState(parallel);
      await page.getByTestId('add-branch').click();
    }
    await canvas.edge('Pass', '__branch_end').waitFor();
    await canvas.dropOnEdge(palette.item('aws-lambda-invoke'), 'Pass', '__branch_end');
    await canvas.state('Lambda Invoke').waitFor();
    await inspector.rename(name);
    await canvas.state(name).waitFor();
    await canvas.selectState('Pass');
    await inspector.delete();
    await canvas.state('Pass').waitFor({ state: 'detached' });
  }

  await canvas.dropOnEdge(palette.item('amazon-dynamodb-scan'), parallel, '__end');
  await canvas.state('DynamoDB Scan').waitFor();
  await inspector.rename('Get list of credit bureaus');
  await canvas.state('Get list of credit bureaus').waitFor();
  await inspector.setField('/Parameters', JSON.stringify({ TableName: 'GetCreditBureauTable' }));

  await canvas.dropOnEdge(palette.item('map'), 'Get list of credit bureaus', '__end');
  await canvas.state('Map').waitFor();
  await inspector.rename('Get scores from all credit bureaus');
  await canvas.state('Get scores from all credit bureaus').waitFor();
  await inspector.setField('/ItemsPath', '$.Items');
  await canvas.dropOnEdge(palette.item('aws-lambda-invoke'), 'Pass', '__branch_end');
  await canvas.state('Lambda Invoke').waitFor();
  await inspector.rename('Get all scores');
  await canvas.state('Get all scores').waitFor();
  await canvas.selectState('Pass');
  await inspector.delete();
  await canvas.state('Pass').waitFor({ state: 'detached' });

  await page.getByTestId('fit').click();
  await screenshot(page, 'studio-credit-limit-built');
  await assertValid(page);
  // The README's picture: the document named, the Choice's rule builder in the inspector.
  await page.getByTestId('doc-name').fill('Credit limit approval');
  await page.getByTestId('doc-name').press('Enter');
  await canvas.selectState('Credit applied >= 5000?');
  await page.getByTestId('choice-rules').waitFor();
  await docsScreenshot(page, 'screenshot');

  await studio.mode('code');
  const def = await codeJson(studio);
  assert.equal(def.StartAt, 'Get credit limit');
  assert.equal(def.States['Get credit limit'].Next, 'Credit applied >= 5000?');
  assert.equal(def.States['Credit applied >= 5000?'].Choices[0].NumericGreaterThanEquals, 5000);
  assert.equal(def.States['Credit applied >= 5000?'].Choices[0].Next, 'Wait for human approval');
  assert.equal(def.States['Credit applied >= 5000?'].Default, 'Auto-approve limit');
  assert.equal(def.States['Wait for human approval'].Next, parallel);
  assert.equal(def.States[parallel].Branches.length, 2);
  assert.equal(def.States[parallel].Branches[1].StartAt, 'Verify address');
  assert.equal(def.States['Get scores from all credit bureaus'].ItemProcessor.StartAt, 'Get all scores');
  await screenshot(page, 'studio-credit-limit-code');
  assert.deepEqual(errors, []);
  await context.close();
});

async function assertValid(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="error-count"]')?.textContent === 'Valid', null, { timeout: 5000 })
    .catch(() => {});
  assert.equal(await page.getByTestId('error-count').textContent(), 'Valid');
}

test('renaming a state in the inspector changes only that name in the code', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('credit-limit');
  await studio.canvas.state('Auto-approve limit').waitFor();
  await studio.mode('code');
  await studio.codePanel.waitReady();
  const before = await studio.codePanel.text();
  await studio.canvas.selectState('Auto-approve limit');
  await studio.mode('design');
  await studio.inspector.rename('Approve automatically');
  await studio.canvas.state('Approve automatically').waitFor();
  await studio.mode('code');
  const afterText = await studio.codePanel.text();
  assert.equal(afterText, before.replaceAll('"Auto-approve limit"', '"Approve automatically"'));
  await screenshot(page, 'studio-renamed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a syntax error shows a marker while the graph keeps the last good machine; undo and redo cross visual and code edits', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('hello-world');
  const names = await studio.stateNames();
  await studio.canvas.selectState(names[0]);
  await studio.inspector.rename('First step');
  await studio.canvas.state('First step').waitFor();
  await studio.mode('code');
  await studio.codePanel.waitReady();
  const renamed = await studio.codePanel.text();

  await studio.codePanel.typeAfter('"StartAt": ', '}}');
  await page.getByTestId('stale-graph').waitFor();
  await studio.codePanel.lintMarkers().first().waitFor({ timeout: 5000 });
  assert.ok((await studio.stateNames()).includes('First step'), 'the graph keeps the last good machine');
  await screenshot(page, 'studio-syntax-error');
  // The banner says why visual edits are refused, and a refused drop says so too.
  assert.match(await page.getByTestId('stale-reason').textContent(), /^Line 3: /);
  await studio.mode('design');
  const first = await studio.graph().locator('svg g.edge[data-from="__start"]').first().getAttribute('data-to');
  await studio.canvas.dropOnEdge(studio.palette.item('pass'), '__start', first);
  await page.getByTestId('notice').filter({ hasText: 'Fix the syntax error first' }).waitFor();
  await screenshot(page, 'studio-syntax-error-design');
  await page.getByTestId('show-syntax-error').click();
  await studio.codePanel.waitReady();
  assert.ok((await studio.codePanel.text()).includes('"StartAt": }}'), 'the refused drop changed nothing');

  // Undo the typing (a code edit), then the rename (a visual edit); redo both.
  await studio.undo();
  await page.getByTestId('stale-graph').waitFor({ state: 'detached' });
  assert.equal(await studio.codePanel.text(), renamed);
  await studio.undo();
  await studio.canvas.state(names[0]).waitFor();
  assert.ok(!(await studio.codePanel.text()).includes('First step'));
  await studio.redo();
  await studio.canvas.state('First step').waitFor();
  assert.equal(await studio.codePanel.text(), renamed);
  await studio.redo();
  await page.getByTestId('stale-graph').waitFor();
  assert.ok((await studio.codePanel.text()).includes('"StartAt": }}'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('reload restores the document', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('two-lambdas');
  const names = await studio.stateNames();
  await studio.canvas.selectState(names[0]);
  await studio.inspector.rename('Kept across reload');
  await studio.canvas.state('Kept across reload').waitFor();
  await page.waitForTimeout(600);
  await page.reload();
  await studio.canvas.state('Kept across reload').waitFor({ timeout: 20000 });
  const docs = await page.getByTestId('doc-list').locator('option').count();
  assert.ok(docs >= 2, 'the document list keeps every document');
  await screenshot(page, 'studio-reloaded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard users insert a state by choosing an arrow and then a palette item', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('hello-world');
  // The template's first state and its successor, read from the graph.
  const first = await studio.graph().locator('svg g.edge[data-from="__start"]').first().getAttribute('data-to');
  const second = await studio.graph().locator(`svg g.edge[data-from="${first}"][data-kind="next"]`).first().getAttribute('data-to');
  const edge = studio.canvas.edge(first, second);
  await edge.focus();
  await page.keyboard.press('Enter');
  await studio.palette.item('wait').focus();
  await page.keyboard.press('Enter');
  await studio.canvas.state('Wait').waitFor();
  await studio.mode('code');
  const def = await codeJson(studio);
  assert.equal(def.States[first].Next, 'Wait');
  assert.equal(def.States.Wait.Next, second);
  assert.deepEqual(errors, []);
  await context.close();
});

test('dragging a state onto another arrow moves it there, in one undo step', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('credit-limit');
  await studio.canvas.moveStateToEdge('Get list of credit bureaus', 'Get credit limit', 'Credit applied >= 5000?');
  await studio.canvas.edge('Get credit limit', 'Get list of credit bureaus').waitFor();
  await studio.canvas.edge('Get list of credit bureaus', 'Credit applied >= 5000?').waitFor();
  await studio.canvas.edge("Verify applicant's identity and address", 'Get scores from all credit bureaus').waitFor();
  await screenshot(page, 'studio-moved-state');
  await studio.undo();
  await studio.canvas.edge('Get credit limit', 'Credit applied >= 5000?').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a pattern dropped on an arrow inserts its states into the workflow, in one undo step', async () => {
  const { page, errors, context, studio } = await open();
  await studio.newDocument('two-lambdas');
  await studio.canvas.state('Report by email').waitFor();
  await studio.palette.patterns();
  await studio.canvas.dropOnEdge(studio.palette.pattern('retry-backoff'), 'Call first function', 'Report by email');
  await studio.canvas.state('Call flaky service').waitFor();
  await studio.canvas.state('Give up').waitFor();
  // The pattern's success end continues to the workflow's next state instead of ending it.
  await studio.canvas.edge('Call flaky service', 'Report by email', 'next').waitFor();
  assert.equal(await studio.canvas.state('Done').count(), 0);
  await page.getByTestId('fit').click();
  await screenshot(page, 'studio-pattern-inserted');
  await assertValid(page);

  // Choosing an arrow and clicking a pattern inserts it there too; a name already used gets a suffix.
  await studio.canvas.edge('__start', 'Choose a function').click();
  await studio.palette.pattern('retry-backoff').click();
  await studio.canvas.state('Call flaky service (1)').waitFor();
  await studio.undo();
  await studio.canvas.state('Call flaky service (1)').waitFor({ state: 'detached' });
  await studio.undo();
  await studio.canvas.state('Call flaky service').waitFor({ state: 'detached' });
  await studio.mode('code');
  const def = await codeJson(studio);
  assert.equal(def.States['Call first function'].Next, 'Report by email');

  // Open still makes a new document from the pattern.
  await studio.mode('design');
  await studio.palette.patterns();
  await studio.palette.openPattern('callback').click();
  await studio.canvas.state('Send job and wait for callback').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a state dragged onto empty canvas stays where it was dropped, across reload, undo and reset', async () => {
  const { page, errors, context, studio } = await open();
  const { canvas } = studio;
  await studio.newDocument('two-lambdas');
  await canvas.state('Report by email').waitFor();
  const relative = async () => {
    const a = await canvas.stateRect('Report by email');
    const b = await canvas.stateRect('Choose a function');
    return { dx: a.x - b.x, dy: a.y - b.y };
  };
  const before = await relative();
  const zoom = await page.getByTestId('graph').locator('svg').first().evaluate((svg) => svg.getScreenCTM().a);
  await canvas.dragStateBy('Report by email', 240, 40);
  await page.getByTestId('reset-layout').waitFor();
  const after = await relative();
  assert.ok(Math.abs(after.dx - before.dx - 240 / zoom) < 3, `moved right: ${JSON.stringify({ before, after, zoom })}`);
  assert.ok(Math.abs(after.dy - before.dy - 40 / zoom) < 3, 'moved down');
  // Still linked: the incoming edges end on the moved box.
  const box = await canvas.stateRect('Report by email');
  const tip = await canvas.edge('Call second function', 'Report by email').locator('polygon.arrow').evaluate((p) => p.getAttribute('points').split(' ')[0].split(',').map(Number));
  assert.ok(tip[0] >= box.x - 1 && tip[0] <= box.x + box.w + 1 && tip[1] >= box.y - 1 && tip[1] <= box.y + box.h + 1, 'the arrow ends on the moved box');
  await screenshot(page, 'studio-free-position');

  await studio.undo();
  await page.getByTestId('reset-layout').waitFor({ state: 'detached' });
  assert.deepEqual(await relative(), before, 'undo puts it back in one step');
  await studio.redo();
  await page.getByTestId('reset-layout').waitFor();
  assert.deepEqual(await relative(), after, 'redo moves it again');

  await page.waitForTimeout(500); // autosave
  await page.reload();
  await canvas.state('Report by email').waitFor();
  assert.deepEqual(await relative(), after, 'the position survives a reload');
  await page.getByTestId('reset-layout').click();
  await page.getByTestId('reset-layout').waitFor({ state: 'detached' });
  assert.deepEqual(await relative(), before, 'reset layout puts it back');
  assert.deepEqual(errors, []);
  await context.close();
});

test('deleting the target of a Choice Default flags the Default instead of dropping it', async () => {
  const { page, errors, context, studio } = await open();
  const { canvas, inspector } = studio;
  await studio.newDocument('hello-world');
  // The Default goes to a Fail state: nothing follows it, so deleting it cannot reconnect.
  await canvas.state('Fail the execution').waitFor();
  await canvas.selectState('Fail the execution');
  await inspector.delete();
  await canvas.state('Fail the execution').waitFor({ state: 'detached' });
  await page.getByTestId('notice').filter({ hasText: 'choose its new Default' }).waitFor();
  // The graph shows the missing target and the inspector says the Default needs a new state.
  await studio.graph().locator('svg g.missing[data-missing="Fail the execution"]').waitFor();
  await canvas.selectState('Is Hello World example');
  await page.getByTestId('choice-default-missing').waitFor({ state: 'attached' });
  await screenshot(page, 'studio-default-flagged');
  await page.getByTestId('choice-default').selectOption('Hello World example done');
  await studio.graph().locator('svg g.missing').waitFor({ state: 'detached' });
  await studio.mode('code');
  const def = await codeJson(studio);
  assert.equal(def.States['Is Hello World example'].Default, 'Hello World example done');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every file button opens the file picker from the keyboard and reads the picked file', async () => {
  const { page, errors, context, studio } = await open();
  const json = (name, value) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value, null, 2)) });
  // Header: Tab from the template menu reaches Open (the hidden input takes no tab stop).
  await page.getByTestId('new-from-template').focus();
  await page.keyboard.press('Tab');
  assert.equal(await studio.focused(), 'open-file');
  const def = { StartAt: 'Picked by keyboard', States: { 'Picked by keyboard': { Type: 'Succeed' } } };
  await studio.pickFileWithKeyboard('open-file', json('keyboard.asl.json', def));
  await studio.canvas.state('Picked by keyboard').waitFor();
  assert.equal(await page.getByTestId('doc-name').inputValue(), 'keyboard');
  assert.equal(await studio.focused(), 'open-file', 'the focus stays on the button');

  // IaC import dialog: "Open file…" with the space bar.
  await page.getByTestId('iac-menu').selectOption('import');
  await page.getByTestId('iac-import-dialog').waitFor();
  const template = {
    Resources: { Picked: { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: { StartAt: 'From a template', States: { 'From a template': { Type: 'Pass', End: true } } } } } },
  };
  await studio.pickFileWithKeyboard('iac-open-file', json('template.json', template), 'Space');
  await page.getByTestId('iac-import-dialog').waitFor({ state: 'detached' });
  await studio.canvas.state('From a template').waitFor();

  // Run mode: mocks and history imports.
  await studio.mode('run');
  const mocks = { StateMachines: { M: { TestCases: { KeyboardCase: { 'From a template': 'R' } } } }, MockedResponses: { R: { 0: { Return: {} } } } };
  await studio.pickFileWithKeyboard('mocks-import', json('MockConfigFile.json', mocks));
  await page.waitForFunction(() => document.querySelector('[data-testid="run-test-case"]')?.value === 'KeyboardCase');
  await studio.pickFileWithKeyboard('history-import', { name: 'history.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await page.getByTestId('run-status').filter({ hasText: 'Cannot import' }).waitFor();
  assert.equal(await studio.focused(), 'history-import');
  await screenshot(page, 'file-buttons-keyboard');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Choice rule builder keeps values its lists do not offer: missing targets flagged, other operators shown', async () => {
  const { page, errors, context, studio } = await open();
  const def = {
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.a', StringEqualsPath: '$.b', Next: 'Deleted long ago' },
          { Variable: '$.n', NumericGreaterThan: 3 },
        ],
      },
      Done: { Type: 'Succeed' },
    },
  };
  await page.getByTestId('open-file-input').setInputFiles({ name: 'route.asl.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(def, null, 2)) });
  await studio.canvas.state('Route').waitFor();
  await studio.canvas.selectState('Route');
  const rule = (i, part) => page.getByTestId(`choice-rule-${i}-${part}`);
  // An operator the list does not offer stays selected, as written.
  assert.equal(await rule(0, 'operator').inputValue(), 'StringEqualsPath');
  // A Next naming no state is flagged, not replaced by the first state of the list.
  await rule(0, 'next-missing').waitFor({ state: 'attached' });
  assert.equal(await rule(0, 'next').inputValue(), 'Deleted long ago');
  assert.match(await rule(0, 'next-missing').textContent(), /Deleted long ago \(missing: choose another state\)/);
  // A rule without Next asks for one; no Default reads "(no default)".
  assert.equal(await rule(1, 'next').locator('option:checked').textContent(), '(choose a state)');
  assert.equal(await page.getByTestId('choice-default').locator('option:checked').textContent(), '(no default)');
  await screenshot(page, 'studio-choice-unlisted-values');
  await studio.inspector.setRule(0, { next: 'Done' });
  await rule(0, 'next-missing').waitFor({ state: 'detached' });
  await studio.mode('code');
  const back = await codeJson(studio);
  assert.deepEqual(back.States.Route.Choices[0], { Variable: '$.a', StringEqualsPath: '$.b', Next: 'Done' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('long document and state names stay readable: ellipsis, the whole name as a title, nothing pushed out of view', async () => {
  const docName = 'Monthly settlement reconciliation with the payment provider';
  const first = 'Reconcile the nightly settlement batch against the payment provider ledger';
  const second = 'Notify the finance operations team that the reconciliation finished';
  const def = {
    StartAt: first,
    States: {
      [first]: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'reconcile' }, Next: second },
      [second]: { Type: 'Succeed' },
    },
  };
  const widths = {};
  for (const [width, height] of [[1280, 800], [1366, 768], [1024, 768]]) {
    const { page, errors, context } = await newPage(browser, { viewport: { width, height } });
    const studio = new StudioPage(page, server.url);
    await studio.goto();
    await page.getByTestId('open-file-input').setInputFiles({ name: `${docName}.asl.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(def, null, 2)) });
    await studio.canvas.state(first).waitFor();
    const docList = page.getByTestId('doc-list');
    assert.equal(await docList.getAttribute('title'), docName);
    assert.equal(await page.getByTestId('doc-name').getAttribute('title'), docName);
    assert.equal(await docList.evaluate((e) => getComputedStyle(e).textOverflow), 'ellipsis');
    const box = await docList.boundingBox();
    widths[width] = box.width;
    assert.ok(box.width >= 110 && box.width <= 280, `document list ${box.width}px wide at ${width}`);
    // Every header control is on screen: the header fits, or wraps onto a second row.
    const header = await page.locator('header.header').evaluate((h) => ({ scroll: h.scrollWidth, client: h.clientWidth }));
    assert.ok(header.scroll <= header.client, `the header scrolls at ${width}px (${header.scroll} > ${header.client})`);
    const help = await page.getByTestId('help').boundingBox();
    assert.ok(help.x + help.width <= width, `Help is off screen at ${width}px`);

    await studio.canvas.selectState(first);
    assert.equal(await page.getByTestId('inspector-next').getAttribute('title'), second);
    assert.equal(await page.getByTestId('inspector-name').getAttribute('title'), first);
    await screenshot(page, `long-names-${width}`);
    // Run mode: the Task picker of the per-Task mocks stays inside its panel.
    await studio.mode('run');
    const picker = page.getByTestId('task-mock-state');
    assert.equal(await picker.getAttribute('title'), first);
    const panel = await page.getByTestId('run-panel').boundingBox();
    const pick = await picker.boundingBox();
    assert.ok(pick.x + pick.width <= panel.x + panel.width, `the Task picker overflows the run panel at ${width}px`);
    await screenshot(page, `long-names-run-${width}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
  assert.ok(widths[1366] > widths[1280], 'a wider window gives the document list more room');
});
