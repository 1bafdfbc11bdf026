//! The validator: rules that run over a [`Parse`] and report [`Diagnostic`]s.
//!
//! Each rule lives in its own file under `rules/` with a stable code; [`registry::RULES`] lists them.

pub mod registry;
pub(crate) mod rules;

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::Parse;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Machine, StateRef};
use crate::text::Span;
use crate::tree::Node;
use rules::graph::BlockGraph;

pub use crate::hash::{FastHash, FastHasher};
pub use registry::{RULES, Rule, asl_validator_equivalent, rule_by_code};

/// The type of state machine, which restricts some integrations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MachineType {
    /// Standard workflows.
    Standard,
    /// Express workflows (no `.sync`, `.waitForTaskToken` or activities).
    Express,
}

/// Options for [`validate`].
#[derive(Clone, Debug, Default)]
pub struct ValidateOptions {
    /// The machine type, if known; Express-only checks run only when it is `Express`.
    pub machine_type: Option<MachineType>,
}

/// What a rule sees: the parse, the options and precomputed state lists.
pub struct Ctx<'a> {
    /// The parse being validated.
    pub parse: &'a Parse,
    /// The options.
    pub opts: &'a ValidateOptions,
    /// Every state, nested ones included, in document order.
    pub states: Vec<StateRef<'a>>,
    /// Every `States` block, numbered like [`StateRef::scope`].
    pub machines: Vec<&'a Machine>,
    /// The tree nodes of every block and state, by pointer (so lookups stay fast on huge machines).
    nodes: HashMap<&'a str, &'a Node, FastHash>,
    /// The states of every block by name (the last of equal names, like a JSON object).
    names: Vec<HashMap<&'a str, usize, FastHash>>,
    /// The transition graph of every block, computed when a rule first asks for it.
    graphs: Vec<OnceCell<BlockGraph>>,
}

impl<'a> Ctx<'a> {
    fn new(parse: &'a Parse, opts: &'a ValidateOptions) -> Self {
        let mut ctx = Ctx {
            parse,
            opts,
            states: Vec::new(),
            machines: Vec::new(),
            nodes: HashMap::default(),
            names: Vec::new(),
            graphs: Vec::new(),
        };
        (ctx.states, ctx.machines) = parse.machine.walk();
        for m in ctx.machines.clone() {
            ctx.names.push(
                m.states
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.name.as_str(), i))
                    .collect(),
            );
            ctx.graphs.push(OnceCell::new());
            let Some(block) = ctx.node(&m.pointer) else {
                continue;
            };
            ctx.nodes.insert(&m.pointer, block);
            let Some(members) = block.get("States").and_then(Node::as_object) else {
                continue;
            };
            let by_name: HashMap<&str, &Node, FastHash> = members
                .iter()
                .map(|mm| (mm.key.as_str(), &mm.value))
                .collect();
            for st in &m.states {
                if let Some(n) = by_name.get(st.name.as_str()) {
                    ctx.nodes.insert(&st.pointer, n);
                }
            }
        }
        ctx
    }

    /// Finds the tree node a pointer designates.
    pub fn node(&self, pointer: &str) -> Option<&'a Node> {
        if let Some(n) = self.nodes.get(pointer) {
            return Some(n);
        }
        // Resolve from the nearest known ancestor (a state or a block).
        let mut end = pointer.len();
        while let Some(i) = pointer[..end].rfind('/') {
            if let Some(n) = self.nodes.get(&pointer[..i]) {
                return n.pointer(&pointer[i..]);
            }
            end = i;
        }
        self.parse.tree.as_ref()?.pointer(pointer)
    }

    /// Finds a node below the node of `base` (a state or block pointer) by a relative path of
    /// plain keys such as `ItemReader/Parameters` (no escaping, no array indices).
    pub fn sub(&self, base: &str, rel: &str) -> Option<&'a Node> {
        descend(self.nodes.get(base)?, rel)
    }

    /// The tree node of a state or block pointer (one lookup, for rules that read several
    /// fields of it with [`descend`]).
    pub fn base(&self, base: &str) -> Option<&'a Node> {
        self.nodes.get(base).copied()
    }

    /// Tells whether the block with this scope index has a state with this name.
    pub fn has_state(&self, scope: usize, name: &str) -> bool {
        self.names.get(scope).is_some_and(|n| n.contains_key(name))
    }

    /// The transition graph of the block with this scope index.
    pub(crate) fn graph(&self, scope: usize) -> &BlockGraph {
        self.graphs[scope].get_or_init(|| {
            let names = &self.names[scope];
            BlockGraph::new(self.machines[scope], |t| names.get(t).copied())
        })
    }
}

/// Finds a node below `node` by a relative path of plain keys such as `ItemReader/Parameters`.
pub fn descend<'n>(node: &'n Node, rel: &str) -> Option<&'n Node> {
    let mut node = node;
    for key in rel.split('/') {
        node = node.get(key)?;
    }
    Some(node)
}

/// Builds a diagnostic for a rule.
pub(crate) fn diag(
    rule: &Rule,
    pointer: impl Into<String>,
    span: Span,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic {
        code: rule.code,
        severity: rule.severity,
        message: message.into(),
        pointer: pointer.into(),
        span,
    }
}

/// Runs every rule over a parse. The parse's own diagnostics are not repeated.
pub fn validate(parse: &Parse, opts: &ValidateOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if parse.tree.is_none() {
        return out;
    }
    let ctx = Ctx::new(parse, opts);
    for rule in RULES {
        if let Some(check) = rule.check {
            check(&ctx, &mut out);
        }
    }
    out
}

/// Runs only the rules with the given codes (for tools that want a subset, and for profiling).
pub fn validate_codes(parse: &Parse, opts: &ValidateOptions, codes: &[&str]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if parse.tree.is_none() {
        return out;
    }
    let ctx = Ctx::new(parse, opts);
    for rule in RULES.iter().filter(|r| codes.contains(&r.code)) {
        if let Some(check) = rule.check {
            check(&ctx, &mut out);
        }
    }
    out
}

/// Tells whether a severity is an error (helper for callers counting failures).
pub fn is_error(d: &Diagnostic) -> bool {
    d.severity == Severity::Error
}
