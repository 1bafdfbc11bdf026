//! Warns about `States.*` error names that Step Functions never raises: in `ErrorEquals` (usually
//! typos) and as a Fail state's constant `Error` (the `States.` prefix is reserved for AWS).

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL302",
    name: "unknown_error_name",
    severity: Severity::Warning,
    summary: "An `ErrorEquals` entry or a Fail state's `Error` starting with `States.` that is not a predefined error name.",
    check: Some(check),
};

/// The predefined error names (`States.Http.StatusCode.<nnn>` is matched separately).
pub const PREDEFINED_ERRORS: &[&str] = &[
    "States.ALL",
    "States.HeartbeatTimeout",
    "States.Timeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.QueryEvaluationError",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.Http.Socket",
];

fn is_known(name: &str) -> bool {
    PREDEFINED_ERRORS.contains(&name)
        || name
            .strip_prefix("States.Http.StatusCode.")
            .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if let crate::StateKind::Fail(fail) = &s.state.kind
            && let Some(e) = &fail.error
            && e.value.starts_with("States.")
            && !e.value.starts_with("{%")
            && !is_known(&e.value)
        {
            out.push(diag(
                &RULE,
                format!("{}/Error", s.state.pointer),
                e.span,
                format!("\"{}\" is not a predefined error name; names starting with \"States.\" are reserved for errors raised by Step Functions.", e.value),
            ));
        }
        let lists = s
            .state
            .retriers()
            .iter()
            .map(|r| (&r.pointer, &r.error_equals))
            .chain(
                s.state
                    .catchers()
                    .iter()
                    .map(|c| (&c.pointer, &c.error_equals)),
            );
        for (ptr, errors) in lists {
            for (j, e) in errors.iter().enumerate() {
                if e.value.starts_with("States.") && !is_known(&e.value) {
                    out.push(diag(
                        &RULE,
                        format!("{ptr}/ErrorEquals/{j}"),
                        e.span,
                        format!("\"{}\" is not a predefined error name; names starting with \"States.\" are reserved.", e.value),
                    ));
                }
            }
        }
    }
}
