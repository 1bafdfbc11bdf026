// ASL Studio code editor: CodeMirror 6 behind a small global API (window.aslEditor) that the Rust app calls.
// The Rust side owns the document and its history; this editor reports changes and shows what Rust says.
import { EditorState, Compartment, Annotation } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from '@codemirror/view';
import {
  foldGutter, foldKeymap, indentOnInput, bracketMatching, syntaxHighlighting, defaultHighlightStyle,
} from '@codemirror/language';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, lintKeymap } from '@codemirror/lint';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { search, searchKeymap, highlightSelectionMatches } from '@codemirror/search';

// Marks transactions that come from the Rust side, so that they are not reported back.
const External = Annotation.define();

const FIELDS = [
  'Comment', 'StartAt', 'States', 'TimeoutSeconds', 'Version', 'QueryLanguage', 'Type', 'Next', 'End',
  'InputPath', 'OutputPath', 'ResultPath', 'Parameters', 'ResultSelector', 'Result', 'Resource',
  'Arguments', 'Output', 'Assign', 'Retry', 'Catch', 'ErrorEquals', 'IntervalSeconds', 'MaxAttempts',
  'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Choices', 'Default', 'Variable', 'Condition',
  'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Branches', 'ItemProcessor', 'ProcessorConfig',
  'Mode', 'ExecutionType', 'ItemsPath', 'Items', 'ItemSelector', 'ItemReader', 'ResultWriter',
  'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'Label',
  'Error', 'ErrorPath', 'Cause', 'CausePath', 'HeartbeatSeconds', 'HeartbeatSecondsPath',
  'TimeoutSecondsPath', 'Credentials', 'And', 'Or', 'Not', 'StringEquals', 'StringEqualsPath',
  'StringLessThan', 'StringGreaterThan', 'StringMatches', 'NumericEquals', 'NumericEqualsPath',
  'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'BooleanEquals', 'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'IsNull', 'IsPresent',
  'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp',
];
const TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];
const INTRINSICS = [
  'States.Format', 'States.StringToJson', 'States.JsonToString', 'States.Array', 'States.ArrayPartition',
  'States.ArrayContains', 'States.ArrayRange', 'States.ArrayGetItem', 'States.ArrayLength',
  'States.ArrayUnique', 'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.JsonMerge',
  'States.MathRandom', 'States.MathAdd', 'States.StringSplit', 'States.UUID',
];

// Syntax colours readable on the dark theme's background.
const darkHighlight = HighlightStyle.define([
  { tag: tags.propertyName, color: '#9cdcfe' },
  { tag: [tags.string, tags.special(tags.string)], color: '#ce9178' },
  { tag: [tags.number, tags.bool, tags.null], color: '#b5cea8' },
  { tag: [tags.keyword, tags.atom], color: '#569cd6' },
  { tag: [tags.comment, tags.lineComment], color: '#6a9955' },
  { tag: [tags.punctuation, tags.separator, tags.brace, tags.squareBracket], color: '#d4d4d4' },
], { themeType: 'dark' });

function completer(getNames) {
  return (ctx) => {
    const word = ctx.matchBefore(/[\w.$]*/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const options = [];
    if (/States\.?\w*$/.test(before)) {
      for (const f of INTRINSICS) options.push({ label: f, type: 'function', apply: `${f}()` });
    } else if (/"(Next|Default|StartAt)"\s*:\s*"[^"]*$|(Next|Default|StartAt):\s*\S*$/.test(before)) {
      for (const n of getNames()) options.push({ label: n, type: 'variable' });
    } else if (/"Type"\s*:\s*"[^"]*$|Type:\s*\S*$/.test(before)) {
      for (const t of TYPES) options.push({ label: t, type: 'enum' });
    } else {
      for (const f of FIELDS) options.push({ label: f, type: 'property' });
      for (const n of getNames()) options.push({ label: n, type: 'variable', boost: -1 });
    }
    return { from: word.from, options, validFor: /^[\w.$]*$/ };
  };
}

function themeFor(dark) {
  return dark
    ? [EditorView.theme({ '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { background: '#264f78' } }, { dark: true }),
      syntaxHighlighting(darkHighlight)]
    : [EditorView.theme({}, { dark: false }), syntaxHighlighting(defaultHighlightStyle, { fallback: true })];
}

/**
 * Mounts an editor in `parent`. `opts`: { text, yaml, onChange(changes), onCursor(pos), onIdle(),
 * onUndo(), onRedo() }. Positions are UTF-16 offsets; changes are sequential {from, to, insert}.
 */
function mount(parent, opts) {
  let names = [];
  let idleTimer = null;
  // While Rust handles a typed change (before the view shows it): the diagnostics it sent and
  // the other dispatches it asked for, applied once the change is in the view.
  let pending = null;
  const language = new Compartment();
  const theme = new Compartment();
  const lang = (isYaml) => (isYaml ? yaml() : json());
  const diagnosticsFor = (list, len) => Array.from(list).map((d) => ({
    from: Math.min(d.from, len), to: Math.min(Math.max(d.to, d.from), len), severity: d.severity, message: d.message,
  }));
  // A revision stamp, so that benchmarks and tests can see when the markers were applied.
  const stampLint = () => { parent.dataset.lintRev = String((Number(parent.dataset.lintRev) || 0) + 1); };
  const later = (f) => (pending ? pending.after.push(f) : f());
  const view = new EditorView({
    parent,
    // A change typed by the user is reported to Rust before the view is updated, so that the
    // change and the validator's markers for it are one view update (one DOM, gutter and plugin
    // pass) instead of two.
    dispatchTransactions(trs, view) {
      const external = trs.some((t) => t.annotation(External));
      if (pending || external || !trs.some((t) => t.docChanged)) {
        view.update(trs);
        return;
      }
      let composed = trs[0].changes;
      for (let i = 1; i < trs.length; i++) composed = composed.compose(trs[i].changes);
      const changes = [];
      let shift = 0;
      composed.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
        const text = inserted.toString();
        changes.push({ from: fromA + shift, to: toA + shift, insert: text });
        shift += text.length - (toA - fromA);
      });
      const mine = { diagnostics: null, after: [] };
      pending = mine;
      try {
        opts.onChange(changes);
      } catch (e) {
        // Reported outside the dispatch, which must still show what the user typed.
        setTimeout(() => { throw e; });
      } finally {
        pending = null;
        const last = trs[trs.length - 1].state;
        const all = mine.diagnostics
          ? [...trs, last.update(setDiagnostics(last, diagnosticsFor(mine.diagnostics, last.doc.length)))]
          : trs;
        view.update(all);
        if (mine.diagnostics) stampLint();
        mine.after.forEach((f) => f());
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => opts.onIdle(), 700);
      }
    },
    state: EditorState.create({
      doc: opts.text || '',
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), foldGutter(), drawSelection(), indentOnInput(),
        bracketMatching(), closeBrackets(), highlightActiveLine(), highlightSelectionMatches(),
        search({ top: true }),
        autocompletion({ override: [completer(() => names)] }), lintGutter(),
        language.of(lang(opts.yaml)), theme.of(themeFor(false)),
        keymap.of([
          { key: 'Mod-z', run: () => { opts.onUndo(); return true; }, preventDefault: true },
          { key: 'Mod-Shift-z', run: () => { opts.onRedo(); return true; }, preventDefault: true },
          { key: 'Mod-y', run: () => { opts.onRedo(); return true; }, preventDefault: true },
          ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...foldKeymap, ...completionKeymap,
          ...lintKeymap, indentWithTab,
        ]),
        EditorView.contentAttributes.of({ 'data-testid': 'code-input', 'aria-label': 'State machine definition' }),
        EditorView.updateListener.of((u) => {
          const external = u.transactions.some((t) => t.annotation(External));
          if (u.selectionSet && !external && u.view.hasFocus) {
            opts.onCursor(u.state.selection.main.head);
          }
        }),
        EditorView.domEventHandlers({ blur: () => { opts.onIdle(); } }),
      ],
    }),
  });
  const handle = {
    /** The CodeMirror view, for embedding pages and tests. */
    view,
    /** Replaces the text with a minimal change (common prefix and suffix kept). */
    setText(text) {
      later(() => {
        const old = view.state.doc.toString();
        if (old === text) return;
        let a = 0;
        const max = Math.min(old.length, text.length);
        while (a < max && old.charCodeAt(a) === text.charCodeAt(a)) a++;
        let b = 0;
        while (b < max - a && old.charCodeAt(old.length - 1 - b) === text.charCodeAt(text.length - 1 - b)) b++;
        view.dispatch({
          changes: { from: a, to: old.length - b, insert: text.slice(a, text.length - b) },
          annotations: External.of(true),
        });
      });
    },
    getText() { return view.state.doc.toString(); },
    setYaml(isYaml) { later(() => view.dispatch({ effects: language.reconfigure(lang(isYaml)), annotations: External.of(true) })); },
    setDark(dark) { later(() => view.dispatch({ effects: theme.reconfigure(themeFor(dark)), annotations: External.of(true) })); },
    setNames(list) { names = Array.from(list); },
    /** Diagnostics: [{from, to, severity: 'error'|'warning', message}] in UTF-16 offsets. */
    setDiagnostics(list) {
      if (pending) {
        // Offsets refer to the text with the change being typed: applied with it.
        pending.diagnostics = list;
        return;
      }
      view.dispatch(setDiagnostics(view.state, diagnosticsFor(list, view.state.doc.length)));
      stampLint();
    },
    /** Selects a range and scrolls it into view without taking focus. */
    reveal(from, to) {
      later(() => {
        const len = view.state.doc.length;
        const a = Math.min(from, len);
        view.dispatch({
          selection: { anchor: a, head: Math.min(to, len) },
          effects: EditorView.scrollIntoView(a, { y: 'start', yMargin: 40 }),
          annotations: External.of(true),
        });
      });
    },
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
  parent.aslEditorHandle = handle;
  return handle;
}

window.aslEditor = { mount };
window.dispatchEvent(new Event('asl-editor-ready'));
