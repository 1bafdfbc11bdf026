// The iframe viewer's logic (a separate file so that the page's CSP allows no inline script).
//
// Configuration is data only: `#doc=` (base64url of deflate-raw of the document JSON), `theme`,
// `mode` and `origin` (the parent origins allowed to drive the viewer, comma-separated) from the
// fragment or the query. Messages are accepted only from the parent window and an allowed origin:
//   {type: 'asl:load', definition}                   replace the definition
//   {type: 'asl:run', input, mocks, testCase}        run; answered with asl:history
//   {type: 'asl:registerMocks', states: [...]}       forward those states' tasks to the parent:
//     viewer -> parent {type: 'asl:task', id, state, input, context}
//     parent -> viewer {type: 'asl:taskResult', id, output} or {type: 'asl:taskResult', id, error, cause}
// The viewer posts {type: 'asl:ready'}, {type: 'asl:history', events, status, output, error, cause}
// and {type: 'asl:resize', height} (whenever the content height changes) to the parent.
import { mount, decodeDoc } from './asl-embed.js';

const TASK_TIMEOUT_MS = 30000;
const params = new URLSearchParams(location.search);
for (const [k, v] of new URLSearchParams(location.hash.slice(1))) params.set(k, v);

const allowed = new Set([location.origin]);
const listed = [
  ...params.getAll('origin').flatMap((o) => o.split(',')),
  ...(document.documentElement.dataset.allowedOrigins || '').split(/[\s,]+/),
];
for (const o of listed) {
  try {
    if (o.trim()) allowed.add(new URL(o.trim()).origin);
  } catch {
    // Not an origin: ignored.
  }
}

// Where replies go: the parent's origin when it is allowed (known from the first accepted
// message, or from the browser's ancestor origins before that).
let parentOrigin = null;
const guess = globalThis.location.ancestorOrigins?.[0];
if (guess && allowed.has(guess)) parentOrigin = guess;

function post(message) {
  if (window.parent !== window && parentOrigin) window.parent.postMessage(message, parentOrigin);
}

const message = document.getElementById('message');
const host = document.getElementById('viewer');
const theme = params.get('theme') || 'light';
const mode = params.get('mode') === 'run' ? 'run' : 'view';
let doc = { version: 1, definition: { StartAt: 'Start', States: { Start: { Type: 'Succeed' } } } };
let viewer = null;
let remoteStates = new Set();
const pending = new Map();
let nextTask = 1;

function testCase() {
  return Array.isArray(doc.testCases) ? doc.testCases[0] : undefined;
}

/** Forwards a task of a registered state to the parent and waits for its answer. */
function remoteTask(state, input, context) {
  const id = nextTask++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject({ error: 'Embed.TaskTimeout', cause: `the host page did not answer the task of '${state}'` });
    }, TASK_TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    post({ type: 'asl:task', id, state, input, context });
  });
}

function handler(state, input, context) {
  return remoteStates.has(state) ? remoteTask(state, input, context) : undefined;
}

function report(r) {
  post({ type: 'asl:history', events: r.events, status: r.status, output: r.output ?? null, error: r.error ?? null, cause: r.cause ?? null });
}

async function show() {
  const tc = testCase();
  viewer = await mount(host, {
    definition: doc.definition,
    theme,
    mode,
    input: tc?.input,
    mocks: tc?.mocks,
    handler,
    studioUrl: params.get('studio') === 'off' ? false : undefined,
    onResult: report,
  });
}

async function onMessage(event) {
  if (event.source !== window.parent || window.parent === window) return;
  if (!allowed.has(event.origin)) return;
  const data = event.data;
  if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
  parentOrigin = event.origin;
  switch (data.type) {
    case 'asl:load':
      doc = { version: 1, definition: data.definition };
      viewer.load(data.definition);
      message.textContent = '';
      break;
    case 'asl:run':
      await viewer.run({ input: data.input, mocks: data.mocks, testCase: data.testCase });
      break;
    case 'asl:registerMocks':
      remoteStates = new Set((Array.isArray(data.states) ? data.states : []).filter((s) => typeof s === 'string'));
      break;
    case 'asl:taskResult': {
      const task = pending.get(data.id);
      if (!task) return;
      pending.delete(data.id);
      clearTimeout(task.timer);
      if (data.error !== undefined && data.error !== null) task.reject({ error: String(data.error), cause: data.cause == null ? undefined : String(data.cause) });
      else task.resolve(data.output === undefined ? null : data.output);
      break;
    }
    default:
      break;
  }
}

async function main() {
  const packed = params.get('doc');
  if (packed) {
    try {
      doc = await decodeDoc(packed);
    } catch (e) {
      message.textContent = `The document in the link cannot be read (${e?.message ?? e}).`;
    }
  }
  await show();
  window.addEventListener('message', (e) => {
    onMessage(e).catch((err) => {
      message.textContent = `The request failed (${err?.message ?? err}).`;
    });
  });
  let last = 0;
  const resized = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      post({ type: 'asl:resize', height });
    }
  };
  new ResizeObserver(resized).observe(document.documentElement);
  post({ type: 'asl:ready' });
  resized();
}

main().catch((e) => {
  message.textContent = `The viewer failed to start (${e?.message ?? e}).`;
});
