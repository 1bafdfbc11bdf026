// ASL Studio embed: draws (and optionally runs) Amazon States Language state machines in any page.
//
// Include it once with <script type="module" src=".../embed/asl-embed.js"></script>. It loads the
// engine (WebAssembly) once, then replaces every <script type="application/asl+json">, every
// <pre class="asl"> and every <pre><code class="language-asl"> with a viewer (pan, zoom, fit, and
// in run mode a Run button). Embeds carry data only: nothing read from the page, a URL or a message
// is ever executed, and user text is only ever set as text (textContent), never as markup.
import init, * as engine from './asl_embed.js';

const HERE = new URL('.', import.meta.url);
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_ELEMENTS = new Set(['svg', 'g', 'rect', 'path', 'polygon', 'polyline', 'circle', 'ellipse', 'line', 'text', 'tspan', 'title']);

const DOC_LIMIT = 8 * 1024 * 1024;

let ready = null;
let loaded = false;

/** Loads the engine once; resolves to the wasm exports. */
export function load() {
  ready ??= init({ module_or_path: new URL('asl_embed_bg.wasm', HERE) }).then(() => {
    loaded = true;
    return engine;
  });
  return ready;
}

const CSS = `
.asl-embed { font: 13px system-ui, -apple-system, Segoe UI, Roboto, sans-serif; border: 1px solid #d1d5db; border-radius: 8px; overflow: hidden; margin: 1em 0; background: #fff; color: #16191f; }
.asl-embed.theme-dark { background: #0f1b2a; color: #e9ebed; border-color: #414d5c; }
.asl-embed-toolbar { display: flex; gap: 4px; align-items: center; padding: 4px 6px; border-bottom: 1px solid #e9ebed; flex-wrap: wrap; }
.asl-embed.theme-dark .asl-embed-toolbar { border-color: #354150; }
.asl-embed-toolbar button, .asl-embed-toolbar a { font: inherit; padding: 2px 8px; border: 1px solid #8d99a8; border-radius: 4px; background: transparent; color: inherit; cursor: pointer; text-decoration: none; }
.asl-embed-toolbar button.asl-embed-primary { background: #0972d3; border-color: #0972d3; color: #fff; font-weight: 600; }
.asl-embed-toolbar .asl-embed-spacer { flex: 1; }
.asl-embed-viewport { position: relative; overflow: hidden; cursor: grab; touch-action: none; user-select: none; }
.asl-embed-viewport.dragging { cursor: grabbing; }
.asl-embed-viewport > svg { position: absolute; left: 0; top: 0; transform-origin: 0 0; max-width: none; }
.asl-embed-result { border-top: 1px solid #e9ebed; padding: 6px 8px; }
.asl-embed.theme-dark .asl-embed-result { border-color: #354150; }
.asl-embed-status { font-weight: 600; }
.asl-embed-status.SUCCEEDED { color: #037f0c; } .asl-embed-status.FAILED, .asl-embed-status.ERROR { color: #d91515; }
.asl-embed.theme-dark .asl-embed-status.SUCCEEDED { color: #29ad32; } .asl-embed.theme-dark .asl-embed-status.FAILED { color: #ff5d64; }
.asl-embed-result pre, .asl-embed-events { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; margin: 4px 0 0; max-height: 220px; overflow: auto; white-space: pre-wrap; }
.asl-embed-events { padding-left: 2.5em; }
.asl-embed-events .asl-embed-event-state { opacity: 0.7; margin-left: 0.5em; }
.asl-embed-message { padding: 6px 8px; color: #d91515; }
`;

const styled = new Set();

/** Adds the embed's style sheet and the graph's (scoped to a theme) to the document once. */
function ensureStyles(theme) {
  const add = (key, text) => {
    if (styled.has(key)) return;
    styled.add(key);
    const style = document.createElement('style');
    style.textContent = text;
    document.head.append(style);
  };
  add('base', CSS);
  add(theme, engine.stylesheet(theme).replaceAll('.asl-graph ', `.asl-graph.theme-${theme} `));
}

/** Removes from a parsed SVG tree anything that is not a plain drawing element or attribute. */
function sanitize(el) {
  for (const child of [...el.children]) {
    if (child.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(child.localName)) child.remove();
    else sanitize(child);
  }
  for (const attr of [...el.attributes]) {
    const name = attr.name.toLowerCase();
    if (name.startsWith('on') || name.includes('href') || name === 'style' || /javascript:/i.test(attr.value)) {
      el.removeAttribute(attr.name);
    }
  }
}

/** Turns the engine's SVG text into a sanitized SVG element (parsed as XML: nothing runs). */
function svgElement(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg') return null;
  sanitize(root);
  return document.importNode(root, true);
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function asText(v, fallback = '') {
  if (v === undefined || v === null) return fallback;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function resolveTheme(theme) {
  if (theme === 'dark' || theme === 'light') return theme;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

// --- The `#doc=` share format: base64url (no padding) of deflate-raw of the document's JSON. ---

function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Encodes a studio document (`{version: 1, definition, testCases?}`) for `#doc=`. */
export async function encodeDoc(doc) {
  const stream = new Blob([JSON.stringify(doc)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** Decodes a `#doc=` value into the document (a plain definition is wrapped as one); throws on bad data. */
export async function decodeDoc(value) {
  const stream = new Blob([fromBase64Url(value)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  // Read with a limit, so that a small link cannot inflate into gigabytes.
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    total += chunk.length;
    if (total > DOC_LIMIT) {
      await reader.cancel();
      throw new Error('the document is too large');
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  const doc = JSON.parse(new TextDecoder().decode(bytes));
  if (!doc || typeof doc !== 'object') throw new Error('the document is not an object');
  // The studio writes the text as typed (YAML, own formatting) instead of `definition` when they differ.
  if (typeof doc.text === 'string' && doc.definition === undefined) return { ...doc, definition: doc.text };
  return doc.definition && typeof doc.definition === 'object' ? doc : { version: 1, definition: doc };
}

// --- Running. ---

function isMockConfig(m) {
  return !!m && typeof m === 'object' && ('StateMachines' in m || 'MockedResponses' in m);
}

/**
 * Runs a definition on the virtual clock. `options`: `mocks` (a MockConfigFile or a compact per-state
 * map), `testCase`, `stateMachine`, `unmocked` ('fail' | 'echo'), `context`, `handlers`
 * ({StateName: (input, context) => value | Promise}) and `handler` ((stateName, input, context) => ...).
 * A handler returning undefined leaves the task to the mocks; a throw or rejection fails the task
 * (Error = the error's name, Cause = its message). Resolves to {status, output, error, cause, events}.
 */
export async function run(definition, input = {}, options = {}) {
  const wasm = await load();
  const { mocks, handlers, handler, ...rest } = options;
  const fn = handler || handlers
    ? (state, taskInput, context) => {
        if (handlers && Object.prototype.hasOwnProperty.call(handlers, state)) return handlers[state](taskInput, context);
        return handler ? handler(state, taskInput, context) : undefined;
      }
    : null;
  return wasm.run_async(asText(definition), asText(input, '{}'), fn, asText(mocks), JSON.stringify(rest));
}

/**
 * Like `run`, but synchronous: handlers must return values (not Promises). Returns the result
 * object directly. Needs `load()` to have resolved first.
 */
export function runSync(definition, input = {}, options = {}) {
  if (!loaded) throw new Error('call (and await) AslEmbed.load() first');
  const { mocks, handlers, handler, ...rest } = options;
  const fn = (state, taskInput, context) => {
    if (handlers && Object.prototype.hasOwnProperty.call(handlers, state)) return handlers[state](taskInput, context);
    return handler ? handler(state, taskInput, context) : undefined;
  };
  return JSON.parse(engine.run_with_handler(asText(definition), asText(input, '{}'), fn, asText(mocks), JSON.stringify(rest)));
}

// --- The viewer. ---

let counter = 0;

/**
 * Mounts a viewer in `element` (its content is replaced). Options: `definition` (text or object),
 * `theme` ('light' | 'dark' | 'auto'), `mode` ('view' | 'run'), `input`, `mocks`, `testCase`,
 * `height` (pixels, default from the graph), `handlers`, `studioUrl` (false hides the link),
 * `onResult` (called with each run's result). Resolves to a controller.
 */
export async function mount(element, options = {}) {
  const wasm = await load();
  const theme = resolveTheme(options.theme);
  ensureStyles(theme);
  const definition = asText(options.definition);
  const mode = options.mode === 'run' ? 'run' : 'view';
  const id = `asl-embed-${++counter}`;
  const root = el('div', { class: `asl-embed theme-${theme}`, 'data-testid': 'asl-embed', 'data-mode': mode, id });
  const toolbar = el('div', { class: 'asl-embed-toolbar' });
  const button = (label, testid, title) => {
    const b = el('button', { type: 'button', 'data-testid': testid, title: title || label }, label);
    toolbar.append(b);
    return b;
  };
  const viewport = el('div', { class: 'asl-embed-viewport', 'data-testid': 'asl-embed-graph' });
  const result = el('div', { class: 'asl-embed-result', 'data-testid': 'asl-embed-result' });
  result.hidden = true;
  const statusLine = el('div');
  const statusEl = el('span', { class: 'asl-embed-status', 'data-testid': 'asl-embed-status' });
  const outputEl = el('pre', { 'data-testid': 'asl-embed-output' });
  const events = el('ol', { class: 'asl-embed-events', 'data-testid': 'asl-embed-events' });
  events.hidden = true;
  statusLine.append(el('span', {}, 'Status: '), statusEl);
  result.append(statusLine, outputEl, events);

  let runBtn = null;
  let eventsBtn = null;
  if (mode === 'run') {
    runBtn = button('▶ Run', 'asl-embed-run', 'Run with the embedded input and mocks');
    runBtn.classList.add('asl-embed-primary');
  }
  if (mode === 'run' || options.history) {
    eventsBtn = button('Events', 'asl-embed-events-toggle', 'Show or hide the history events');
    eventsBtn.disabled = true;
  }
  toolbar.append(el('span', { class: 'asl-embed-spacer' }));
  const zoomOut = button('−', 'asl-embed-zoom-out', 'Zoom out');
  const zoomIn = button('+', 'asl-embed-zoom-in', 'Zoom in');
  const fitBtn = button('Fit', 'asl-embed-fit', 'Fit the graph');
  let link = null;
  if (options.studioUrl !== false) {
    link = el('a', { 'data-testid': 'asl-embed-open', target: '_blank', rel: 'noopener noreferrer' }, 'Open in ASL Studio');
    link.hidden = true;
    toolbar.append(link);
  }
  root.append(toolbar, viewport, result);
  element.replaceChildren(root);

  // Pan and zoom: a CSS transform on the SVG, kept in `view`.
  const view = { x: 0, y: 0, k: 1 };
  let svg = null;
  let size = { w: 1, h: 1 };
  const apply = () => {
    if (svg) svg.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.k})`;
  };
  const fit = () => {
    const vw = viewport.clientWidth || 600;
    const vh = viewport.clientHeight || 300;
    view.k = Math.min(1, (vw - 16) / size.w, (vh - 16) / size.h);
    if (!(view.k > 0)) view.k = 1;
    view.x = (vw - size.w * view.k) / 2;
    view.y = (vh - size.h * view.k) / 2;
    apply();
  };
  const zoomAt = (factor, cx, cy) => {
    const k = Math.min(4, Math.max(0.1, view.k * factor));
    view.x = cx - ((cx - view.x) * k) / view.k;
    view.y = cy - ((cy - view.y) * k) / view.k;
    view.k = k;
    apply();
  };
  const centre = () => [viewport.clientWidth / 2, viewport.clientHeight / 2];
  zoomIn.addEventListener('click', () => zoomAt(1.25, ...centre()));
  zoomOut.addEventListener('click', () => zoomAt(0.8, ...centre()));
  fitBtn.addEventListener('click', fit);
  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  viewport.tabIndex = 0;
  viewport.setAttribute('role', 'group');
  viewport.setAttribute('aria-label', 'State machine graph: arrow keys pan, + and - zoom, 0 fits');
  viewport.addEventListener('keydown', (e) => {
    const step = 40;
    const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) {
      view.x += moves[e.key][0];
      view.y += moves[e.key][1];
      apply();
    } else if (e.key === '+' || e.key === '=') zoomAt(1.25, ...centre());
    else if (e.key === '-') zoomAt(0.8, ...centre());
    else if (e.key === '0') fit();
    else return;
    e.preventDefault();
  });
  let drag = null;
  viewport.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX - view.x, y: e.clientY - view.y };
    viewport.setPointerCapture(e.pointerId);
    viewport.classList.add('dragging');
  });
  viewport.addEventListener('pointermove', (e) => {
    if (!drag) return;
    view.x = e.clientX - drag.x;
    view.y = e.clientY - drag.y;
    apply();
  });
  const endDrag = () => {
    drag = null;
    viewport.classList.remove('dragging');
  };
  viewport.addEventListener('pointerup', endDrag);
  viewport.addEventListener('pointercancel', endDrag);

  let current = definition;
  const draw = (history, keepView) => {
    const text = wasm.render(current, JSON.stringify({ theme, standalone: false, history: history ?? null }));
    const next = svgElement(text);
    if (!next) return;
    next.setAttribute('aria-label', 'State machine graph');
    size = { w: Number(next.getAttribute('width')) || 1, h: Number(next.getAttribute('height')) || 1 };
    if (svg) svg.replaceWith(next);
    else viewport.append(next);
    svg = next;
    if (!keepView) {
      const h = options.height ? Number(options.height) : Math.max(180, Math.min(size.h + 24, 520));
      viewport.style.height = `${h}px`;
      fit();
    } else {
      apply();
    }
  };

  const updateLink = async () => {
    if (!link) return;
    try {
      const def = JSON.parse(wasm.definition_json(current));
      const doc = { version: 1, definition: def };
      if (options.mocks && !isMockConfig(options.mocks)) {
        doc.testCases = [{ name: 'Embedded', input: options.input ?? {}, mocks: options.mocks }];
      }
      const base = new URL(options.studioUrl || '../', HERE);
      if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('not a web address');
      base.hash = `doc=${await encodeDoc(doc)}`;
      link.href = base.href;
      link.hidden = false;
    } catch {
      link.hidden = true;
    }
  };

  const showResult = (r) => {
    result.hidden = false;
    statusEl.textContent = r.status;
    statusEl.className = `asl-embed-status ${r.status}`;
    outputEl.textContent = r.status === 'SUCCEEDED'
      ? JSON.stringify(r.output, null, 2)
      : `${r.error ?? ''}${r.cause ? `: ${r.cause}` : ''}`;
    const items = (r.events || []).map((ev) => {
      const li = el('li', { 'data-type': ev.type }, ev.type);
      const details = Object.entries(ev).find(([k]) => k.endsWith('EventDetails'))?.[1];
      if (details && typeof details.name === 'string') {
        li.append(el('span', { class: 'asl-embed-event-state' }, details.name));
      }
      return li;
    });
    events.replaceChildren(...items);
    if (eventsBtn) eventsBtn.disabled = false;
  };

  /** The result shape of a recorded history (for example from `aws stepfunctions get-execution-history`). */
  const recorded = (history) => {
    const list = Array.isArray(history) ? history : Array.isArray(history?.events) ? history.events : [];
    const overlay = JSON.parse(wasm.overlay_from_history(JSON.stringify(list)));
    const details = (type) => {
      const ev = list.find((e) => e && e.type === type);
      return ev ? Object.entries(ev).find(([k]) => k.endsWith('EventDetails'))?.[1] || {} : null;
    };
    const ok = details('ExecutionSucceeded');
    const failed = details('ExecutionFailed') || details('ExecutionTimedOut') || details('ExecutionAborted');
    let output = ok?.output ?? null;
    if (typeof output === 'string') {
      try {
        output = JSON.parse(output);
      } catch {
        // Not JSON: shown as the text it is.
      }
    }
    return { status: overlay.status, output, error: failed?.error ?? null, cause: failed?.cause ?? null, events: list };
  };

  const controller = {
    element: root,
    /** Replaces the definition (text or object) and redraws. */
    load(def) {
      current = asText(def);
      result.hidden = true;
      draw(null, false);
      updateLink();
    },
    /** Colours the graph from a history (the interpreter's or AWS `get-execution-history`'s). */
    showHistory(history) {
      const r = recorded(history);
      showResult(r);
      draw(r.events, true);
    },
    /** Runs with the embedded input and mocks (or those given); shows and returns the result. */
    async run(runOptions = {}) {
      const r = await run(current, runOptions.input ?? options.input ?? {}, {
        mocks: runOptions.mocks ?? options.mocks,
        testCase: runOptions.testCase ?? options.testCase,
        handlers: runOptions.handlers ?? options.handlers,
        handler: runOptions.handler ?? options.handler,
      });
      showResult(r);
      draw(r.events, true);
      options.onResult?.(r);
      return r;
    },
    fit,
  };
  if (runBtn) {
    runBtn.addEventListener('click', async () => {
      runBtn.disabled = true;
      try {
        await controller.run();
      } finally {
        runBtn.disabled = false;
      }
    });
  }
  if (eventsBtn) eventsBtn.addEventListener('click', () => { events.hidden = !events.hidden; });
  draw(null, false);
  if (options.history) controller.showHistory(options.history);
  updateLink();
  return controller;
}

function readJsonById(id) {
  if (!id) return undefined;
  const node = document.getElementById(id);
  if (!node) return undefined;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return undefined;
  }
}

function readJson(text) {
  if (text === null || text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Replaces every embedded definition under `root` with a viewer; resolves to the controllers. */
export async function scan(root = document) {
  const blocks = [
    ...root.querySelectorAll('script[type="application/asl+json"], pre.asl, pre > code.language-asl'),
  ];
  const mounted = [];
  for (const node of blocks) {
    const host = node.localName === 'code' ? node.parentElement : node;
    if (host.dataset.aslEmbedded) continue;
    host.dataset.aslEmbedded = 'true';
    const attr = (name) => node.getAttribute(name) ?? host.getAttribute(name);
    const box = document.createElement('div');
    host.before(box);
    if (host.localName === 'pre') host.hidden = true;
    try {
      mounted.push(await mount(box, {
        definition: node.textContent,
        theme: attr('data-theme') || 'light',
        mode: attr('data-mode') || 'view',
        height: attr('data-height') || undefined,
        input: readJson(attr('data-input')),
        mocks: readJsonById(attr('data-mocks')),
        history: readJsonById(attr('data-history')),
        testCase: attr('data-test-case') || undefined,
        studioUrl: attr('data-studio-url') === 'off' ? false : attr('data-studio-url') || undefined,
      }));
    } catch (e) {
      box.replaceChildren(el('div', { class: 'asl-embed-message' }, `ASL embed failed: ${e?.message ?? e}`));
      host.hidden = false;
    }
  }
  return mounted;
}

/** Draws a definition as SVG text (see the engine's `render` for the options). */
export async function render(definition, options = {}) {
  return (await load()).render(asText(definition), JSON.stringify(options));
}

/**
 * Validates a definition: {format, valid, states, diagnostics}, each diagnostic
 * {code, severity, message, pointer, line, column, span: {start, end}} (as `asl validate --format json`).
 */
export async function validate(definition) {
  return JSON.parse((await load()).validate(asText(definition)));
}

/** The overlay of a history: {status, states: {NAME: {status, retries, iterations}}, edges}. */
export async function overlayFromHistory(history) {
  return JSON.parse((await load()).overlay_from_history(asText(history)));
}

const api = { load, mount, run, runSync, scan, render, validate, overlayFromHistory, encodeDoc, decodeDoc };
globalThis.AslEmbed = Object.freeze(api);

const start = () => scan().catch((e) => console.error('ASL embed:', e));
if (!globalThis.AslEmbedConfig?.manual) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
