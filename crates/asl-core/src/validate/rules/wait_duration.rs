//! Requires exactly one of `Seconds`, `SecondsPath`, `Timestamp` and `TimestampPath` in a Wait state.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL106",
    name: "wait_duration",
    severity: Severity::Error,
    summary: "A Wait state must have exactly one of `Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath`.",
    check: Some(check),
};

const FIELDS: [&str; 4] = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let StateKind::Wait(_) = s.state.kind else {
            continue;
        };
        let Some(node) = ctx.node(&s.state.pointer) else {
            continue;
        };
        let present: Vec<_> = FIELDS.iter().filter_map(|f| node.member(f)).collect();
        if present.is_empty() {
            out.push(diag(
                &RULE,
                s.state.pointer.clone(),
                s.state.name_span,
                "A Wait state needs exactly one of \"Seconds\", \"SecondsPath\", \"Timestamp\" or \"TimestampPath\".",
            ));
        }
        for extra in present.iter().skip(1) {
            out.push(diag(
                &RULE,
                push_key(&s.state.pointer, &extra.key),
                extra.key_span,
                format!(
                    "A Wait state may have only one of \"Seconds\", \"SecondsPath\", \"Timestamp\" or \"TimestampPath\"; \"{}\" is already set.",
                    present[0].key
                ),
            ));
        }
    }
}
