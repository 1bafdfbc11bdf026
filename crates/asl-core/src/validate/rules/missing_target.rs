//! Requires `StartAt`, `Next`, `Default` and catcher `Next` to name a state of the same `States` block.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::TransitionKind;
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL201",
    name: "missing_target",
    severity: Severity::Error,
    summary: "`StartAt`, `Next`, `Default` or a catcher's `Next` names a state that does not exist.",
    check: Some(check),
};

/// Tells whether any block other than `scope` has a state with this name.
pub(crate) fn exists_elsewhere(ctx: &Ctx, scope: usize, name: &str) -> bool {
    (0..ctx.machines.len()).any(|i| i != scope && ctx.has_state(i, name))
}

fn field_name(kind: TransitionKind) -> &'static str {
    match kind {
        TransitionKind::Default => "Default",
        _ => "Next",
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (scope, m) in ctx.machines.iter().enumerate() {
        if let Some(start) = &m.start_at
            && !ctx.has_state(scope, &start.value)
            && !exists_elsewhere(ctx, scope, &start.value)
        {
            out.push(diag(
                    &RULE,
                    push_key(&m.pointer, "StartAt"),
                    start.span,
                    format!(
                        "The value of \"StartAt\" must be the name of an existing state; \"{}\" does not exist.",
                        start.value
                    ),
                ));
        }
        for st in &m.states {
            for t in st.transitions() {
                if !ctx.has_state(scope, t.target) && !exists_elsewhere(ctx, scope, t.target) {
                    out.push(diag(
                        &RULE,
                        t.pointer.clone(),
                        t.span,
                        format!(
                            "The value of \"{}\" must be the name of an existing state; \"{}\" does not exist.",
                            field_name(t.kind),
                            t.target
                        ),
                    ));
                }
            }
        }
    }
}
