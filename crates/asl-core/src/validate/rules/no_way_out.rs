//! Warns about reachable states from which no terminal state can ever be reached (endless loops).

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::rules::graph::{can_finish, reachable, successors};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL204",
    name: "no_way_out",
    severity: Severity::Warning,
    summary: "A reachable state from which no path leads to a terminal state, so the execution can never end there.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (scope, m) in ctx.machines.iter().enumerate() {
        if !m.states.iter().any(|s| s.is_terminal()) {
            continue;
        }
        let succ = successors(m);
        let seen = reachable(m, &succ);
        let finish = can_finish(m, &succ);
        for (i, st) in m.states.iter().enumerate() {
            // A dangling transition is reported by missing_target; the state's fate is unknown.
            let dangling = st
                .transitions()
                .iter()
                .any(|t| !ctx.has_state(scope, t.target));
            if seen.contains(&i) && !finish.contains(&i) && !dangling {
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
