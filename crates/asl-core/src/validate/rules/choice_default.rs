//! Warns about Choice states without `Default` (no match fails with `States.NoChoiceMatched`).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL601",
    name: "choice_default",
    severity: Severity::Warning,
    summary: "A Choice state without `Default`: when no rule matches, the execution fails with `States.NoChoiceMatched`.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if let StateKind::Choice(c) = &s.state.kind
            && c.default.is_none()
        {
            out.push(diag(
                    &RULE,
                    s.state.pointer.clone(),
                    s.state.name_span,
                    format!(
                        "Choice state \"{}\" has no \"Default\"; if no rule matches, the execution fails with States.NoChoiceMatched.",
                        s.state.name
                    ),
                ));
        }
    }
}
