//! Commands: every change the app can ask for, with how history captures it. One module per
//! concern: text edits, states (add, delete, duplicate, rename, link, move), fields
//! (inspector forms, Choice rules, Retry/Catch, branches, query language) and formatting.

pub(crate) mod fields;
pub(crate) mod pattern;
pub(crate) mod states;

use serde_json::Value;

use crate::catalogue::{Palette, QueryLanguage};
use crate::document::{Format, Settings};
use crate::outline::Via;
use crate::selection::Selection;
use crate::text::Span;

/// How history records a command (style.md §2.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    /// One undo step per command (visual edits).
    Immediately,
    /// Merged with the previous command of the same burst (typing in the code editor).
    Eventually,
    /// Never recorded (selection, viewport, history navigation).
    Never,
}

/// An edge of the graph: a transition from one state to another.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The source state.
    pub from: String,
    /// The target state.
    pub to: String,
    /// The field that makes the transition; `None` picks the first one (Next, Default,
    /// Choices, Catch).
    pub via: Option<Via>,
}

impl Edge {
    /// Creates an edge picked by its end points.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Edge {
        Edge {
            from: from.into(),
            to: to.into(),
            via: None,
        }
    }
}

/// A `StartAt` + `States` block.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum ScopeRef {
    /// The top-level machine.
    #[default]
    Top,
    /// Branch `index` of a Parallel state.
    Branch {
        /// The Parallel state.
        state: String,
        /// The branch index.
        index: usize,
    },
    /// The item processor of a Map state.
    Processor {
        /// The Map state.
        state: String,
    },
}

/// Where a new or moved state goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Position {
    /// On an edge: `from` goes to the new state, which goes to `to`.
    Edge(Edge),
    /// First state of a block (becomes its `StartAt`, followed by the old start).
    Start(ScopeRef),
    /// After the block's last `End` state (or as its only state).
    End(ScopeRef),
    /// In the block, not linked from anywhere.
    Detached(ScopeRef),
    /// Right after a state: on its `Next` edge, or, when it ends the block, as its new `Next`
    /// (the drop target "edge to End" of that state).
    After(String),
}

/// Every change the app can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Replace a range of the text (from the code editor).
    SetText {
        /// The replaced range.
        range: Span,
        /// The new text.
        insert: String,
    },
    /// Replace the whole text (paste, import).
    ReplaceText(String),
    /// Pretty-print the document.
    FormatDocument,
    /// Convert the document to JSON or YAML (pretty-printed).
    ConvertFormat(Format),
    /// Add a state from the palette.
    AddState {
        /// What to add.
        palette: Palette,
        /// Where to add it.
        at: Position,
        /// The name; a unique default name when `None`.
        name: Option<String>,
    },
    /// Insert a pattern (a template whose `pattern` flag is set, or any template) at a position:
    /// its states get unique names and continue to the position's successor.
    InsertPattern {
        /// The template id, for example `retry-backoff`.
        id: String,
        /// Where to insert it.
        at: Position,
    },
    /// Delete states, reconnecting their neighbours.
    DeleteStates(Vec<String>),
    /// Duplicate a state (unlinked copy next to it).
    Duplicate(String),
    /// Rename a state and every reference to it.
    Rename {
        /// The current name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Set `Next` (or `End: true` when `None`).
    SetNext {
        /// The state.
        state: String,
        /// The next state, or `None` for `End`.
        next: Option<String>,
    },
    /// Retarget one transition (Next, Default, a Choice rule or a catcher).
    SetTransition {
        /// The state.
        state: String,
        /// Which transition.
        via: Via,
        /// The new target.
        target: String,
    },
    /// Detach a state from its chain and insert it elsewhere in the same block.
    MoveState {
        /// The state.
        state: String,
        /// Where it goes.
        to: Position,
    },
    /// Set or remove a field: `pointer` is relative to the state (or to the document root
    /// when `state` is `None`), e.g. `/Comment`, `/Parameters/Payload.$`, `/Retry/0/MaxAttempts`.
    SetField {
        /// The state, or `None` for the top level.
        state: Option<String>,
        /// JSON Pointer relative to the state.
        pointer: String,
        /// The value, or `None` to remove the field.
        value: Option<Value>,
    },
    /// Append a Choice rule (a placeholder rule when `None`).
    AddChoiceRule {
        /// The Choice state.
        state: String,
        /// The rule.
        rule: Option<Value>,
    },
    /// Replace a Choice rule.
    SetChoiceRule {
        /// The Choice state.
        state: String,
        /// The rule index.
        index: usize,
        /// The new rule.
        rule: Value,
    },
    /// Remove a Choice rule.
    RemoveChoiceRule {
        /// The Choice state.
        state: String,
        /// The rule index.
        index: usize,
    },
    /// Append a retrier (the default one when `None`).
    AddRetry {
        /// The state.
        state: String,
        /// The retrier.
        retrier: Option<Value>,
    },
    /// Remove a retrier (and the `Retry` field when it becomes empty).
    RemoveRetry {
        /// The state.
        state: String,
        /// The retrier index.
        index: usize,
    },
    /// Append a catcher for `States.ALL` going to `next` (or the given catcher).
    AddCatch {
        /// The state.
        state: String,
        /// The fallback state.
        next: String,
        /// A full catcher instead of the default one.
        catcher: Option<Value>,
    },
    /// Remove a catcher (and the `Catch` field when it becomes empty).
    RemoveCatch {
        /// The state.
        state: String,
        /// The catcher index.
        index: usize,
    },
    /// Append a branch (with a placeholder Pass state) to a Parallel state.
    AddBranch {
        /// The Parallel state.
        state: String,
    },
    /// Set the query language of the machine (`None`) or of one state.
    SetQueryLanguage {
        /// The state, or `None` for the top level.
        state: Option<String>,
        /// The language.
        language: QueryLanguage,
    },
    /// Collapse or expand a Parallel/Map box (layout sidecar).
    SetCollapsed {
        /// The state.
        state: String,
        /// Collapsed or not.
        collapsed: bool,
    },
    /// Move a box away from its automatic place, or put it back (layout sidecar).
    SetPosition {
        /// The state.
        state: String,
        /// The offset from the automatic place, in scene units, or `None` to go back to it.
        position: Option<[f64; 2]>,
    },
    /// Put every moved box back at its automatic place (layout sidecar), in one undo step.
    ResetLayout,
    /// Replace the document settings.
    SetSettings(Settings),
    /// Replace the selection.
    Select(Selection),
    /// Select the state under a text offset (the code editor's cursor).
    SelectAtOffset(usize),
    /// Undo one step.
    Undo,
    /// Redo one step.
    Redo,
    /// Start a gesture: the following commands become one undo step.
    BeginTransaction,
    /// End a gesture, recording one undo step if anything changed.
    CommitTransaction,
    /// Cancel a gesture: restore the document as it was at its start.
    AbortTransaction,
    /// End the current typing burst, so the next text edit starts a new undo step.
    Checkpoint,
}

impl Command {
    /// Returns how history records the command.
    pub fn capture(&self) -> Capture {
        match self {
            Command::SetText { .. } => Capture::Eventually,
            Command::Select(_)
            | Command::SelectAtOffset(_)
            | Command::Undo
            | Command::Redo
            | Command::BeginTransaction
            | Command::CommitTransaction
            | Command::AbortTransaction
            | Command::Checkpoint => Capture::Never,
            _ => Capture::Immediately,
        }
    }
}
