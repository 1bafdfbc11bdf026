//! Flags states that no transition from `StartAt` can reach.

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL202",
    name: "unreachable_state",
    severity: Severity::Error,
    summary: "A state that cannot be reached from `StartAt`.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (scope, m) in ctx.machines.iter().enumerate() {
        // Without a valid StartAt another rule reports the problem; reachability would only add noise.
        let Some(start) = &m.start_at else { continue };
        if m.state(&start.value).is_none() {
            continue;
        }
        let g = ctx.graph(scope);
        for (i, st) in m.states.iter().enumerate() {
            if !g.reachable[i] {
                out.push(diag(
                    &RULE,
                    st.pointer.clone(),
                    st.name_span,
                    format!(
                        "State \"{}\" cannot be reached. It must be referenced by at least one other state.",
                        st.name
                    ),
                ));
            }
        }
    }
}
