//! YAML documents: reading through `asl-core`'s YAML reader, and a block-style writer used
//! when a visual edit has to re-emit a YAML definition.

use serde_json::Value;

use crate::syntax::{Member, Node, NodeKind, SyntaxError};
use crate::text::Span;

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
fn string(s: &str) -> String {
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
