//! Flags duplicate keys in any object, including keys that differ only by a `.$` suffix in JSONPath templates.

use crate::hash::FastSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::QueryLanguage;
use crate::tree::{Node, NodeKind, PointerArena, Seg, push_key};
use crate::validate::{Ctx, Rule, descend, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL005",
    name: "duplicate_key",
    severity: Severity::Error,
    summary: "An object has the same key twice (in JSONPath payload templates also `\"x\"` next to `\"x.$\"`).",
    check: Some(check),
};

/// Walks a subtree and reports duplicate keys; with `strip_dollar`, `x` and `x.$` count as the same key.
fn walk(root: &Node, base: &str, strip_dollar: bool, out: &mut Vec<Diagnostic>) {
    let mut arena = PointerArena::new(base);
    let mut todo: Vec<(&Node, usize)> = vec![(root, 0)];
    let mut seen: FastSet<&str> = FastSet::default();
    while let Some((node, id)) = todo.pop() {
        match &node.kind {
            NodeKind::Object(members) => {
                let bare = |k: &'_ str| -> usize {
                    if strip_dollar {
                        k.strip_suffix(".$").unwrap_or(k).len()
                    } else {
                        k.len()
                    }
                };
                // Small objects are compared pairwise; larger ones use a set.
                let dup_at = |i: usize| -> bool {
                    let k = &members[i].key;
                    let kb = &k[..bare(k)];
                    members[..i].iter().any(|m| &m.key[..bare(&m.key)] == kb)
                };
                let mut dups = Vec::new();
                if members.len() <= 16 {
                    dups.extend((1..members.len()).filter(|&i| dup_at(i)));
                } else {
                    seen.clear();
                    for (i, m) in members.iter().enumerate() {
                        if !seen.insert(&m.key[..bare(&m.key)]) {
                            dups.push(i);
                        }
                    }
                }
                for i in dups {
                    let m = &members[i];
                    let first = members[..i]
                        .iter()
                        .find(|p| p.key[..bare(&p.key)] == m.key[..bare(&m.key)]);
                    let msg = match first {
                        Some(p) if p.key != m.key => {
                            format!(
                                "Key \"{}\" clashes with \"{}\" (same name once \".$\" is removed).",
                                m.key, p.key
                            )
                        }
                        _ => format!("Duplicate key \"{}\".", m.key),
                    };
                    let ptr = push_key(&arena.pointer(id), &m.key);
                    out.push(diag(&RULE, ptr, m.key_span, msg));
                }
                for m in members {
                    if matches!(m.value.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
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

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(root) = &ctx.parse.tree else { return };
    walk(root, "", false, out);
    let mut clashes = Vec::new();
    for s in &ctx.states {
        if s.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let state_node = ctx.base(&s.state.pointer);
        for field in TEMPLATE_FIELDS {
            if let Some(n) = state_node.and_then(|sn| descend(sn, field)) {
                let mut found = Vec::new();
                walk(n, "", true, &mut found);
                for mut d in found {
                    d.pointer = format!("{}/{field}{}", s.state.pointer, d.pointer);
                    clashes.push(d);
                }
            }
        }
        for c in s.state.catchers() {
            let p = push_key(&c.pointer, "Assign");
            if let Some(n) = ctx.node(&p) {
                walk(n, &p, true, &mut clashes);
            }
        }
    }
    // Exact duplicates were already reported by the whole-tree walk.
    out.extend(
        clashes
            .into_iter()
            .filter(|d| d.message.starts_with("Key ")),
    );
}
