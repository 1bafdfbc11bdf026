// The graph in the studio canvas, for every template and every state type: screenshots to look at,
// and the geometry read from the DOM — no overlapping boxes, no edge through a box, no label over
// another label or a box, no text spilling out of its box (the app measures text in the real font).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { newPage, screenshot, ROOT } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { GraphGeometry, geometryProblems, polylineDistance } from './pages/graph.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

const TEMPLATES = ['credit-limit', 'two-lambdas', 'hello-world', 'retry-backoff', 'callback', 'map-items', 'error-fallback'];
const MACHINES = path.join(ROOT, 'crates/asl-graph/test_data/machines');
const DRAWINGS = fs.readdirSync(MACHINES)
  .filter((f) => f.endsWith('.asl.json') && (f.startsWith('type_') || ['catch', 'loop', 'poll_loop', 'poll_loop_labelled', 'nested_parallel_in_map', 'order_pipeline', 'dangling_and_unreachable'].some((n) => f === `${n}.asl.json`)))
  .map((f) => f.replace('.asl.json', ''));
// Long names: boxes must grow (or cut the name) so that text never spills out.
const LONG_NAMES = {
  StartAt: 'Wait for X seconds',
  States: {
    'Wait for X seconds': { Type: 'Wait', Seconds: 5, Next: 'Wait for the human approval of the credit limit' },
    'Wait for the human approval of the credit limit': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', 'Message.$': '$$.Task.Token' },
      Next: 'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW',
    },
    WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW: { Type: 'Pass', End: true },
  },
};

useStudio();

/** Opens the studio on a definition by storing it as the current document, as autosave does. */
async function openText(text) {
  const { page, errors, context } = await newPage(browser);
  const studio = new StudioPage(page, server.url);
  await page.addInitScript((stored) => {
    if (sessionStorage.getItem('graph-test-seeded')) return;
    sessionStorage.setItem('graph-test-seeded', '1');
    localStorage.clear();
    localStorage.setItem('asl-studio.docs', JSON.stringify([{ id: 'g1', name: 'Graph test' }]));
    localStorage.setItem('asl-studio.current', 'g1');
    localStorage.setItem('asl-studio.doc.g1', JSON.stringify({ text: stored }));
  }, text);
  await studio.goto();
  return { page, errors, context, studio };
}

async function check(page, name) {
  await page.getByTestId('fit').click();
  await page.waitForTimeout(100);
  await screenshot(page, `graph-${name}`);
  const geometry = await new GraphGeometry(page).read();
  assert.ok(geometry.nodes.length > 2, `${name}: the graph is drawn`);
  assert.deepEqual(geometryProblems(geometry), [], `${name}: the drawing is readable`);
  return geometry;
}

test('every template draws without overlaps, crossings through boxes or spilling text', async () => {
  const { page, errors, context, studio } = await openText(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }));
  for (const id of TEMPLATES) {
    await studio.newDocument(id);
    const def = JSON.parse(fs.readFileSync(path.join(ROOT, `crates/asl-designer/templates/${id}.asl.json`), 'utf8'));
    await studio.canvas.state(def.StartAt).waitFor();
    const g = await check(page, `template-${id}`);
    if (id === 'credit-limit') {
      const names = g.nodes.map((n) => n.name);
      assert.ok(names.includes('Credit applied >= 5000?'));
      assert.ok(names.includes('Get scores from all credit bureaus'));
      // The Parallel's branches join at its exit: lines into the branch ends stop on its bottom side.
      const parallel = g.nodes.find((n) => n.name === "Verify applicant's identity and address");
      const joins = g.edges.filter((e) => e.to === '__branch_end' && ['Verify identity', 'Verify address'].includes(e.from));
      assert.equal(joins.length, 2);
      for (const e of joins) {
        const last = e.points[e.points.length - 1];
        assert.ok(Math.abs(last.x - (parallel.x + parallel.w / 2)) < 1, 'joins at the middle');
        assert.ok(last.y > parallel.y + parallel.h - 20 && last.y <= parallel.y + parallel.h, 'joins at the bottom');
      }
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

for (const name of DRAWINGS) {
  test(`state drawing ${name} is readable in the canvas`, async () => {
    const text = fs.readFileSync(path.join(MACHINES, `${name}.asl.json`), 'utf8');
    const { page, errors, context } = await openText(text);
    await check(page, name);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a two-state loop draws its back edge apart from the forward edge, its label clear of both', async () => {
  const text = fs.readFileSync(path.join(MACHINES, 'poll_loop.asl.json'), 'utf8');
  const { page, errors, context } = await openText(text);
  const g = await check(page, 'poll-loop-2-state');
  const forward = g.edges.find((e) => e.from === 'Wait for job' && e.to === 'Job done?');
  const back = g.edges.find((e) => e.from === 'Job done?' && e.to === 'Wait for job');
  assert.ok(forward && back, 'both edges are drawn');
  assert.ok(polylineDistance(forward.points, back.points) >= 24, JSON.stringify({ forward, back }));
  const label = g.labels.find((l) => l.from === 'Job done?' && l.to === 'Wait for job');
  const line = Math.max(...back.points.map((p) => p.x));
  assert.ok(label.rect.x >= line, 'the Default label sits beside the back edge, not on a line');
  // The checks themselves notice the old drawing: the back edge on the forward edge's ports.
  const cramped = { ...g, edges: g.edges.map((e) => (e === back ? { ...e, points: [...forward.points].reverse() } : e)) };
  assert.ok(geometryProblems(cramped).some((p) => p.includes('and back run')), 'a back edge on the forward edge is reported');
  assert.deepEqual(errors, []);
  await context.close();
});

test('long state names stay inside their boxes', async () => {
  const { page, errors, context } = await openText(JSON.stringify(LONG_NAMES, null, 2));
  const g = await check(page, 'long-names');
  const wait = g.nodes.find((n) => n.name === 'Wait for X seconds');
  assert.equal(wait.texts[0].text, 'Wait for X seconds', 'a short name is not cut');
  const cut = g.nodes.find((n) => n.name === 'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW');
  assert.ok(cut.texts[0].text.endsWith('…'), 'a name too long for the widest box is cut');
  assert.deepEqual(errors, []);
  await context.close();
});
