//! A small block-style YAML emitter for JSON values that keeps key order and writes multi-line strings as literal blocks.

use serde_json::Value;

/// Writes a value as a YAML document (block style, two-space indent, trailing newline).
pub(crate) fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(map, 0, &mut out),
        Value::Array(items) if !items.is_empty() => write_seq(items, 0, &mut out),
        other => {
            write_inline(other, 0, &mut out);
            out.push('\n');
        }
    }
    out
}

fn indent(n: usize, out: &mut String) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn write_map(map: &serde_json::Map<String, Value>, level: usize, out: &mut String) {
    for (key, value) in map {
        indent(level, out);
        out.push_str(&scalar_string(key));
        out.push(':');
        write_child(value, level, out);
    }
}

fn write_seq(items: &[Value], level: usize, out: &mut String) {
    for item in items {
        indent(level, out);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first key goes on the dash line; the rest align under it.
                let mut first = true;
                for (key, value) in map {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(level + 2, out);
                    }
                    out.push_str(&scalar_string(key));
                    out.push(':');
                    write_child(value, level + 2, out);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(inner, level + 2, out);
            }
            other => {
                out.push(' ');
                write_inline(other, level + 2, out);
                out.push('\n');
            }
        }
    }
}

/// Writes what follows `key:` — a nested block on the next lines or an inline scalar.
fn write_child(value: &Value, level: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(map, level + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(items, level + 2, out);
        }
        other => {
            out.push(' ');
            write_inline(other, level + 2, out);
            out.push('\n');
        }
    }
}

/// Writes a scalar or an empty container; multi-line strings become literal blocks indented to `level`.
fn write_inline(value: &Value, level: usize, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
        Value::String(s) => {
            if literal_ok(s) {
                let body = s.strip_suffix('\n');
                out.push_str(if body.is_some() { "|" } else { "|-" });
                for line in body.unwrap_or(s).split('\n') {
                    out.push('\n');
                    if !line.is_empty() {
                        indent(level, out);
                        out.push_str(line);
                    }
                }
            } else {
                out.push_str(&scalar_string(s));
            }
        }
    }
}

/// Whether a string can be written as a literal block scalar and read back identically.
fn literal_ok(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    body.contains('\n')
        && !body.ends_with('\n')
        && !body.starts_with([' ', '\t'])
        && !body.starts_with('\n')
        && body
            .chars()
            .all(|c| c == '\n' || (!c.is_control() && c != '\u{feff}'))
        && body.split('\n').all(|l| !l.ends_with([' ', '\t']))
}

/// A string as a plain scalar when that reads back as the same string, otherwise double-quoted.
fn scalar_string(s: &str) -> String {
    if plain_ok(s) {
        s.to_owned()
    } else {
        // JSON string escapes are all valid YAML double-quoted escapes.
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
    }
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_' || first == '/' || first == '$') {
        return false;
    }
    if s.ends_with([' ', ':']) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    if !s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '_' | '-' | '.' | '/' | ':' | '$' | '(' | ')')
    }) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | ".inf" | ".nan"
    )
}
