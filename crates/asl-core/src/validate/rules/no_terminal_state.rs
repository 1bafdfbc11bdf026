//! Requires every `States` block to contain a terminal state (`End: true`, Succeed or Fail).

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL203",
    name: "no_terminal_state",
    severity: Severity::Error,
    summary: "A `States` block without any terminal state (`End: true`, Succeed or Fail).",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for m in &ctx.machines {
        if m.states.is_empty() || m.states.iter().any(|s| s.is_terminal()) {
            continue;
        }
        let span = m.states_span.unwrap_or(m.span);
        out.push(diag(
            &RULE,
            format!("{}/States", m.pointer),
            crate::text::Span::new(span.start, (span.start + 1).min(span.end)),
            "No terminal state: at least one state needs \"End\": true or must be a Succeed or Fail state.",
        ));
    }
}
