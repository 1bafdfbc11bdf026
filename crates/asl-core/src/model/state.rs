//! The state enum and the fields every state type shares.

use crate::model::build::{Builder, INVALID_VALUE, WRONG_TYPE};
use crate::model::{
    Choice, Fail, Machine, Map, Parallel, Pass, QueryLanguage, Spanned, Succeed, Task, Wait,
    query_language,
};
use crate::text::Span;
use crate::tree::{Member, Node, push_index, push_key};

/// The fields shared by state types (each is `None` when absent or of the wrong type).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Common {
    /// `Type`.
    pub type_name: Option<Spanned<String>>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
    /// `QueryLanguage` as written on the state.
    pub query_language: Option<Spanned<QueryLanguage>>,
    /// `Next`.
    pub next: Option<Spanned<String>>,
    /// `End`.
    pub end: Option<Spanned<bool>>,
    /// `InputPath` (JSONPath; `None` inside means `null`).
    pub input_path: Option<Spanned<Option<String>>>,
    /// `OutputPath` (JSONPath).
    pub output_path: Option<Spanned<Option<String>>>,
    /// `ResultPath` (JSONPath).
    pub result_path: Option<Spanned<Option<String>>>,
    /// `Parameters` (JSONPath payload template).
    pub parameters: Option<Node>,
    /// `ResultSelector` (JSONPath payload template).
    pub result_selector: Option<Node>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Node>,
    /// `Output` (JSONata; any JSON value).
    pub output: Option<Node>,
    /// `Assign` (variables).
    pub assign: Option<Node>,
}

/// The type-specific part of a state.
// Map is the largest variant; states are few, so boxing would only cost ergonomics.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum StateKind {
    /// `Pass`.
    Pass(Pass),
    /// `Task`.
    Task(Task),
    /// `Choice`.
    Choice(Choice),
    /// `Wait`.
    Wait(Wait),
    /// `Succeed`.
    Succeed(Succeed),
    /// `Fail`.
    Fail(Fail),
    /// `Parallel`.
    Parallel(Parallel),
    /// `Map`.
    Map(Map),
    /// A missing or unknown `Type`.
    Unknown,
}

/// One state of a `States` block.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The state name (the key in `States`).
    pub name: String,
    /// Span of the name key.
    pub name_span: Span,
    /// JSON Pointer to the state object.
    pub pointer: String,
    /// Span of the state object.
    pub span: Span,
    /// Shared fields.
    pub common: Common,
    /// Type-specific fields.
    pub kind: StateKind,
}

/// Which field a transition comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionKind {
    /// `Next`.
    Next,
    /// Choice `Default`.
    Default,
    /// The `Next` of a Choice rule (its index).
    Choice(usize),
    /// The `Next` of a catcher (its index).
    Catch(usize),
}

/// A transition out of a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition<'a> {
    /// Where the transition is written.
    pub kind: TransitionKind,
    /// The target state name.
    pub target: &'a str,
    /// Span of the target string.
    pub span: Span,
    /// JSON Pointer to the target string.
    pub pointer: String,
}

/// The state type names, in the order the spec lists them.
pub const STATE_TYPES: [&str; 8] = [
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

impl State {
    /// Returns the type name (`"Task"`, …) or `"Unknown"`.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            StateKind::Pass(_) => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed(_) => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
            StateKind::Unknown => "Unknown",
        }
    }

    /// Lists the transitions out of the state: `Next`, `Default`, Choice rule `Next`s and catcher `Next`s.
    pub fn transitions(&self) -> Vec<Transition<'_>> {
        let mut out = Vec::new();
        if let Some(next) = &self.common.next {
            out.push(Transition {
                kind: TransitionKind::Next,
                target: &next.value,
                span: next.span,
                pointer: push_key(&self.pointer, "Next"),
            });
        }
        if let StateKind::Choice(c) = &self.kind {
            for (i, rule) in c.choices.iter().enumerate() {
                if let Some(next) = &rule.next {
                    out.push(Transition {
                        kind: TransitionKind::Choice(i),
                        target: &next.value,
                        span: next.span,
                        pointer: push_key(&rule.pointer, "Next"),
                    });
                }
            }
            if let Some(d) = &c.default {
                out.push(Transition {
                    kind: TransitionKind::Default,
                    target: &d.value,
                    span: d.span,
                    pointer: push_key(&self.pointer, "Default"),
                });
            }
        }
        for (i, catcher) in self.catchers().iter().enumerate() {
            if let Some(next) = &catcher.next {
                out.push(Transition {
                    kind: TransitionKind::Catch(i),
                    target: &next.value,
                    span: next.span,
                    pointer: push_key(&catcher.pointer, "Next"),
                });
            }
        }
        out
    }

    /// The target names of [`State::transitions`], in the same order, without building pointers
    /// (for the graph rules, which look at every transition of every state).
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        let (choices, default): (&[crate::model::ChoiceRule], _) = match &self.kind {
            StateKind::Choice(c) => (&c.choices, c.default.as_ref()),
            _ => (&[], None),
        };
        self.common
            .next
            .iter()
            .chain(choices.iter().filter_map(|r| r.next.as_ref()))
            .chain(default)
            .chain(self.catchers().iter().filter_map(|c| c.next.as_ref()))
            .map(|n| n.value.as_str())
    }

    /// Tells whether the state can end its block (`End: true`, Succeed or Fail).
    pub fn is_terminal(&self) -> bool {
        matches!(self.kind, StateKind::Succeed(_) | StateKind::Fail(_))
            || self.common.end.as_ref().is_some_and(|e| e.value)
    }

    /// Returns the nested `States` blocks (Parallel branches, Map item processor).
    pub fn child_machines(&self) -> Vec<&Machine> {
        match &self.kind {
            StateKind::Parallel(p) => p.branches.iter().collect(),
            StateKind::Map(m) => m.item_processor.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// Returns the retriers (Task, Parallel, Map).
    pub fn retriers(&self) -> &[crate::model::Retrier] {
        match &self.kind {
            StateKind::Task(t) => &t.retry,
            StateKind::Parallel(p) => &p.retry,
            StateKind::Map(m) => &m.retry,
            _ => &[],
        }
    }

    /// Returns the catchers (Task, Parallel, Map).
    pub fn catchers(&self) -> &[crate::model::Catcher] {
        match &self.kind {
            StateKind::Task(t) => &t.catch,
            StateKind::Parallel(p) => &p.catch,
            StateKind::Map(m) => &m.catch,
            _ => &[],
        }
    }
}

/// Builds one state from its `States` member.
pub(crate) fn build_state(b: &mut Builder, member: &Member, states_ptr: &str) -> State {
    let ptr = push_key(states_ptr, &member.key);
    let node = &member.value;
    let mut state = State {
        name: member.key.clone(),
        name_span: member.key_span,
        pointer: ptr.clone(),
        span: node.span,
        common: Common::default(),
        kind: StateKind::Unknown,
    };
    if node.as_object().is_none() {
        b.error(
            WRONG_TYPE,
            ptr,
            node.span,
            format!(
                "State \"{}\" must be an object, found {}.",
                member.key,
                node.type_name()
            ),
        );
        return state;
    }
    let c = &mut state.common;
    c.type_name = b.req_string(node, &ptr, "Type");
    c.comment = b.string(node, &ptr, "Comment");
    c.query_language = query_language(b, node, &ptr);
    c.next = b.string(node, &ptr, "Next");
    c.end = b.boolean(node, &ptr, "End");
    c.input_path = b.path(node, &ptr, "InputPath");
    c.output_path = b.path(node, &ptr, "OutputPath");
    c.result_path = b.path(node, &ptr, "ResultPath");
    c.parameters = b.object(node, &ptr, "Parameters", false);
    c.result_selector = b.object(node, &ptr, "ResultSelector", false);
    c.arguments = b.object(node, &ptr, "Arguments", true);
    c.output = node.get("Output").cloned();
    c.assign = b.object(node, &ptr, "Assign", false);
    let Some(type_name) = c.type_name.clone() else {
        return state;
    };
    state.kind = match type_name.value.as_str() {
        "Pass" => StateKind::Pass(crate::model::pass::build(b, node, &ptr)),
        "Task" => StateKind::Task(crate::model::task::build(b, node, &ptr)),
        "Choice" => StateKind::Choice(crate::model::choice::build(b, node, &ptr)),
        "Wait" => StateKind::Wait(crate::model::wait::build(b, node, &ptr)),
        "Succeed" => StateKind::Succeed(Succeed::default()),
        "Fail" => StateKind::Fail(crate::model::fail::build(b, node, &ptr)),
        "Parallel" => StateKind::Parallel(crate::model::parallel::build(b, node, &ptr)),
        "Map" => StateKind::Map(crate::model::map::build(b, node, &ptr)),
        other => {
            b.error(
                INVALID_VALUE,
                push_key(&ptr, "Type"),
                type_name.span,
                format!(
                    "Unknown state type \"{other}\"; expected one of {}.",
                    crate::model::build::quote_list(&STATE_TYPES)
                ),
            );
            StateKind::Unknown
        }
    };
    state
}

/// Builds the retriers and catchers of a Task, Parallel or Map state.
pub(crate) fn build_error_handling(
    b: &mut Builder,
    node: &Node,
    ptr: &str,
) -> (Vec<crate::model::Retrier>, Vec<crate::model::Catcher>) {
    let mut retry = Vec::new();
    if let Some(items) = b.array(node, ptr, "Retry") {
        let rp = push_key(ptr, "Retry");
        for (i, item) in items.iter().enumerate() {
            if let Some(r) =
                crate::model::error_handling::build_retrier(b, item, &push_index(&rp, i))
            {
                retry.push(r);
            }
        }
    }
    let mut catch = Vec::new();
    if let Some(items) = b.array(node, ptr, "Catch") {
        let cp = push_key(ptr, "Catch");
        for (i, item) in items.iter().enumerate() {
            if let Some(c) =
                crate::model::error_handling::build_catcher(b, item, &push_index(&cp, i))
            {
                catch.push(c);
            }
        }
    }
    (retry, catch)
}
