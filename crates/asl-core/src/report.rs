//! Renders diagnostics as compiler-style text, as JSON, or in the shape of AWS `ValidateStateMachineDefinition`.

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Severity};
use crate::text::LineIndex;

/// Renders `file:line:col: severity[CODE]: message`, one line per diagnostic.
pub fn to_text(file: &str, text: &str, diags: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in diags {
        let lc = index.line_col(d.span.start);
        out.push_str(&format!(
            "{file}:{}:{}: {}[{}]: {}\n",
            lc.line,
            lc.col,
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}

/// Renders one file's diagnostics as `{"file", "diagnostics": [{code, severity, message, pointer, line, column, span}]}`.
pub fn to_json(file: &str, text: &str, diags: &[Diagnostic]) -> Value {
    let index = LineIndex::new(text);
    let items: Vec<Value> = diags
        .iter()
        .map(|d| {
            let lc = index.line_col(d.span.start);
            json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "pointer": d.pointer,
                "line": lc.line,
                "column": lc.col,
                "span": {"start": d.span.start, "end": d.span.end},
            })
        })
        .collect();
    json!({"file": file, "diagnostics": items})
}

/// Renders the AWS `ValidateStateMachineDefinition` response shape (at most 100 diagnostics).
pub fn to_aws(diags: &[Diagnostic]) -> Value {
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    let items: Vec<Value> = diags
        .iter()
        .take(100)
        .map(|d| {
            json!({
                "severity": match d.severity { Severity::Error => "ERROR", Severity::Warning => "WARNING" },
                "code": d.code,
                "message": d.message,
                "location": if d.pointer.is_empty() { "/".to_owned() } else { d.pointer.clone() },
            })
        })
        .collect();
    json!({
        "result": if failed { "FAIL" } else { "OK" },
        "diagnostics": items,
        "truncated": diags.len() > 100,
    })
}
