//! The validator: rules that run over a [`Parse`] and report [`Diagnostic`]s.
//!
//! Each rule lives in its own file under `rules/` with a stable code; [`registry::RULES`] lists them.

pub mod registry;
pub(crate) mod rules;

use crate::Parse;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Machine, StateRef};
use crate::text::Span;
use crate::tree::Node;

pub use registry::{RULES, Rule, rule_by_code};

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
}

impl<'a> Ctx<'a> {
    /// Finds the tree node a pointer designates.
    pub fn node(&self, pointer: &str) -> Option<&'a Node> {
        self.parse.tree.as_ref()?.pointer(pointer)
    }
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
    let ctx = Ctx {
        parse,
        opts,
        states: parse.machine.states(),
        machines: parse.machine.machines(),
    };
    for rule in RULES {
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
