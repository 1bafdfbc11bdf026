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

/// One diagnostic as JSON: `{code, severity, message, pointer, line, column, span: {start, end}}`.
///
/// `line` and `column` are 1-based (the column counts characters) and point at the start of the
/// span; `span` holds byte offsets into the text. This is the one diagnostic shape of every JSON
/// the project prints: `asl validate --format json` ([`to_json`]) and the `validate` exports of
/// the embed and wasm libraries ([`validation_json`]).
pub fn diagnostic_json(index: &LineIndex, d: &Diagnostic) -> Value {
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
}

fn diagnostics_json(text: &str, diags: &[Diagnostic]) -> Vec<Value> {
    let index = LineIndex::new(text);
    diags.iter().map(|d| diagnostic_json(&index, d)).collect()
}

/// Renders one file's diagnostics as `{"file", "diagnostics": [...]}` (see [`diagnostic_json`]).
pub fn to_json(file: &str, text: &str, diags: &[Diagnostic]) -> Value {
    json!({"file": file, "diagnostics": diagnostics_json(text, diags)})
}

/// Parses and validates a definition (JSON or YAML, detected) and describes the result as
/// `{"format": "json"|"yaml", "valid", "states", "diagnostics": [...]}` (see
/// [`diagnostic_json`]); `valid` is true when no diagnostic is an error and `states` counts
/// the top-level states.
pub fn validation_json(text: &str) -> Value {
    let format = crate::detect_format(text);
    let (parse, diags) = crate::check(text, format);
    json!({
        "format": match format {
            crate::Format::Json => "json",
            crate::Format::Yaml => "yaml",
        },
        "valid": !diags.iter().any(|d| d.severity == Severity::Error),
        "states": parse.machine.states().len(),
        "diagnostics": diagnostics_json(text, &diags),
    })
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
