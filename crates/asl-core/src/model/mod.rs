//! The typed ASL model: a machine, its states and every field, each with its span.
//!
//! The model is built leniently from the spanned tree: missing and wrong-typed fields become
//! diagnostics and `None`, never failures.

pub(crate) mod build;
pub mod choice;
pub mod error_handling;
pub mod fail;
pub mod map;
pub mod parallel;
pub mod pass;
pub mod resource;
pub mod state;
pub mod succeed;
pub mod task;
pub mod wait;

pub use choice::{Choice, ChoiceRule};
pub use error_handling::{Catcher, Retrier};
pub use fail::Fail;
pub use map::{ItemReader, Map, ProcessorConfig, ResultWriter};
pub use parallel::Parallel;
pub use pass::Pass;
pub use resource::{IntegrationPattern, Resource};
pub use state::{Common, State, StateKind, Transition, TransitionKind};
pub use succeed::Succeed;
pub use task::Task;
pub use wait::Wait;

use build::Builder;

use crate::text::Span;
use crate::tree::{Node, NodeKind, push_key};

/// A value with the span of the token it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where the value is in the text.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A number, or a JSONata expression that yields one.
#[derive(Clone, Debug, PartialEq)]
pub enum NumOrExpr {
    /// A literal number.
    Number(f64),
    /// A `{% … %}` expression.
    Expr(String),
}

impl NumOrExpr {
    /// Returns the literal number, if any.
    pub fn number(&self) -> Option<f64> {
        match self {
            NumOrExpr::Number(n) => Some(*n),
            NumOrExpr::Expr(_) => None,
        }
    }
}

/// The query language of a machine or state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueryLanguage {
    /// JSONPath (the default).
    #[default]
    JsonPath,
    /// JSONata.
    Jsonata,
}

/// A `StartAt` + `States` block: the top level, a Parallel branch or a Map item processor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Machine {
    /// JSON Pointer to this block ("" for the top level).
    pub pointer: String,
    /// Span of the block's object.
    pub span: Span,
    /// `StartAt`.
    pub start_at: Option<Spanned<String>>,
    /// `States`, in document order.
    pub states: Vec<State>,
    /// Span of the `States` object, if present.
    pub states_span: Option<Span>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
    /// `Version` (top level only).
    pub version: Option<Spanned<String>>,
    /// `TimeoutSeconds` (top level only).
    pub timeout_seconds: Option<Spanned<f64>>,
    /// `QueryLanguage` as written.
    pub query_language: Option<Spanned<QueryLanguage>>,
    /// `ProcessorConfig` (Map item processors only).
    pub processor_config: Option<ProcessorConfig>,
}

/// One state found by [`Machine::states`], with where it sits.
#[derive(Clone, Copy, Debug)]
pub struct StateRef<'a> {
    /// The state.
    pub state: &'a State,
    /// The `States` block that holds it.
    pub machine: &'a Machine,
    /// The Parallel or Map state that holds the block, if nested.
    pub parent: Option<&'a State>,
    /// Nesting depth (0 at the top level).
    pub depth: usize,
    /// The query language in effect for the state.
    pub query_language: QueryLanguage,
    /// Index of the enclosing `States` block in [`Machine::machines`] order.
    pub scope: usize,
}

impl Machine {
    /// Returns the query language in effect for this block, given the enclosing one.
    pub fn effective_query_language(&self, outer: QueryLanguage) -> QueryLanguage {
        self.query_language.as_ref().map_or(outer, |q| q.value)
    }

    /// Iterates over every state in document order, nested states right after their parent.
    pub fn states(&self) -> Vec<StateRef<'_>> {
        self.walk().0
    }

    /// Lists every `States` block (this one first), indexed by [`StateRef::scope`]; nested
    /// blocks are numbered in document order.
    pub fn machines(&self) -> Vec<&Machine> {
        self.walk().1
    }

    pub(crate) fn walk(&self) -> (Vec<StateRef<'_>>, Vec<&Machine>) {
        struct Frame<'a> {
            machine: &'a Machine,
            parent: Option<&'a State>,
            depth: usize,
            ql: QueryLanguage,
            scope: usize,
            next: usize,
        }
        let mut out = Vec::new();
        let mut machines = vec![self];
        let mut stack = vec![Frame {
            machine: self,
            parent: None,
            depth: 0,
            ql: self.effective_query_language(QueryLanguage::JsonPath),
            scope: 0,
            next: 0,
        }];
        while let Some(top) = stack.last_mut() {
            let Some(state) = top.machine.states.get(top.next) else {
                stack.pop();
                continue;
            };
            top.next += 1;
            let (machine, parent, depth, ql, scope) =
                (top.machine, top.parent, top.depth, top.ql, top.scope);
            let state_ql = state.common.query_language.as_ref().map_or(ql, |q| q.value);
            out.push(StateRef {
                state,
                machine,
                parent,
                depth,
                query_language: state_ql,
                scope,
            });
            let children = state.child_machines();
            let first = machines.len();
            machines.extend(children.iter().copied());
            for (k, child) in children.into_iter().enumerate().rev() {
                stack.push(Frame {
                    machine: child,
                    parent: Some(state),
                    depth: depth + 1,
                    ql: child.effective_query_language(state_ql),
                    scope: first + k,
                    next: 0,
                });
            }
        }
        (out, machines)
    }

    /// Finds a state of this block by name.
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.iter().find(|s| s.name == name)
    }
}

/// Builds a `StartAt`/`States` block from an object node.
pub(crate) fn build_machine(b: &mut Builder, node: &Node, ptr: &str, top_level: bool) -> Machine {
    let mut m = Machine {
        pointer: ptr.to_owned(),
        span: node.span,
        ..Machine::default()
    };
    if node.as_object().is_none() {
        b.error(
            build::WRONG_TYPE,
            ptr.to_owned(),
            node.span,
            format!(
                "A state machine must be an object, found {}.",
                node.type_name()
            ),
        );
        return m;
    }
    m.start_at = b.req_string(node, ptr, "StartAt");
    m.comment = b.string(node, ptr, "Comment");
    m.query_language = query_language(b, node, ptr);
    if top_level {
        m.version = b.string(node, ptr, "Version");
        m.timeout_seconds = b.plain_number(node, ptr, "TimeoutSeconds");
    }
    match node.get("States") {
        None => b.missing(node, ptr, "States"),
        Some(states) => {
            let states_ptr = push_key(ptr, "States");
            m.states_span = Some(states.span);
            match &states.kind {
                NodeKind::Object(members) => {
                    // A duplicated name is reported by the validator; the last one wins, as in `serde_json`.
                    let last: crate::hash::FastMap<&str, usize> = members
                        .iter()
                        .enumerate()
                        .map(|(i, mm)| (mm.key.as_str(), i))
                        .collect();
                    for (i, member) in members.iter().enumerate() {
                        if last.get(member.key.as_str()) != Some(&i) {
                            continue;
                        }
                        m.states.push(state::build_state(b, member, &states_ptr));
                    }
                }
                _ => b.error(
                    build::WRONG_TYPE,
                    states_ptr,
                    states.span,
                    format!(
                        "Field \"States\" must be an object, found {}.",
                        states.type_name()
                    ),
                ),
            }
        }
    }
    m
}

/// Reads a `QueryLanguage` field.
pub(crate) fn query_language(
    b: &mut Builder,
    node: &Node,
    ptr: &str,
) -> Option<Spanned<QueryLanguage>> {
    let s = b.enumerated(node, ptr, "QueryLanguage", &["JSONPath", "JSONata"])?;
    let ql = if s.value == "JSONata" {
        QueryLanguage::Jsonata
    } else {
        QueryLanguage::JsonPath
    };
    Some(Spanned::new(ql, s.span))
}

/// Builds the model of a whole document.
pub(crate) fn build(tree: Option<&Node>) -> (Machine, Vec<crate::diagnostic::Diagnostic>) {
    let mut b = Builder::default();
    let machine = match tree {
        Some(node) => build_machine(&mut b, node, "", true),
        None => Machine::default(),
    };
    (machine, b.diags)
}
