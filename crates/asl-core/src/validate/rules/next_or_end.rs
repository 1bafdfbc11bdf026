//! Requires `Next` or `End: true` (not both) on states that continue, and neither on Choice, Succeed and Fail.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL107",
    name: "next_or_end",
    severity: Severity::Error,
    summary: "A Pass, Task, Wait, Parallel or Map state needs exactly one of `Next` and `End: true`.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let st = s.state;
        if matches!(
            st.kind,
            StateKind::Choice(_) | StateKind::Succeed(_) | StateKind::Fail(_) | StateKind::Unknown
        ) {
            continue;
        }
        let end = st.common.end.as_ref();
        let next = st.common.next.as_ref();
        match (next, end) {
            (Some(_), Some(e)) if e.value => out.push(diag(
                &RULE,
                format!("{}/End", st.pointer),
                e.span,
                "A state cannot have both \"Next\" and \"End\": true.",
            )),
            (None, None) => out.push(diag(
                &RULE,
                st.pointer.clone(),
                st.name_span,
                format!(
                    "State \"{}\" needs either \"Next\" or \"End\": true.",
                    st.name
                ),
            )),
            (None, Some(e)) if !e.value => out.push(diag(
                &RULE,
                format!("{}/End", st.pointer),
                e.span,
                "\"End\" must be true when there is no \"Next\".",
            )),
            _ => {}
        }
    }
}
