//! Checks payload templates: every `.$` value must be a valid path or intrinsic function call.

use asl_path::check_template;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{QueryLanguage, StateKind};
use crate::tree::{escape_pointer_token, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL403",
    name: "payload_template",
    severity: Severity::Error,
    summary: "A `.$` field in `Parameters`, `ResultSelector`, `ItemSelector`, `Assign`, … whose value is not a valid path or intrinsic call (name, arguments, arity).",
    check: Some(check),
};

const TEMPLATE_FIELDS: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "ItemSelector",
    "Assign",
    "Credentials",
    "ItemReader/Parameters",
    "ResultWriter/Parameters",
];

fn check_at(ctx: &Ctx, ptr: &str, out: &mut Vec<Diagnostic>) {
    let Some(node) = ctx.node(ptr) else { return };
    if node.as_object().is_none() {
        return;
    }
    for (key_path, err) in check_template(&node.to_value()) {
        if err.message.starts_with("duplicate field") {
            // Reported by the duplicate_key rule with a precise span.
            continue;
        }
        let escaped: Vec<String> = key_path
            .split('/')
            .skip(1)
            .map(escape_pointer_token)
            .collect();
        let full = format!("{ptr}/{}", escaped.join("/"));
        let span = ctx.node(&full).map_or(node.span, |n| n.span);
        out.push(diag(
            &RULE,
            full,
            span,
            format!("Invalid payload template value: {}.", err.message),
        ));
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if s.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let st = s.state;
        for field in TEMPLATE_FIELDS {
            check_at(ctx, &format!("{}/{field}", st.pointer), out);
        }
        for c in st.catchers() {
            check_at(ctx, &push_key(&c.pointer, "Assign"), out);
        }
        if let StateKind::Choice(c) = &st.kind {
            for r in &c.choices {
                check_at(ctx, &push_key(&r.pointer, "Assign"), out);
            }
        }
    }
}
