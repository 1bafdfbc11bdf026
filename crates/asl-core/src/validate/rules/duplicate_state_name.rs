//! Requires state names to be unique across the whole machine, nested blocks included.

use crate::hash::FastMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL205",
    name: "duplicate_state_name",
    severity: Severity::Error,
    summary: "Two states have the same name (names must be unique in the whole machine, nested states included).",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut first: FastMap<&str, &str> = FastMap::default();
    for s in &ctx.states {
        let st = s.state;
        if let Some(prev) = first.get(st.name.as_str()) {
            out.push(diag(
                &RULE,
                st.pointer.clone(),
                st.name_span,
                format!("State name \"{}\" is already used at {prev}.", st.name),
            ));
        } else {
            first.insert(&st.name, &st.pointer);
        }
    }
}
