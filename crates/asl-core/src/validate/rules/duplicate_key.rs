//! Flags duplicate keys in any object, including keys that differ only by a `.$` suffix.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::QueryLanguage;
use crate::tree::{Node, NodeKind, push_index, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL005",
    name: "duplicate_key",
    severity: Severity::Error,
    summary: "An object has the same key twice (also `\"x\"` next to `\"x.$\"`).",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(root) = &ctx.parse.tree else { return };
    let mut todo: Vec<(&Node, String)> = vec![(root, String::new())];
    while let Some((node, ptr)) = todo.pop() {
        match &node.kind {
            NodeKind::Object(members) => {
                let mut seen: HashMap<&str, &str> = HashMap::with_capacity(members.len());
                for m in members {
                    let base = m.key.as_str();
                    if seen.contains_key(base) {
                        let msg = format!("Duplicate key \"{}\".", m.key);
                        out.push(diag(&RULE, push_key(&ptr, &m.key), m.key_span, msg));
                    } else {
                        seen.insert(base, &m.key);
                    }
                    if matches!(m.value.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
                        todo.push((&m.value, push_key(&ptr, &m.key)));
                    }
                }
            }
            NodeKind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if matches!(item.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
                        todo.push((item, push_index(&ptr, i)));
                    }
                }
            }
            _ => {}
        }
    }
    check_templates(ctx, out);
}

/// The payload-template fields of a JSONPath state, where `x.$` and `x` name the same key.
const TEMPLATE_FIELDS: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "ItemSelector",
    "Assign",
    "Credentials",
    "ItemReader/Parameters",
    "ResultWriter/Parameters",
];

fn check_templates(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if s.query_language != QueryLanguage::JsonPath {
            continue;
        }
        for field in TEMPLATE_FIELDS {
            let p = format!("{}/{field}", s.state.pointer);
            if let Some(n) = ctx.node(&p) {
                check_dollar_clash(n, p, out);
            }
        }
        for c in s.state.catchers() {
            let p = push_key(&c.pointer, "Assign");
            if let Some(n) = ctx.node(&p) {
                check_dollar_clash(n, p, out);
            }
        }
    }
}

fn check_dollar_clash(root: &Node, ptr: String, out: &mut Vec<Diagnostic>) {
    let mut todo: Vec<(&Node, String)> = vec![(root, ptr)];
    while let Some((node, ptr)) = todo.pop() {
        match &node.kind {
            NodeKind::Object(members) => {
                let mut seen: HashMap<&str, &str> = HashMap::with_capacity(members.len());
                for m in members {
                    let base = m.key.strip_suffix(".$").unwrap_or(&m.key);
                    match seen.get(base) {
                        Some(prev) if *prev != m.key => out.push(diag(
                            &RULE,
                            push_key(&ptr, &m.key),
                            m.key_span,
                            format!("Key \"{}\" clashes with \"{prev}\" (same name once \".$\" is removed).", m.key),
                        )),
                        Some(_) => {}
                        None => {
                            seen.insert(base, &m.key);
                        }
                    }
                    todo.push((&m.value, push_key(&ptr, &m.key)));
                }
            }
            NodeKind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    todo.push((item, push_index(&ptr, i)));
                }
            }
            _ => {}
        }
    }
}
