//! Warns about reachable states from which no terminal state can ever be reached (endless loops).

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL204",
    name: "no_way_out",
    severity: Severity::Warning,
    summary: "A reachable state from which no path leads to a terminal state, so the execution can never end there (a path into a transition to a missing state is not flagged: `missing_target` reports that transition).",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (scope, m) in ctx.machines.iter().enumerate() {
        if !m.states.iter().any(|s| s.is_terminal()) {
            continue;
        }
        // A state with a dangling transition (reported by missing_target) has an unknown fate,
        // and so have the states leading to it: `may_finish` counts them as able to finish, so
        // one mistyped `Next` does not turn every state before it into a warning.
        let g = ctx.graph(scope);
        for (i, st) in m.states.iter().enumerate() {
            if g.reachable[i] && !g.may_finish[i] {
                out.push(diag(
                    &RULE,
                    st.pointer.clone(),
                    st.name_span,
                    format!(
                        "No path leads from state \"{}\" to a terminal state.",
                        st.name
                    ),
                ));
            }
        }
    }
}
