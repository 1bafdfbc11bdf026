//! Checks payload templates: every `.$` value must be a valid path or intrinsic function call.

use crate::hash::FastMap;

use asl_path::Expr;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{QueryLanguage, StateKind};
use crate::tree::{Node, NodeKind, PointerArena, Seg, push_key};
use crate::validate::{Ctx, Rule, descend, diag};

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

/// Walks one template and reports invalid `.$` values.
pub(crate) fn check_template_node<'n>(
    root: &'n Node,
    base: &str,
    cache: &mut FastMap<&'n str, Option<String>>,
    out: &mut Vec<Diagnostic>,
) {
    let mut arena = PointerArena::new(base);
    let mut todo: Vec<(&Node, usize)> = vec![(root, 0)];
    while let Some((node, id)) = todo.pop() {
        match &node.kind {
            NodeKind::Object(members) => {
                for m in members {
                    if m.key.ends_with(".$") {
                        let problem = match &m.value.kind {
                            NodeKind::String(s) => cache
                                .entry(s.as_str())
                                .or_insert_with(|| Expr::parse(s).err().map(|e| e.message))
                                .clone(),
                            _ => Some(format!(
                                "the value of a field ending in \".$\" must be a string, found {}",
                                m.value.type_name()
                            )),
                        };
                        if let Some(msg) = problem {
                            let ptr = push_key(&arena.pointer(id), &m.key);
                            out.push(diag(
                                &RULE,
                                ptr,
                                m.value.span,
                                format!("Invalid payload template value: {msg}."),
                            ));
                        }
                    } else if matches!(m.value.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
                        let child = arena.push(id, Seg::Key(&m.key));
                        todo.push((&m.value, child));
                    }
                }
            }
            NodeKind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if matches!(item.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
                        let child = arena.push(id, Seg::Index(i));
                        todo.push((item, child));
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_at<'n>(
    ctx: &Ctx<'n>,
    ptr: &str,
    cache: &mut FastMap<&'n str, Option<String>>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(node) = ctx.node(ptr) {
        check_template_node(node, ptr, cache, out);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // Machines repeat the same paths many times; parse each distinct text once.
    let mut cache = FastMap::default();
    for s in &ctx.states {
        if s.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let st = s.state;
        let state_node = ctx.base(&st.pointer);
        for field in TEMPLATE_FIELDS {
            if let Some(n) = state_node.and_then(|sn| descend(sn, field)) {
                let mut found = Vec::new();
                check_template_node(n, "", &mut cache, &mut found);
                for mut d in found {
                    d.pointer = format!("{}/{field}{}", st.pointer, d.pointer);
                    out.push(d);
                }
            }
        }
        for c in st.catchers() {
            check_at(ctx, &push_key(&c.pointer, "Assign"), &mut cache, out);
        }
        if let StateKind::Choice(c) = &st.kind {
            for r in &c.choices {
                check_at(ctx, &push_key(&r.pointer, "Assign"), &mut cache, out);
            }
        }
    }
}
