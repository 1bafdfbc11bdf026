//! Limits state names to 80 characters and forbids empty names.

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL206",
    name: "state_name_length",
    severity: Severity::Error,
    summary: "A state name that is empty or longer than 80 characters.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let st = s.state;
        let n = st.name.chars().count();
        if n == 0 || n > 80 {
            out.push(diag(
                &RULE,
                st.pointer.clone(),
                st.name_span,
                format!("State names must be 1 to 80 characters long; this one has {n}."),
            ));
        }
    }
}
