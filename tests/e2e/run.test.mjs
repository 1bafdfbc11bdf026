// Run mode: mocks, callbacks, retries and catches on the graph, page mocks, history export and replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newPage, screenshot, docsScreenshot } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { RunPanel } from './pages/run.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

useStudio();

async function openTemplate(id) {
  const { page, errors, context } = await newPage(browser, { acceptDownloads: true });
  const studio = new StudioPage(page, server.url);
  await studio.goto();
  await studio.newDocument(id);
  const run = new RunPanel(page);
  await run.open();
  return { page, errors, context, studio, run };
}

function stateClass(page, name) {
  return page.locator(`[data-testid="graph"] g.state[data-state="${name}"]`).getAttribute('class');
}

test('the credit-limit template runs to success with its mocks and takes Auto-approve', async () => {
  const { page, errors, context, run } = await openTemplate('credit-limit');
  await run.testCase('AutoApproval');
  await run.run();
  await run.waitStatus('SUCCEEDED');
  assert.equal(await run.rowStatus('Auto-approve limit'), 'succeeded');
  assert.equal(await run.row('Wait for human approval').count(), 0);
  assert.match(await stateClass(page, 'Auto-approve limit'), /status-succeeded/);
  assert.match(await run.output().textContent(), /score/);
  await screenshot(page, 'run-credit-limit-auto');
  assert.deepEqual(errors, []);
  await context.close();
});

test('with a credit limit of 5000 or more the run waits at the callback until success is sent', async () => {
  const { page, errors, context, run } = await openTemplate('credit-limit');
  await run.testCase('HumanApproval');
  await run.run();
  await run.callbackCard().waitFor();
  await run.waitStatus('Waiting');
  assert.match(await stateClass(page, 'Wait for human approval'), /status-running/);
  await screenshot(page, 'run-credit-limit-waiting');
  await run.sendSuccess({ approved: true });
  await run.waitStatus('SUCCEEDED');
  assert.equal(await run.callbackCard().count(), 0);
  assert.equal(await run.rowStatus('Wait for human approval'), 'succeeded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Throw mock with Retry shows the attempts and the Catch path turns the state orange', async () => {
  const { page, errors, context, run } = await openTemplate('retry-backoff');
  await run.testCase('AlwaysFails');
  await run.run();
  await run.waitStatus('FAILED');
  assert.equal(await run.rowStatus('Call flaky service'), 'caught');
  assert.match(await run.row('Call flaky service').textContent(), /6 failed/);
  assert.match(await stateClass(page, 'Call flaky service'), /status-caught/);
  await page.getByTestId('failure-banner').waitFor();
  await page.getByTestId('failure-view-step').click();
  await page.getByTestId('step-details').waitFor();
  await screenshot(page, 'run-retry-caught');
  // The README's picture: the steps with the six failed attempts next to the graph.
  await page.locator('.run-panel > details > summary').first().click();
  await page.getByTestId('run-view-table').click();
  await run.row('Call flaky service').waitFor();
  await docsScreenshot(page, 'screenshot-run');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a JS mock registered by the page answers a task', async () => {
  const { page, errors, context, run } = await openTemplate('credit-limit');
  await page.evaluate(() => {
    window.aslStudio.registerMock('Get credit limit', async (input, ctx) => ({
      StatusCode: 200,
      Payload: { credit_limit: 42, seenState: ctx.state },
    }));
  });
  await run.testCase('AutoApproval');
  await run.run();
  await run.waitStatus('SUCCEEDED');
  await run.row('Get credit limit').click();
  await page.getByTestId('run-view-details').click();
  assert.match(await page.getByTestId('step-output').textContent(), /"credit_limit": 42/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an exported history re-imports and replays identically', async () => {
  const { page, errors, context, run } = await openTemplate('retry-backoff');
  await run.testCase('SucceedsOnThirdAttempt');
  await run.run();
  await run.waitStatus('SUCCEEDED');
  const before = await run.events();
  const classBefore = await stateClass(page, 'Call flaky service');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export').click()]);
  const file = path.join(os.tmpdir(), `history-${Date.now()}.json`);
  await download.saveAs(file);
  const history = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(history.events.length, before.length);
  await page.getByTestId('history-import-input').setInputFiles(file);
  await run.waitStatus('Imported history');
  assert.deepEqual(await run.events(), before);
  assert.equal(await stateClass(page, 'Call flaky service'), classBefore);
  await screenshot(page, 'run-history-replayed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the per-Task mock editor turns a response into a Throw and the failure banner shows it', async () => {
  const { page, errors, context, run } = await openTemplate('two-lambdas');
  await run.testCase('First');
  await page.getByTestId('task-mock-state').selectOption('Call first function');
  const seq = page.getByTestId('task-mock-sequence');
  assert.match(await seq.inputValue(), /Return/);
  await seq.fill(JSON.stringify({ 0: { Throw: { Error: 'Boom', Cause: 'Mocked in the editor' } } }));
  await seq.blur();
  assert.match(await page.getByTestId('run-mocks').inputValue(), /Boom/);
  await run.run();
  await run.waitStatus('FAILED');
  assert.match(await page.getByTestId('failure-banner').textContent(), /Boom/);
  assert.equal(await run.rowStatus('Call first function'), 'failed');
  await screenshot(page, 'run-mock-editor-throw');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a breakpoint pauses the run before its state; step and continue go on; events filter', async () => {
  const { page, errors, context, run } = await openTemplate('retry-backoff');
  await run.testCase('SucceedsOnThirdAttempt');
  await page.locator('[data-testid="graph"] g.state[data-state="Done"] rect.box').first().click({ position: { x: 24, y: 10 } });
  await page.getByTestId('run-breakpoint').click();
  assert.match(await page.getByTestId('run-breakpoints').textContent(), /Done/);
  await run.run();
  await run.waitStatus('Paused before Done');
  assert.equal(await run.row('Done').count(), 0);
  await page.getByTestId('run-step').click();
  await page.getByTestId('run-continue').click();
  await run.waitStatus('SUCCEEDED');
  assert.equal(await run.rowStatus('Done'), 'succeeded');
  await page.getByTestId('run-view-events').click();
  await page.getByTestId('events-filter').fill('TaskFailed');
  assert.equal(await page.getByTestId('event').count(), 2);
  await screenshot(page, 'run-events-filtered');
  assert.deepEqual(errors, []);
  await context.close();
});

test('scaled real time: a Wait state counts down before the run goes on', async () => {
  const { page, errors, context, run } = await openTemplate('hello-world');
  await page.getByTestId('run-speed').selectOption('1');
  await run.run();
  await page.waitForFunction(
    () => /^Waiting \d/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''),
    null,
    { timeout: 5000 },
  );
  await screenshot(page, 'run-real-time-wait');
  await run.waitStatus('SUCCEEDED');
  assert.deepEqual(errors, []);
  await context.close();
});

test('test cases are saved with the document, run all shows pass/fail with the reason, and coverage is drawn on the graph', async () => {
  const { page, errors, context, studio, run } = await openTemplate('credit-limit');
  await run.testCase('AutoApproval');
  await run.run();
  await run.waitStatus('SUCCEEDED');
  await run.saveAsTestCase('auto approval');
  await page.getByTestId('run-answer-callbacks').uncheck();
  await run.testCase('HumanApproval');
  await run.setInput({ amount: 7500 });
  await run.run();
  await run.waitStatus('SUCCEEDED');
  await run.saveAsTestCase('human approval');
  // A third case whose expectation is wrong, written in the JSON editor.
  await run.editTestCase('auto approval', (c) => ({ ...c, name: 'expects a failure', expect: { status: 'FAILED' } }));
  assert.equal(await run.testCases().count(), 3);

  await run.runAllTestCases();
  assert.equal(await run.testCaseResult('auto approval'), 'pass');
  assert.equal(await run.testCaseResult('human approval'), 'pass');
  assert.equal(await run.testCaseResult('expects a failure'), 'fail');
  assert.match(
    await run.testCase_('expects a failure').getByTestId('test-case-reason').textContent(),
    /expected status FAILED, got SUCCEEDED/,
  );
  assert.match(await page.getByTestId('test-summary').textContent(), /2 passed, 1 failed/);
  assert.match(await page.getByTestId('coverage-summary').textContent(), /states covered 10\/10/);

  // Coverage of the auto-approval path only: the human approval state and its edges are not covered.
  await run.testCase_('human approval').getByTestId('test-case-delete').click();
  await page.getByTestId('coverage-toggle').check();
  await run.runAllTestCases();
  assert.match(await page.getByTestId('coverage-summary').textContent(), /states covered 9\/10/);
  assert.match(await stateClass(page, 'Wait for human approval'), /status-not-run/);
  assert.match(await stateClass(page, 'Auto-approve limit'), /status-succeeded/);
  const edge = (from, to) =>
    page.locator(`[data-testid="graph"] g.edge[data-from="${from}"][data-to="${to}"]`).getAttribute('class');
  assert.match(await edge('Credit applied >= 5000?', 'Auto-approve limit'), /\btaken\b/);
  assert.match(await edge('Credit applied >= 5000?', 'Wait for human approval'), /not-taken/);
  await screenshot(page, 'run-test-cases-coverage');

  // The studio document for `asl test` carries the cases with their mocks resolved.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('test-cases-export').click()]);
  const file = path.join(os.tmpdir(), `studio-${Date.now()}.json`);
  await download.saveAs(file);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.testCases.map((c) => c.name), ['auto approval', 'expects a failure']);
  assert.ok(doc.testCases[0].mocks['Get credit limit']['0'].Return);
  assert.equal(doc.testCases[0].mockTestCase, undefined);

  // Saved with the document: still there after a reload.
  await page.waitForTimeout(500);
  await studio.goto();
  await run.open();
  assert.equal(await run.testCases().count(), 2);
  assert.equal(await page.getByTestId('test-cases').evaluate((d) => d.open), true);
  // The exported file opens as a document with its test cases, which pass the same way.
  await page.getByTestId('open-file-input').setInputFiles(file);
  await run.open();
  assert.equal(await run.testCases().count(), 2);
  await run.runAllTestCases();
  assert.match(await page.getByTestId('test-summary').textContent(), /1 passed, 1 failed/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the cost estimate states its assumptions; Express is saved with the document and its limits apply', async () => {
  const { page, errors, context, studio, run } = await openTemplate('credit-limit');
  await run.testCase('AutoApproval');
  await run.run();
  await run.waitStatus('SUCCEEDED');
  const cost = page.getByTestId('run-cost');
  assert.match(await page.getByTestId('run-cost-summary').textContent(), /Cost estimate: Standard \$[\d.]+ · Express \$[\d.]+ per run/);
  await page.getByTestId('run-cost-summary').click();
  assert.match(await page.getByTestId('cost-standard').textContent(), /Standard: \d+ state transitions/);
  assert.match(await page.getByTestId('cost-express').textContent(), /Express: 1 request, \d+ ms × 64 MB/);
  assert.match(await page.getByTestId('cost-assumptions').textContent(), /US East.*\$0\.025 per 1,000 state transitions.*64 MB chunks/);
  await page.getByTestId('cost-executions').fill('100000');
  await page.getByTestId('cost-executions').blur();
  assert.match(await cost.textContent(), /100,000 runs a month/);
  await screenshot(page, 'run-cost-estimate');

  // Express: AWS refuses .waitForTaskToken, so nothing runs; the choice is kept with the document.
  await run.machineType('EXPRESS');
  await run.run();
  await page.waitForFunction(
    () => /InvalidDefinition: Express state machines do not support the \.waitForTaskToken/.test(
      document.querySelector('[data-testid="run-status"]')?.textContent ?? ''),
    null,
    { timeout: 5000 },
  );
  await page.waitForTimeout(500);
  await studio.goto();
  await run.open();
  assert.equal(await page.getByTestId('run-machine-type').inputValue(), 'EXPRESS');
  assert.deepEqual(errors, []);
  await context.close();
});

const SCOPES = {
  Comment: 'Variables across a Parallel state and a Map state',
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Assign: { greeting: 'hi' }, Next: 'Both' },
    Both: {
      Type: 'Parallel',
      ResultPath: null,
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', Assign: { inBranch: 1 }, End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
      ],
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ResultPath: null,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Remember',
        States: {
          Remember: { Type: 'Pass', Assign: { 'seen.$': '$' }, Next: 'Use' },
          Use: { Type: 'Pass', End: true },
        },
      },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

test('a Map iteration or a Parallel branch can be picked; step details show the context object and the variables of that step', async () => {
  const { page, errors, context } = await newPage(browser);
  const studio = new StudioPage(page, server.url);
  await studio.goto();
  const file = path.join(os.tmpdir(), `scopes-${Date.now()}.asl.json`);
  fs.writeFileSync(file, JSON.stringify(SCOPES, null, 2));
  await page.getByTestId('open-file-input').setInputFiles(file);
  await studio.canvas.state('Remember').waitFor();
  const run = new RunPanel(page);
  await run.open();
  await run.setInput({ items: ['a', 'b', 'c'] });
  await run.run();
  await run.waitStatus('SUCCEEDED');

  await run.pickScope('Each', 1);
  const names = await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
  assert.deepEqual(names, ['Each', 'Remember', 'Use']);
  const use = await run.stepDetails('Use');
  assert.deepEqual(use.context.Map, { Item: { Index: 1, Value: 'b' } });
  assert.equal(use.context.State.Name, 'Use');
  assert.equal(use.context.Execution.Input.items.length, 3);
  assert.ok(use.context.StateMachine.Id);
  // In scope at that step: the outer variable and this iteration's, not the branch-local one.
  assert.deepEqual(use.variables, { greeting: 'hi', seen: 'b' });
  await run.row('Use').click();
  await page.getByTestId('run-view-details').click();
  await page.getByTestId('step-context').scrollIntoViewIfNeeded();
  await screenshot(page, 'run-map-iteration-details');
  await page.getByTestId('run-view-table').click();

  await run.pickScope('Both', 'Right');
  const branch = await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
  assert.deepEqual(branch, ['Both', 'Right']);
  const right = await run.stepDetails('Right');
  assert.deepEqual(right.variables, { greeting: 'hi' });
  assert.equal(right.context.Map, undefined);
  const done = await (async () => {
    await page.getByTestId('scope-owner').selectOption('');
    return run.stepDetails('Done');
  })();
  assert.deepEqual(done.variables, { greeting: 'hi' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 10,000-item Map run yields to the page while it runs, completes, and its steps can be read', async () => {
  const { page, errors, context } = await newPage(browser);
  const studio = new StudioPage(page, server.url);
  await studio.goto();
  const machine = {
    StartAt: 'Process items',
    States: {
      'Process items': {
        Type: 'Map',
        ItemsPath: '$.items',
        ResultPath: null,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Shape item',
          States: {
            'Shape item': { Type: 'Pass', Parameters: { 'id.$': '$' }, Next: 'Store item' },
            'Store item': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'Payload.$': '$' }, End: true },
          },
        },
        End: true,
      },
    },
  };
  const file = path.join(os.tmpdir(), `map10k-${Date.now()}.asl.json`);
  fs.writeFileSync(file, JSON.stringify(machine, null, 2));
  await page.getByTestId('open-file-input').setInputFiles(file);
  await studio.canvas.state('Store item').waitFor();
  const run = new RunPanel(page);
  await run.open();
  await run.machineType('EXPRESS');
  await run.unmocked('echo');
  await page.getByTestId('run-input').fill(JSON.stringify({ items: [...Array(10000).keys()] }));
  // Records every status the page shows: an intermediate one means the run let the page paint.
  await page.evaluate(() => {
    window.__statuses = [];
    const el = document.querySelector('[data-testid="run-status"]');
    new MutationObserver(() => window.__statuses.push(el.textContent)).observe(el, { subtree: true, childList: true, characterData: true });
  });
  await run.run();
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'SUCCEEDED', null, { timeout: 180000 });
  const statuses = await page.evaluate(() => window.__statuses);
  assert.ok(statuses.some((s) => /^Running… \d+ events$/.test(s)), `no progress shown: ${statuses.slice(0, 5)}`);
  // The page answers: a frame is painted and the views open.
  assert.equal(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(true)))), true);
  assert.match(await page.getByTestId('run-table-more').textContent(), /Steps 1–100 of 20001/);
  await run.pickScope('Process items', 9999);
  const names = await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
  assert.deepEqual(names, ['Process items', 'Shape item', 'Store item']);
  assert.match(await run.row('Store item').textContent(), /#9999/);
  // The context object (cut: its Execution.Input holds the 10,000 items) names the iteration.
  await run.row('Store item').click();
  await page.getByTestId('run-view-details').click();
  const ctx = await page.getByTestId('step-context').textContent();
  assert.match(ctx, /"Index": 9999,\s*"Value": 9999/);
  await page.getByTestId('run-view-events').click();
  assert.equal(await page.getByTestId('event').count(), 50);
  await screenshot(page, 'run-map-10k');
  assert.deepEqual(errors, []);
  await context.close();
});
