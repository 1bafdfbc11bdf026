//! Requires `States.ALL` to be alone in its `ErrorEquals` and to appear only in the last retrier or catcher.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Spanned;
use crate::text::Span;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL301",
    name: "states_all",
    severity: Severity::Error,
    summary: "`States.ALL` must be the only error name of its `ErrorEquals` and appear in the last retrier or catcher.",
    check: Some(check),
};

/// A retrier or catcher: its pointer, its error names and the span of `ErrorEquals`.
type Entry<'a> = (String, &'a [Spanned<String>], Option<Span>);

fn check_list(entries: &[Entry], what: &str, out: &mut Vec<Diagnostic>) {
    let last = entries.len().saturating_sub(1);
    for (i, (ptr, errors, _)) in entries.iter().enumerate() {
        for (j, e) in errors.iter().enumerate() {
            if e.value != "States.ALL" {
                continue;
            }
            if errors.len() > 1 {
                out.push(diag(
                    &RULE,
                    format!("{ptr}/ErrorEquals/{j}"),
                    e.span,
                    "\"States.ALL\" must be the only error name in \"ErrorEquals\".",
                ));
            } else if i != last {
                out.push(diag(
                    &RULE,
                    format!("{ptr}/ErrorEquals/{j}"),
                    e.span,
                    format!("The {what} with \"States.ALL\" must be the last one."),
                ));
            }
        }
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let retry: Vec<_> = s
            .state
            .retriers()
            .iter()
            .map(|r| {
                (
                    r.pointer.clone(),
                    r.error_equals.as_slice(),
                    r.error_equals_span,
                )
            })
            .collect();
        check_list(&retry, "retrier", out);
        let catch: Vec<_> = s
            .state
            .catchers()
            .iter()
            .map(|c| {
                (
                    c.pointer.clone(),
                    c.error_equals.as_slice(),
                    c.error_equals_span,
                )
            })
            .collect();
        check_list(&catch, "catcher", out);
    }
}
