//! Checks the JSONPath syntax of path fields (`InputPath`, `ItemsPath`, `…Path`, Choice `Variable`, …).

use asl_path::Expr;
use asl_path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::choice::ChoiceRule;
use crate::model::{QueryLanguage, StateKind};
use crate::tree::{Node, NodeKind, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL401",
    name: "path_syntax",
    severity: Severity::Error,
    summary: "A path field that is not a valid JSONPath (or, for `ErrorPath`/`CausePath`, a string-returning intrinsic function).",
    check: Some(check),
};

/// Path fields that hold a plain JSONPath.
const PATH_FIELDS: &[&str] = &[
    "InputPath",
    "OutputPath",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
];

fn report(ptr: String, node: &Node, field: &str, msg: &str, out: &mut Vec<Diagnostic>) {
    out.push(diag(
        &RULE,
        ptr,
        node.span,
        format!("\"{field}\" is not a valid path: {msg}."),
    ));
}

fn check_path(obj: &Node, ptr: &str, field: &str, out: &mut Vec<Diagnostic>) {
    let Some(node) = obj.get(field) else { return };
    if let NodeKind::String(s) = &node.kind
        && let Err(e) = Path::parse(s)
    {
        report(push_key(ptr, field), node, field, &e.message, out);
    }
}

fn check_string_expr(obj: &Node, ptr: &str, field: &str, out: &mut Vec<Diagnostic>) {
    let Some(node) = obj.get(field) else { return };
    let NodeKind::String(s) = &node.kind else {
        return;
    };
    match Expr::parse(s) {
        Err(e) => report(push_key(ptr, field), node, field, &e.message, out),
        Ok(Expr::Call(call)) => {
            let returns_string =
                asl_path::intrinsic::function(&call.name).is_some_and(|f| f.returns_string);
            if !returns_string {
                report(
                    push_key(ptr, field),
                    node,
                    field,
                    &format!("{} does not return a string", call.name),
                    out,
                );
            }
        }
        Ok(Expr::Path(_)) => {}
    }
}

fn check_rule(ctx: &Ctx, rule: &ChoiceRule, out: &mut Vec<Diagnostic>) {
    if let Some(node) = ctx.node(&rule.pointer) {
        check_path(node, &rule.pointer, "Variable", out);
        for c in &rule.comparisons {
            if c.operator.ends_with("Path") {
                check_path(node, &rule.pointer, &c.operator, out);
            }
        }
    }
    for r in rule.and.iter().chain(rule.or.iter()).flatten() {
        check_rule(ctx, r, out);
    }
    if let Some(r) = &rule.not {
        check_rule(ctx, r, out);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if s.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let st = s.state;
        let Some(node) = ctx.node(&st.pointer) else {
            continue;
        };
        for field in PATH_FIELDS {
            check_path(node, &st.pointer, field, out);
        }
        match &st.kind {
            StateKind::Fail(_) => {
                check_string_expr(node, &st.pointer, "ErrorPath", out);
                check_string_expr(node, &st.pointer, "CausePath", out);
            }
            StateKind::Choice(c) => {
                for rule in &c.choices {
                    check_rule(ctx, rule, out);
                }
            }
            StateKind::Map(_) => {
                for (sub, fields) in [
                    (
                        "ItemBatcher",
                        &["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"][..],
                    ),
                    ("ItemReader/ReaderConfig", &["MaxItemsPath"][..]),
                ] {
                    let p = format!("{}/{sub}", st.pointer);
                    if let Some(n) = ctx.node(&p) {
                        for f in fields {
                            check_path(n, &p, f, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
