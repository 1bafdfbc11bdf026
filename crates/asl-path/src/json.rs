//! JSON helpers that mimic how AWS (Java) prints and compares values.

use serde_json::{Map, Number, Value};

/// Objects up to this many keys are searched by comparing keys rather than hashing the name:
/// serde_json's map hashes with SipHash, which costs more than a handful of short compares.
const SCAN_AT_MOST: usize = 8;

/// `m.get(name)`, by a scan for small objects (same answer: keys are unique).
pub fn field<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if m.len() <= SCAN_AT_MOST {
        m.iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v)
    } else {
        m.get(name)
    }
}

/// Compact JSON text of a value, keys in their original order.
pub fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The JSON type name used in messages: `object`, `array`, `string`, `number`, `boolean`, `null`.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Java's `equals` on the values Jackson produces: an integer never equals a decimal
/// (`1` vs `1.0`), objects compare without regard to key order.
pub fn java_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x.is_f64() != y.is_f64() {
                return false;
            }
            match (x.as_i64(), y.as_i64()) {
                (Some(p), Some(q)) => p == q,
                _ => x.as_f64() == y.as_f64() && x.as_u64() == y.as_u64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| java_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| java_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A text that is equal for two values exactly when [`java_eq`] holds (keys sorted).
pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&compact(&Value::String(k.clone())));
                out.push(':');
                write_canonical(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        Value::Number(n) if n.is_f64() => {
            out.push('d');
            out.push_str(&n.to_string());
        }
        other => out.push_str(&compact(other)),
    }
}

/// Turns a parsed `-0` into `0`, as Jackson's integer parsing does.
pub fn normalize_negative_zero(v: Value) -> Value {
    match v {
        Value::Number(n) if n.as_i64() == Some(0) => Value::from(0),
        other => other,
    }
}

/// Appends Java's `String.valueOf` of the value Jackson would produce: strings without
/// quotes, decimals like `Double.toString` (`1.0`, `1.0E7`), lists as `[a, b]` and maps as
/// `{k=v, k2=v2}`. This is how `States.Format` prints its arguments.
pub fn java_to_string(v: &Value, out: &mut String) {
    // An explicit stack keeps deeply nested values from overflowing the call stack.
    enum Item<'a> {
        Value(&'a Value),
        Text(&'static str),
        Key(&'a str),
    }
    let mut stack = vec![Item::Value(v)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Text(t) => out.push_str(t),
            Item::Key(k) => {
                out.push_str(k);
                out.push('=');
            }
            Item::Value(v) => match v {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => out.push_str(&java_number(n)),
                Value::String(s) => out.push_str(s),
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Item::Text("]"));
                    for (i, x) in items.iter().enumerate().rev() {
                        stack.push(Item::Value(x));
                        if i > 0 {
                            stack.push(Item::Text(", "));
                        }
                    }
                }
                Value::Object(m) => {
                    out.push('{');
                    stack.push(Item::Text("}"));
                    for (i, (k, x)) in m.iter().enumerate().rev() {
                        stack.push(Item::Value(x));
                        stack.push(Item::Key(k));
                        if i > 0 {
                            stack.push(Item::Text(", "));
                        }
                    }
                }
            },
        }
    }
}

/// A number as Java prints it: integers as digits, decimals like `Double.toString`.
pub fn java_number(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() => java_double(f),
        _ => n.to_string(),
    }
}

/// Java's `Double.toString`: plain notation for 1e-3 <= |d| < 1e7, otherwise computerised
/// scientific notation (`1.0E7`, `1.5E-4`); always at least one digit after the point.
pub fn java_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if d == 0.0 {
        return if d.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let a = d.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{d}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        let s = format!("{d:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exp}")
    }
}

/// Compact JSON as Jackson writes it: like [`compact`], but decimals use Java's
/// `Double.toString` (`1.0E7` rather than `10000000.0`). Used by `States.JsonToString`.
pub fn java_json(v: &Value) -> String {
    enum Item<'a> {
        Value(&'a Value),
        Text(&'static str),
        Key(&'a str),
    }
    let mut out = String::new();
    let mut stack = vec![Item::Value(v)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Text(t) => out.push_str(t),
            Item::Key(k) => {
                out.push_str(&compact(&Value::String(k.to_string())));
                out.push(':');
            }
            Item::Value(v) => match v {
                Value::Number(n) => out.push_str(&java_number(n)),
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Item::Text("]"));
                    for (i, x) in items.iter().enumerate().rev() {
                        stack.push(Item::Value(x));
                        if i > 0 {
                            stack.push(Item::Text(","));
                        }
                    }
                }
                Value::Object(m) => {
                    out.push('{');
                    stack.push(Item::Text("}"));
                    for (i, (k, x)) in m.iter().enumerate().rev() {
                        stack.push(Item::Value(x));
                        stack.push(Item::Key(k));
                        if i > 0 {
                            stack.push(Item::Text(","));
                        }
                    }
                }
                other => out.push_str(&compact(other)),
            },
        }
    }
    out
}
