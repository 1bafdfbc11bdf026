// Keystroke cost on a 200-state machine: reports (does not assert) the time the studio spends per
// keystroke in the code editor (designer edit, parse, scene) as shown by its `keystroke-ms` readout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newPage } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

useStudio();

function bigMachine(n) {
  const states = {};
  for (let i = 0; i < n; i++) {
    states[`Step ${i}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:step-${i}`, 'Payload.$': '$' },
      ResultPath: `$.results.step${i}`,
      ...(i + 1 < n ? { Next: `Step ${i + 1}` } : { End: true }),
    };
  }
  return JSON.stringify({ Comment: 'Two hundred states', StartAt: 'Step 0', States: states }, null, 2);
}

test('typing in a 200-state machine: time per keystroke', async () => {
  const { page, errors, context } = await newPage(browser);
  const studio = new StudioPage(page, server.url);
  await studio.goto();
  const file = path.join(os.tmpdir(), `big-${Date.now()}.asl.json`);
  fs.writeFileSync(file, bigMachine(200));
  await page.getByTestId('open-file-input').setInputFiles(file);
  await studio.canvas.state('Step 199').waitFor({ timeout: 30000 });
  await studio.mode('code');
  await studio.codePanel.waitReady();
  await studio.codePanel.typeAfter('"Comment": "Two hundred', '');
  const samples = [];
  for (const ch of 'abcdefghijklmnopqrst') {
    const t0 = Date.now();
    await page.keyboard.type(ch);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    const wall = Date.now() - t0;
    const ms = parseFloat(await page.getByTestId('keystroke-ms').textContent());
    samples.push({ ms, wall });
  }
  const rust = samples.map((s) => s.ms).sort((a, b) => a - b);
  const wall = samples.map((s) => s.wall).sort((a, b) => a - b);
  const median = (xs) => xs[Math.floor(xs.length / 2)];
  console.log(`# keystroke on 200 states: studio median ${median(rust)} ms, max ${rust.at(-1)} ms; ` +
    `keypress to next frame (includes the test driver) median ${median(wall)} ms, max ${wall.at(-1)} ms`);
  assert.ok((await studio.codePanel.text()).includes('Two hundredabcdefghijklmnopqrst'));
  assert.deepEqual(errors, []);
  await context.close();
});
