//! Warns about state names with invisible characters. Step Functions accepts any printable
//! character in a state name (the Workflow Studio tutorial itself uses "Credit applied >= 5000?"),
//! so punctuation is fine; control, zero-width and bidirectional-override characters are not
//! visible in the console or the graph and make two different names look the same.

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL207",
    name: "state_name_chars",
    severity: Severity::Warning,
    summary: "A state name with invisible characters: control, zero-width or bidirectional-override characters (punctuation such as `>= ? : / '` is accepted by Step Functions).",
    check: Some(check),
};

/// Characters that draw nothing (or reorder text) but make a name differ.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let st = s.state;
        if let Some(c) = st.name.chars().find(|c| invisible(*c)) {
            out.push(diag(
                &RULE,
                st.pointer.clone(),
                st.name_span,
                format!(
                    "State name {:?} contains the invisible character U+{:04X}; it does not show in the console or the graph, so the name looks like another one.",
                    st.name, c as u32
                ),
            ));
        }
    }
}
