//! The designer: the API boundary the app talks to. It owns the document, history,
//! selection, viewport and simulation session, applies [`Command`]s and returns
//! [`Outcome`]s (text edits for the code editor, what changed, errors, app actions).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use asl_graph::{AslGraph, RenderOptions, Scene};
use serde_json::Value;

use crate::commands::states::{self, Effects};
use crate::commands::{Capture, Command, fields};
use crate::document::{Analysis, Document, Format};
use crate::edit::{Buffer, EditError};
use crate::history::History;
use crate::keymap::{self, Shortcut};
use crate::layout::Layout;
use crate::outline::Outline;
use crate::selection::{Direction, Selection, Viewport};
use crate::simulation::SimulationSession;
use crate::text::{Span, TextEdit, apply_edit, clamp_span, diff};
use crate::yaml;

/// Something only the app can do, asked for by a shortcut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppAction {
    /// Persist the document, then call [`Designer::mark_saved`].
    Save,
    /// Fit the graph in the view.
    FitView,
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Show the inline rename editor for this state.
    BeginRename(String),
}

/// What a command did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Text edits to mirror in the code editor, applied in order (each relative to the text
    /// after the previous ones).
    pub edits: Vec<TextEdit>,
    /// True when the document (text, layout or settings) changed.
    pub document_changed: bool,
    /// True when the selection changed.
    pub selection_changed: bool,
    /// Why the command did nothing, in plain words.
    pub error: Option<String>,
    /// Something to tell the user about a command that did something (a Choice `Default` that
    /// now names a missing state, for example).
    pub notice: Option<String>,
    /// An action for the app, from a shortcut.
    pub action: Option<AppAction>,
}

impl Outcome {
    fn error(message: impl Into<String>) -> Outcome {
        Outcome {
            error: Some(message.into()),
            ..Outcome::default()
        }
    }
}

/// The headless editor.
#[derive(Debug)]
pub struct Designer {
    document: Arc<Document>,
    pub(crate) history: History,
    selection: Selection,
    viewport: Viewport,
    simulation: Option<SimulationSession>,
    view: RefCell<ViewCache>,
}

/// The graph and scene of the last drawn machine: a keystroke that does not change the graph
/// (editing a Parameters value, a comment, whitespace) keeps the laid-out scene.
#[derive(Default)]
struct ViewCache {
    source: Option<Arc<Analysis>>,
    graph: Option<Rc<AslGraph>>,
    scene: Option<Rc<Scene>>,
    /// The scene with the user's dragged positions, for this layout sidecar.
    placed: Option<(Layout, Rc<Scene>)>,
    /// The last automatic layout, reused when a changed graph keeps its boxes and edges (typing
    /// in a state's name, in a missing target's name).
    layouts: asl_graph::LayoutCache,
}

impl std::fmt::Debug for ViewCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewCache")
            .field("graph", &self.graph.is_some())
            .field("scene", &self.scene.is_some())
            .finish()
    }
}

impl Default for Designer {
    fn default() -> Self {
        Designer::new(Document::default())
    }
}

type Change = (Document, Vec<TextEdit>, Effects);

impl Designer {
    /// Creates a designer for a document, which counts as saved.
    pub fn new(document: Document) -> Designer {
        Designer {
            history: History::new(&document),
            document: Arc::new(document),
            selection: Selection::default(),
            viewport: Viewport::default(),
            simulation: None,
            view: RefCell::new(ViewCache::default()),
        }
    }

    /// Replaces the document (open a file or a template): history and selection are reset.
    pub fn load(&mut self, document: Document) -> Outcome {
        let edits = diff(self.document.text(), document.text())
            .into_iter()
            .collect();
        *self = Designer::new(document);
        Outcome {
            edits,
            document_changed: true,
            selection_changed: true,
            ..Outcome::default()
        }
    }

    /// Returns the current document revision.
    pub fn document(&self) -> &Arc<Document> {
        &self.document
    }

    /// Returns the definition text.
    pub fn text(&self) -> &str {
        self.document.text()
    }

    /// Returns the selection.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// Returns the viewport.
    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    /// Sets the viewport (pan and zoom are never undone).
    pub fn set_viewport(&mut self, viewport: Viewport) {
        self.viewport = viewport;
    }

    /// Returns the simulation session, if one was started.
    pub fn simulation(&self) -> Option<&SimulationSession> {
        self.simulation.as_ref()
    }

    /// Returns the simulation session for the run mode to drive.
    pub fn simulation_mut(&mut self) -> Option<&mut SimulationSession> {
        self.simulation.as_mut()
    }

    /// Starts or clears the simulation session.
    pub fn set_simulation(&mut self, session: Option<SimulationSession>) {
        self.simulation = session;
    }

    /// Returns true when there is something to undo.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// Returns true when there is something to redo.
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Returns true when the document differs from the last saved one.
    pub fn has_unsaved_changes(&self) -> bool {
        self.history.is_dirty(&self.document)
    }

    /// Records the current document as saved.
    pub fn mark_saved(&mut self) {
        self.history.mark_saved(&self.document);
    }

    /// Returns the graph of the machine to draw (the last one that parsed while the text is
    /// broken). It is rebuilt only when the parsed text changed, and the previous graph is
    /// kept when the new one is equal, so the scene stays cached.
    pub fn graph(&self) -> Rc<AslGraph> {
        let (good, _) = self.document.good_analysis();
        let mut cache = self.view.borrow_mut();
        if let (Some(src), Some(g)) = (&cache.source, &cache.graph)
            && Arc::ptr_eq(src, good)
        {
            return g.clone();
        }
        let graph = asl_graph::build(good.value.as_ref().unwrap_or(&Value::Null));
        cache.source = Some(good.clone());
        match &cache.graph {
            Some(old) if **old == graph => old.clone(),
            _ => {
                let g = Rc::new(graph);
                cache.graph = Some(g.clone());
                cache.scene = None;
                cache.placed = None;
                g
            }
        }
    }

    /// Returns the laid-out scene, recomputed only when the graph changed (or after
    /// [`Designer::invalidate_scene`], for example when the app's text measurer changed), with
    /// the boxes the user dragged moved by their offsets from the layout sidecar.
    pub fn scene(&self, options: &RenderOptions) -> Rc<Scene> {
        let auto = self.auto_scene(options);
        let layout = self.document.layout();
        if layout.states.values().all(|o| o.position.is_none()) {
            return auto;
        }
        if let Some((l, s)) = &self.view.borrow().placed
            && l == layout
        {
            return s.clone();
        }
        let offsets = layout
            .states
            .iter()
            .filter_map(|(name, o)| o.position.map(|p| (name.clone(), p)))
            .collect();
        let placed = Rc::new(asl_graph::apply_offsets(&auto, &offsets));
        self.view.borrow_mut().placed = Some((layout.clone(), placed.clone()));
        placed
    }

    /// The automatic layout of the graph, cached until the graph changes.
    fn auto_scene(&self, options: &RenderOptions) -> Rc<Scene> {
        let graph = self.graph();
        if let Some(s) = &self.view.borrow().scene {
            return s.clone();
        }
        let mut cache = self.view.borrow_mut();
        let scene = Rc::new(asl_graph::layout_cached(
            &graph,
            options,
            &mut cache.layouts,
        ));
        cache.scene = Some(scene.clone());
        cache.placed = None;
        scene
    }

    /// Forgets the cached scene.
    pub fn invalidate_scene(&self) {
        let mut cache = self.view.borrow_mut();
        cache.scene = None;
        cache.placed = None;
    }

    /// Returns true when the drawn machine is the last good parse of a broken text.
    pub fn is_stale(&self) -> bool {
        self.document.good_analysis().1
    }

    /// Returns the text range of a state, for "reveal in code".
    pub fn state_range(&self, name: &str) -> Option<Span> {
        self.document.state_range(name)
    }

    /// Returns the text range of the primary selected state.
    pub fn selection_range(&self) -> Option<Span> {
        self.state_range(self.selection.primary()?)
    }

    /// Looks a key chord up in the keymap and runs it; `None` when the chord is not bound.
    pub fn press(&mut self, chord: &str) -> Option<Outcome> {
        keymap::lookup(chord).map(|s| self.run_shortcut(s))
    }

    /// Runs a shortcut.
    pub fn run_shortcut(&mut self, shortcut: Shortcut) -> Outcome {
        let primary = self.selection.primary().map(str::to_owned);
        match shortcut {
            Shortcut::Undo => self.apply(Command::Undo),
            Shortcut::Redo => self.apply(Command::Redo),
            Shortcut::Delete => {
                if self.selection.states.is_empty() {
                    Outcome::default()
                } else {
                    self.apply(Command::DeleteStates(self.selection.states.clone()))
                }
            }
            Shortcut::Duplicate => match primary {
                Some(p) => self.apply(Command::Duplicate(p)),
                None => Outcome::default(),
            },
            Shortcut::Rename => Outcome {
                action: primary.map(AppAction::BeginRename),
                ..Outcome::default()
            },
            Shortcut::Escape => {
                if self.history.in_transaction() {
                    self.apply(Command::AbortTransaction)
                } else {
                    self.apply(Command::Select(Selection::default()))
                }
            }
            Shortcut::Save => Outcome {
                action: Some(AppAction::Save),
                ..Outcome::default()
            },
            Shortcut::Format => self.apply(Command::FormatDocument),
            Shortcut::Move(d) => self.move_selection(d),
            Shortcut::FitView => Outcome {
                action: Some(AppAction::FitView),
                ..Outcome::default()
            },
            Shortcut::ZoomIn => Outcome {
                action: Some(AppAction::ZoomIn),
                ..Outcome::default()
            },
            Shortcut::ZoomOut => Outcome {
                action: Some(AppAction::ZoomOut),
                ..Outcome::default()
            },
            Shortcut::SelectAll => {
                let all: Vec<String> = self
                    .document
                    .outline()
                    .names()
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect();
                self.apply(Command::Select(Selection {
                    states: all,
                    edge: None,
                }))
            }
        }
    }

    fn set_selection(&mut self, selection: Selection) -> bool {
        if self.selection == selection {
            return false;
        }
        self.selection = selection;
        true
    }

    fn move_selection(&mut self, d: Direction) -> Outcome {
        let o = self.document.outline();
        let target = match self.selection.primary().and_then(|p| o.index(p)) {
            None => o.scopes.first().and_then(|s| s.start_at.clone()),
            Some(i) => neighbour(o, i, d),
        };
        match target {
            Some(t) => Outcome {
                selection_changed: self.set_selection(Selection::state(t)),
                ..Outcome::default()
            },
            None => Outcome::default(),
        }
    }

    /// Applies a command.
    pub fn apply(&mut self, command: Command) -> Outcome {
        match command {
            Command::Select(sel) => Outcome {
                selection_changed: self.set_selection(sel),
                ..Outcome::default()
            },
            Command::SelectAtOffset(offset) => {
                let sel = match self.document.state_at_offset(offset) {
                    Some(s) => Selection::state(s),
                    None => Selection::default(),
                };
                Outcome {
                    selection_changed: self.set_selection(sel),
                    ..Outcome::default()
                }
            }
            Command::Undo => {
                let next = self.history.undo(self.document.clone());
                self.replace_document(next)
            }
            Command::Redo => {
                let next = self.history.redo(self.document.clone());
                self.replace_document(next)
            }
            Command::BeginTransaction => {
                self.history.begin(self.document.clone());
                Outcome::default()
            }
            Command::CommitTransaction => {
                self.history.commit(&self.document);
                Outcome::default()
            }
            Command::AbortTransaction => {
                let before = self.history.abort();
                self.replace_document(before)
            }
            Command::Checkpoint => {
                self.history.checkpoint();
                Outcome::default()
            }
            other => self.edit(other),
        }
    }

    fn replace_document(&mut self, next: Option<Arc<Document>>) -> Outcome {
        let Some(next) = next else {
            return Outcome::default();
        };
        let edits = diff(self.document.text(), next.text())
            .into_iter()
            .collect();
        let changed = *next != *self.document;
        self.document = next;
        let selection_changed = self.prune_selection();
        Outcome {
            edits,
            document_changed: changed,
            selection_changed,
            ..Outcome::default()
        }
    }

    fn prune_selection(&mut self) -> bool {
        let a = self.document.analysis();
        if !a.is_ok() {
            return false;
        }
        let o = &a.outline;
        let mut sel = self.selection.clone();
        sel.states.retain(|s| o.contains(s));
        if let Some(e) = &sel.edge
            && !o
                .find(&e.from)
                .is_some_and(|s| s.transitions.iter().any(|t| t.target == e.to))
        {
            sel.edge = None;
        }
        if let Some(sim) = &mut self.simulation {
            sim.retain_states(|s| o.contains(s));
        }
        self.set_selection(sel)
    }

    fn edit(&mut self, command: Command) -> Outcome {
        let capture = command.capture();
        let before = self.document.clone();
        let text_range = match &command {
            Command::SetText { range, insert } => {
                let r = clamp_span(before.text(), *range);
                Some((r, r.start + insert.len()))
            }
            _ => None,
        };
        let result = self.compute(command);
        let (doc, edits, effects) = match result {
            Ok(change) => change,
            Err(e) => return Outcome::error(e),
        };
        let mut selection_changed = false;
        let mut doc = doc;
        if capture == Capture::Immediately {
            let mut layout = doc.layout().clone();
            if let Some((from, to)) = &effects.renamed {
                layout.rename(from, to);
                if let Some(sim) = &mut self.simulation {
                    sim.rename_state(from, to);
                }
            }
            if let Some((from, to)) = &effects.renamed
                && let Some(settings) = rename_in_test_cases(doc.settings(), from, to)
            {
                doc = doc.with_settings(settings);
            }
            let a = doc.analysis().clone();
            if a.is_ok() {
                layout.retain_states(|s| a.outline.contains(s));
            }
            if layout != *doc.layout() {
                doc = doc.with_layout(layout);
            }
        }
        if doc == *before {
            return Outcome {
                selection_changed: effects.select.is_some_and(|s| {
                    self.set_selection(Selection {
                        states: s,
                        edge: None,
                    })
                }),
                ..Outcome::default()
            };
        }
        self.document = Arc::new(doc);
        match capture {
            Capture::Immediately => self.history.record_immediate(before),
            Capture::Eventually => {
                let (range, cursor) = text_range.unwrap_or_default();
                self.history
                    .record_eventually(before, range.start, range.end, cursor);
            }
            Capture::Never => {}
        }
        if let Some((from, to)) = &effects.renamed {
            let mut sel = self.selection.clone();
            for s in &mut sel.states {
                if s == from {
                    s.clone_from(to);
                }
            }
            selection_changed |= self.set_selection(sel);
        }
        if let Some(select) = effects.select {
            selection_changed |= self.set_selection(Selection {
                states: select,
                edge: None,
            });
        }
        selection_changed |= self.prune_selection();
        Outcome {
            edits,
            document_changed: true,
            selection_changed,
            notice: effects.notice,
            ..Outcome::default()
        }
    }

    fn compute(&self, command: Command) -> Result<Change, EditError> {
        let doc = &self.document;
        let none = Effects::default();
        match command {
            Command::SetText { range, insert } => {
                let range = clamp_span(doc.text(), range);
                let edit = TextEdit::new(range, insert);
                let mut text = doc.text().to_owned();
                apply_edit(&mut text, &edit);
                Ok((doc.with_text(&text), vec![edit], none))
            }
            Command::ReplaceText(text) => {
                let edits = diff(doc.text(), &text).into_iter().collect();
                Ok((
                    doc.with_text_and_format(&text, Format::detect(&text)),
                    edits,
                    none,
                ))
            }
            Command::FormatDocument => {
                let a = doc.analysis();
                let value = a
                    .value
                    .as_ref()
                    .ok_or("Fix the syntax error before formatting.")?;
                let mut text = match doc.format() {
                    Format::Json => {
                        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
                    }
                    Format::Yaml => yaml::emit(value),
                };
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                let edits = diff(doc.text(), &text).into_iter().collect();
                Ok((doc.with_text(&text), edits, none))
            }
            Command::ConvertFormat(format) => {
                let a = doc.analysis();
                let value = a
                    .value
                    .as_ref()
                    .ok_or("Fix the syntax error before converting.")?;
                let text = match format {
                    Format::Json => {
                        let mut t =
                            serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
                        t.push('\n');
                        t
                    }
                    Format::Yaml => yaml::emit(value),
                };
                let edits = diff(doc.text(), &text).into_iter().collect();
                Ok((doc.with_text_and_format(&text, format), edits, none))
            }
            Command::SetCollapsed { state, collapsed } => {
                self.require_state(&state)?;
                let mut layout: Layout = doc.layout().clone();
                layout.set_collapsed(&state, collapsed);
                Ok((doc.with_layout(layout), Vec::new(), none))
            }
            Command::SetPosition { state, position } => {
                self.require_state(&state)?;
                let mut layout: Layout = doc.layout().clone();
                layout.set_position(&state, position);
                Ok((doc.with_layout(layout), Vec::new(), none))
            }
            Command::ResetLayout => {
                let mut layout: Layout = doc.layout().clone();
                let moved: Vec<String> = layout
                    .states
                    .iter()
                    .filter(|(_, o)| o.position.is_some())
                    .map(|(n, _)| n.clone())
                    .collect();
                if moved.is_empty() {
                    return Err("No box was moved: the layout is already automatic.".to_owned());
                }
                for name in moved {
                    layout.set_position(&name, None);
                }
                Ok((doc.with_layout(layout), Vec::new(), none))
            }
            Command::SetSettings(settings) => Ok((doc.with_settings(settings), Vec::new(), none)),
            Command::AddState { palette, at, name } => {
                self.structural(|b| states::add_state(b, &palette, &at, name.as_deref()))
            }
            Command::InsertPattern { id, at } => {
                let template = crate::templates::template(&id)
                    .ok_or_else(|| format!("There is no pattern {id:?}."))?;
                let definition: Value = serde_json::from_str(template.definition)
                    .map_err(|e| format!("The pattern {id:?} does not parse: {e}"))?;
                self.structural(|b| {
                    crate::commands::pattern::insert_pattern(b, template.title, &definition, &at)
                })
            }
            Command::DeleteStates(names) => self.structural(|b| states::delete_states(b, &names)),
            Command::Duplicate(name) => self.structural(|b| states::duplicate(b, &name)),
            Command::Rename { from, to } => self.structural(|b| states::rename(b, &from, &to)),
            Command::SetNext { state, next } => {
                self.structural(|b| states::set_next(b, &state, next.as_deref()))
            }
            Command::SetTransition { state, via, target } => {
                self.structural(|b| states::set_transition(b, &state, via, &target))
            }
            Command::MoveState { state, to } => {
                self.structural(|b| states::move_state(b, &state, &to))
            }
            Command::SetField {
                state,
                pointer,
                value,
            } => self
                .structural(|b| fields::set_field(b, state.as_deref(), &pointer, value.as_ref())),
            Command::AddChoiceRule { state, rule } => {
                self.structural(|b| fields::add_choice_rule(b, &state, rule.as_ref()))
            }
            Command::SetChoiceRule { state, index, rule } => {
                self.structural(|b| fields::set_choice_rule(b, &state, index, &rule))
            }
            Command::RemoveChoiceRule { state, index } => {
                self.structural(|b| fields::remove_choice_rule(b, &state, index))
            }
            Command::AddRetry { state, retrier } => {
                self.structural(|b| fields::add_retry(b, &state, retrier.as_ref()))
            }
            Command::RemoveRetry { state, index } => {
                self.structural(|b| fields::remove_retry(b, &state, index))
            }
            Command::AddCatch {
                state,
                next,
                catcher,
            } => self.structural(|b| fields::add_catch(b, &state, &next, catcher.as_ref())),
            Command::RemoveCatch { state, index } => {
                self.structural(|b| fields::remove_catch(b, &state, index))
            }
            Command::AddBranch { state } => self.structural(|b| fields::add_branch(b, &state)),
            Command::SetQueryLanguage { state, language } => {
                self.structural(|b| fields::set_query_language(b, state.as_deref(), language))
            }
            Command::Select(_)
            | Command::SelectAtOffset(_)
            | Command::Undo
            | Command::Redo
            | Command::BeginTransaction
            | Command::CommitTransaction
            | Command::AbortTransaction
            | Command::Checkpoint => Err("internal error: not a document command".to_owned()),
        }
    }

    fn require_state(&self, name: &str) -> Result<(), EditError> {
        if self.document.outline().contains(name) {
            Ok(())
        } else {
            Err(format!("There is no state named {name:?}."))
        }
    }

    /// Runs a visual edit on the JSON text (YAML documents are converted to JSON, edited, and
    /// re-emitted as YAML).
    fn structural(
        &self,
        f: impl FnOnce(&mut Buffer) -> Result<Effects, EditError>,
    ) -> Result<Change, EditError> {
        let doc = &self.document;
        let a = doc.analysis();
        if let Some(e) = &a.error {
            return Err(format!("Fix the syntax error first: {}", e.message));
        }
        match doc.format() {
            Format::Json => {
                let mut buf = Buffer::new(doc.text())?;
                let effects = f(&mut buf)?;
                let (text, edits) = buf.into_edits();
                Ok((doc.with_text(&text), edits, effects))
            }
            Format::Yaml => {
                let value = a.value.as_ref().ok_or("The document is empty.")?;
                let json = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
                let mut buf = Buffer::new(&json)?;
                let effects = f(&mut buf)?;
                let new_value = buf.tree().to_value();
                if new_value == *value {
                    return Ok(((**doc).clone(), Vec::new(), effects));
                }
                // Replace only what changed; re-emit the whole document if that fails.
                let minimal = a
                    .tree
                    .as_ref()
                    .and_then(|tree| yaml::minimal_edits(doc.text(), tree, &new_value));
                let (text, edits) = match minimal {
                    Some(edits) => (crate::text::apply_edits(doc.text(), &edits), edits),
                    None => {
                        let text = yaml::emit(&new_value);
                        let edits = diff(doc.text(), &text).into_iter().collect();
                        (text, edits)
                    }
                };
                Ok((doc.with_text(&text), edits, effects))
            }
        }
    }
}

/// Renames a state in the mocks' test cases (`StateMachines.*.TestCases.*.<state>`) and in
/// the saved test cases (their per-state `mocks` and `expect.path`), keeping key order;
/// `None` when nothing mentions it.
fn rename_in_test_cases(
    settings: &crate::document::Settings,
    from: &str,
    to: &str,
) -> Option<crate::document::Settings> {
    let mut out = settings.clone();
    let mut changed = false;
    let rename_key = |map: &mut serde_json::Map<String, Value>| {
        if map.contains_key(from) && !map.contains_key(to) {
            let renamed: serde_json::Map<String, Value> = std::mem::take(map)
                .into_iter()
                .map(|(k, v)| {
                    if k == from {
                        (to.to_owned(), v)
                    } else {
                        (k, v)
                    }
                })
                .collect();
            *map = renamed;
            true
        } else {
            false
        }
    };
    if let Some(machines) = out
        .test_cases
        .get_mut("StateMachines")
        .and_then(Value::as_object_mut)
    {
        for machine in machines.values_mut() {
            let Some(cases) = machine.get_mut("TestCases").and_then(Value::as_object_mut) else {
                continue;
            };
            for case in cases.values_mut() {
                if let Some(map) = case.as_object_mut() {
                    changed |= rename_key(map);
                }
            }
        }
    }
    if let Some(tests) = out.tests.as_array_mut() {
        for case in tests {
            if let Some(map) = case.get_mut("mocks").and_then(Value::as_object_mut) {
                changed |= rename_key(map);
            }
            if let Some(path) = case
                .pointer_mut("/expect/path")
                .and_then(Value::as_array_mut)
            {
                for step in path {
                    if step.as_str() == Some(from) {
                        *step = Value::String(to.to_owned());
                        changed = true;
                    }
                }
            }
        }
    }
    changed.then_some(out)
}

/// Picks the state the arrow keys move to.
fn neighbour(o: &Outline, index: usize, d: Direction) -> Option<String> {
    let st = &o.states[index];
    let scope = &o.scopes[st.scope];
    let preds: Vec<usize> = scope
        .states
        .iter()
        .copied()
        .filter(|&s| s != index && o.states[s].transitions.iter().any(|t| t.target == st.name))
        .collect();
    match d {
        Direction::Down => st
            .transitions
            .iter()
            .map(|t| t.target.clone())
            .find(|t| *t != st.name)
            .or_else(|| {
                let first_child = st.children.first()?;
                o.scopes[*first_child].start_at.clone()
            }),
        Direction::Up => preds
            .first()
            .map(|&p| o.states[p].name.clone())
            .or_else(|| scope.parent.map(|p| o.states[p].name.clone())),
        Direction::Left | Direction::Right => {
            let siblings: Vec<String> = match preds.first() {
                Some(&p) => {
                    let mut v: Vec<String> = Vec::new();
                    for t in &o.states[p].transitions {
                        if !v.contains(&t.target) {
                            v.push(t.target.clone());
                        }
                    }
                    v
                }
                None => scope
                    .states
                    .iter()
                    .map(|&s| o.states[s].name.clone())
                    .collect(),
            };
            let pos = siblings.iter().position(|s| *s == st.name)?;
            let next = if d == Direction::Right {
                pos.checked_add(1)
            } else {
                pos.checked_sub(1)
            }?;
            siblings.get(next).cloned()
        }
    }
}
