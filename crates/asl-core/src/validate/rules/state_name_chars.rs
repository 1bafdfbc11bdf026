//! Warns about state names with characters that AWS forbids in its other names (AWS itself accepts them in state names).

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL207",
    name: "state_name_chars",
    severity: Severity::Warning,
    summary: "A state name with control characters or characters such as `< > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /`.",
    check: Some(check),
};

const FORBIDDEN: &[char] = &[
    '<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',',
    ';', ':', '/',
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let st = s.state;
        if let Some(c) = st
            .name
            .chars()
            .find(|c| FORBIDDEN.contains(c) || c.is_control())
        {
            out.push(diag(
                &RULE,
                st.pointer.clone(),
                st.name_span,
                format!(
                    "State name \"{}\" contains the character {:?}; Step Functions forbids it in other names (state machines, executions, activities), and tools that put state names in URLs or ARNs may break.",
                    st.name, c
                ),
            ));
        }
    }
}
