//! YAML documents: reading through `asl-core`'s YAML reader, and a block-style writer used
//! when a visual edit has to re-emit a YAML definition.

use serde_json::Value;

use crate::edit::render_compact;
use crate::syntax::{Member, Node, NodeKind, SyntaxError};
use crate::text::{Span, TextEdit, apply_edits, line_start};

/// Reads YAML text into the designer's spanned tree; fails on the first syntax error.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let parse = asl_core::parse(text, asl_core::Format::Yaml);
    let syntax_error = parse
        .diagnostics
        .iter()
        .find(|d| d.code.starts_with("ASL00"));
    if let Some(d) = syntax_error {
        return Err(SyntaxError {
            message: d.message.clone(),
            offset: d.span.start,
        });
    }
    match &parse.tree {
        Some(tree) => Ok(from_core(tree)),
        None => Err(SyntaxError {
            message: "The document is empty.".to_owned(),
            offset: 0,
        }),
    }
}

/// Converts an `asl-core` tree into the designer's tree.
pub fn from_core(node: &asl_core::Node) -> Node {
    let span = Span::new(node.span.start, node.span.end);
    let kind = match &node.kind {
        asl_core::NodeKind::Null => NodeKind::Scalar(Value::Null),
        asl_core::NodeKind::Bool(b) => NodeKind::Scalar(Value::Bool(*b)),
        asl_core::NodeKind::Number(n) => NodeKind::Scalar(Value::Number(n.clone())),
        asl_core::NodeKind::String(s) => NodeKind::Scalar(Value::String(s.clone())),
        asl_core::NodeKind::Array(items) => NodeKind::Array(items.iter().map(from_core).collect()),
        asl_core::NodeKind::Object(members) => NodeKind::Object(
            members
                .iter()
                .map(|m| Member {
                    key: m.key.clone(),
                    key_span: Span::new(m.key_span.start, m.key_span.end),
                    value: from_core(&m.value),
                })
                .collect(),
        ),
    };
    Node { kind, span }
}

/// Computes the edits that turn a YAML text (read as `tree`) into `new`, replacing only what
/// changed: scalars and keys in place, changed collections re-emitted at their indentation.
/// The edits are in application order (last position first). Returns `None` when the result
/// does not read back as `new`; the caller then re-emits the whole document.
pub fn minimal_edits(text: &str, tree: &Node, new: &Value) -> Option<Vec<TextEdit>> {
    let mut edits = Vec::new();
    diff_node(text, tree, new, &mut edits)?;
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let result = apply_edits(text, &edits);
    let check = parse(&result).ok()?;
    (check.to_value() == *new).then_some(edits)
}

/// Where a value's own text ends: block collections' spans run on to the next key, so this
/// stops at the end of their last scalar.
fn content_end(text: &str, node: &Node) -> usize {
    if is_flow(text, node) {
        return node.span.end;
    }
    match &node.kind {
        NodeKind::Object(m) if !m.is_empty() => content_end(text, &m[m.len() - 1].value),
        NodeKind::Array(a) if !a.is_empty() => content_end(text, &a[a.len() - 1]),
        _ => node.span.end,
    }
}

/// Returns the end of the line holding `offset` (before its newline).
fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

/// Writes one `key: value` member whose continuation lines start with `indent`.
fn member_text(key: &str, value: &Value, indent: &str) -> String {
    let mut one = serde_json::Map::new();
    one.insert(key.to_owned(), value.clone());
    emit(&Value::Object(one))
        .trim_end_matches('\n')
        .replace('\n', &format!("\n{indent}"))
}

fn is_flow(text: &str, node: &Node) -> bool {
    text.get(node.span.start..)
        .is_some_and(|t| t.starts_with(['{', '[']))
}

fn diff_node(text: &str, node: &Node, new: &Value, edits: &mut Vec<TextEdit>) -> Option<()> {
    if node.to_value() == *new {
        return Some(());
    }
    match (&node.kind, new) {
        (NodeKind::Object(members), Value::Object(map)) if members.len() == map.len() => {
            if members.iter().all(|m| map.contains_key(&m.key))
                && members.iter().zip(map.keys()).all(|(m, k)| m.key == *k)
            {
                for (m, v) in members.iter().zip(map.values()) {
                    diff_node(text, &m.value, v, edits)?;
                }
                return Some(());
            }
            if members.iter().all(|m| map.contains_key(&m.key)) {
                return replace(text, node, new, edits);
            }
            // Same length, different keys: renamed in place.
            for (m, (k, v)) in members.iter().zip(map) {
                if m.key != *k {
                    edits.push(TextEdit::new(m.key_span, string(k)));
                }
                diff_node(text, &m.value, v, edits)?;
            }
            Some(())
        }
        (NodeKind::Object(members), Value::Object(map))
            if !members.is_empty() && !is_flow(text, node) =>
        {
            diff_members(text, node, members, map, edits)
        }
        (NodeKind::Array(items), Value::Array(new_items)) if items.len() == new_items.len() => {
            for (n, v) in items.iter().zip(new_items) {
                diff_node(text, n, v, edits)?;
            }
            Some(())
        }
        (NodeKind::Scalar(_), v) if !v.is_object() && !v.is_array() => {
            edits.push(TextEdit::new(node.span, scalar(v)));
            Some(())
        }
        (NodeKind::Object(_) | NodeKind::Array(_), _) => replace(text, node, new, edits),
        _ => None,
    }
}

/// Members were added or removed (kept ones in the same order): edit member by member.
fn diff_members(
    text: &str,
    node: &Node,
    members: &[Member],
    map: &serde_json::Map<String, Value>,
    edits: &mut Vec<TextEdit>,
) -> Option<()> {
    let kept_old: Vec<&str> = members
        .iter()
        .map(|m| m.key.as_str())
        .filter(|k| map.contains_key(*k))
        .collect();
    let kept_new: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| members.iter().any(|m| m.key == *k))
        .collect();
    if kept_old != kept_new || kept_old.is_empty() {
        return replace(text, node, &Value::Object(map.clone()), edits);
    }
    let indent =
        " ".repeat(members[0].key_span.start - line_start(text, members[0].key_span.start));
    if indent.len()
        != members[0].key_span.start - node.span.start
            + (node.span.start - line_start(text, node.span.start))
    {
        // The first key is not at the start of its line's indentation (e.g. after "- ").
        return replace(text, node, &Value::Object(map.clone()), edits);
    }
    // Removed members.
    for (i, m) in members.iter().enumerate() {
        if map.contains_key(&m.key) {
            continue;
        }
        let range = match members.get(i + 1) {
            Some(next) => Span::new(
                line_start(text, m.key_span.start),
                line_start(text, next.key_span.start),
            ),
            None => Span::new(
                content_end(text, &members[i - 1].value),
                content_end(text, &m.value),
            ),
        };
        edits.push(TextEdit::new(range, ""));
    }
    // Kept and added members, in the new order.
    let mut prev: Option<&Member> = None;
    let mut pending = String::new();
    let flush = |pending: &mut String, prev: Option<&Member>, edits: &mut Vec<TextEdit>| {
        if pending.is_empty() {
            return;
        }
        match prev {
            Some(p) => {
                let at = line_end(text, content_end(text, &p.value));
                edits.push(TextEdit::new(Span::new(at, at), std::mem::take(pending)));
            }
            None => {
                let at = line_start(text, members[0].key_span.start);
                let block = std::mem::take(pending);
                let block = block.trim_start_matches('\n');
                edits.push(TextEdit::new(
                    Span::new(at, at),
                    format!("{indent}{block}\n"),
                ));
            }
        }
    };
    for (k, v) in map {
        match members.iter().find(|m| m.key == *k) {
            Some(m) => {
                flush(&mut pending, prev, edits);
                diff_node(text, &m.value, v, edits)?;
                prev = Some(m);
            }
            None => {
                pending.push('\n');
                pending.push_str(&indent);
                pending.push_str(&member_text(k, v, &indent));
            }
        }
    }
    flush(&mut pending, prev, edits);
    Some(())
}

/// Replaces a whole collection: flow style stays on one line, block style is re-emitted at
/// its indentation.
fn replace(text: &str, node: &Node, new: &Value, edits: &mut Vec<TextEdit>) -> Option<()> {
    let span = Span::new(
        node.span.start,
        content_end(text, node).max(node.span.start),
    );
    let insert = if is_flow(text, node) || !(new.is_object() || new.is_array()) {
        render_compact(new)
    } else {
        let indent = " ".repeat(span.start - line_start(text, span.start));
        emit(new)
            .trim_end_matches('\n')
            .replace('\n', &format!("\n{indent}"))
    };
    edits.push(TextEdit::new(span, insert));
    Some(())
}

/// Writes a value as block-style YAML with two-space indentation.
pub fn emit(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => emit_object(map, 0, &mut out),
        Value::Array(items) if !items.is_empty() => emit_array(items, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn emit_object(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (k, v) in map {
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(k));
        out.push(':');
        emit_child(v, indent, out);
    }
}

fn emit_array(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => {
                let mut inner = String::new();
                emit_object(map, indent + 2, &mut inner);
                out.push_str(inner.trim_start_matches(' '));
            }
            Value::Array(sub) if !sub.is_empty() => {
                let mut inner = String::new();
                emit_array(sub, indent + 2, &mut inner);
                out.push_str(inner.trim_start_matches(' '));
            }
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn emit_child(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            emit_object(map, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            emit_array(items, indent + 2, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// Writes a string plain when YAML reads it back as the same string, quoted otherwise.
pub(crate) fn string(s: &str) -> String {
    let reserved = matches!(
        s.to_ascii_lowercase().as_str(),
        "true"
            | "false"
            | "null"
            | "~"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".inf"
            | "-.inf"
            | ".nan"
    );
    let numeric = s.parse::<f64>().is_ok() || s.starts_with("0x") || s.starts_with("0o");
    let bad_start = s
        .chars()
        .next()
        .is_none_or(|c| "-?:,[]{}#&*!|>'\"%@` ".contains(c));
    let bad_inner = s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.ends_with(' ')
        || s.chars().any(|c| c.is_control());
    if reserved || numeric || bad_start || bad_inner {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
    } else {
        s.to_owned()
    }
}
