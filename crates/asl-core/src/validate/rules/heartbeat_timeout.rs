//! Requires a Task's `HeartbeatSeconds` to be smaller than its `TimeoutSeconds`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL109",
    name: "heartbeat_timeout",
    severity: Severity::Error,
    summary: "`HeartbeatSeconds` must be smaller than `TimeoutSeconds`.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let StateKind::Task(t) = &s.state.kind else {
            continue;
        };
        let (Some(hb), Some(to)) = (&t.heartbeat_seconds, &t.timeout_seconds) else {
            continue;
        };
        if let (Some(h), Some(o)) = (hb.value.number(), to.value.number())
            && h >= o
        {
            out.push(diag(
                &RULE,
                push_key(&s.state.pointer, "HeartbeatSeconds"),
                hb.span,
                format!(
                    "\"HeartbeatSeconds\" ({h}) must be smaller than \"TimeoutSeconds\" ({o})."
                ),
            ));
        }
    }
}
