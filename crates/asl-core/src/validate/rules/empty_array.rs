//! Flags `States`, `Choices`, `Branches` and `ErrorEquals` that are empty.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::{Node, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL110",
    name: "empty_array",
    severity: Severity::Error,
    summary: "`States`, `Choices`, `Branches` and `ErrorEquals` must not be empty.",
    check: Some(check),
};

fn is_empty(n: &Node) -> bool {
    n.as_array().is_some_and(<[Node]>::is_empty) || n.as_object().is_some_and(<[_]>::is_empty)
}

fn check_field(ctx: &Ctx, base: &str, key: &str, out: &mut Vec<Diagnostic>) {
    let p = push_key(base, key);
    if let Some(n) = ctx.node(&p)
        && is_empty(n)
    {
        out.push(diag(
            &RULE,
            p,
            n.span,
            format!("\"{key}\" must not be empty."),
        ));
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for m in &ctx.machines {
        check_field(ctx, &m.pointer, "States", out);
    }
    for s in &ctx.states {
        let st = s.state;
        match st.kind {
            StateKind::Choice(_) => check_field(ctx, &st.pointer, "Choices", out),
            StateKind::Parallel(_) => check_field(ctx, &st.pointer, "Branches", out),
            _ => {}
        }
        for r in st.retriers() {
            check_field(ctx, &r.pointer, "ErrorEquals", out);
        }
        for c in st.catchers() {
            check_field(ctx, &c.pointer, "ErrorEquals", out);
        }
    }
}
