//! Warns when an inline Map asks for more than 40 concurrent iterations (the service runs at most 40).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL602",
    name: "inline_map_concurrency",
    severity: Severity::Warning,
    summary: "An inline Map with `MaxConcurrency` above 40; inline Maps run at most 40 iterations at a time.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let StateKind::Map(m) = &s.state.kind else {
            continue;
        };
        if m.is_distributed() {
            continue;
        }
        if let Some(mc) = &m.max_concurrency
            && mc.value.number().is_some_and(|n| n > 40.0)
        {
            out.push(diag(
                    &RULE,
                    push_key(&s.state.pointer, "MaxConcurrency"),
                    mc.span,
                    "Inline Map states run at most 40 iterations concurrently; use a distributed Map for more.",
                ));
        }
    }
}
