//! Diagnostics: what the parser and the validator report.

use crate::text::Span;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The definition would be rejected by AWS or cannot run.
    Error,
    /// The definition is accepted but probably wrong.
    Warning,
}

impl Severity {
    /// Returns the lower-case name used in text reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding, located by a JSON Pointer and a byte span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable code such as `ASL201`.
    pub code: &'static str,
    /// How serious the finding is.
    pub severity: Severity,
    /// A plain-words explanation.
    pub message: String,
    /// A JSON Pointer to the offending value, e.g. `/States/Check/Next`.
    pub pointer: String,
    /// Where the offending token is in the text.
    pub span: Span,
}

/// Sorts diagnostics by position, then by code and message, and removes exact duplicates.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    diags.dedup();
}
