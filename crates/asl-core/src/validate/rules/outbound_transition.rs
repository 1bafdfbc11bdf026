//! Flags transitions that leave (or enter) a Parallel branch or a Map item processor.

use crate::diagnostic::{Diagnostic, Severity};
use crate::tree::push_key;
use crate::validate::rules::missing_target::exists_elsewhere;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL208",
    name: "outbound_transition",
    severity: Severity::Error,
    summary: "A transition targets a state of another `States` block (out of a Parallel branch or Map processor, or into one).",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (scope, m) in ctx.machines.iter().enumerate() {
        if let Some(start) = &m.start_at
            && !ctx.has_state(scope, &start.value)
            && exists_elsewhere(ctx, scope, &start.value)
        {
            out.push(diag(
                    &RULE,
                    push_key(&m.pointer, "StartAt"),
                    start.span,
                    format!("\"StartAt\" must name a state of the same \"States\" block; \"{}\" belongs to another block.", start.value),
                ));
        }
        for st in &m.states {
            for t in st.transitions() {
                if !ctx.has_state(scope, t.target) && exists_elsewhere(ctx, scope, t.target) {
                    out.push(diag(
                        &RULE,
                        t.pointer.clone(),
                        t.span,
                        format!(
                            "State \"{}\" cannot transition to \"{}\": transitions cannot leave or enter a Parallel branch or a Map processor.",
                            st.name, t.target
                        ),
                    ));
                }
            }
        }
    }
}
