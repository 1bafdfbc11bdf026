//! Readers that turn JSON or YAML text into the spanned [`Node`](crate::tree::Node) tree.

pub(crate) mod json;
pub(crate) mod yaml;

use crate::diagnostic::{Diagnostic, Severity};
use crate::text::Span;

/// The deepest nesting of arrays and objects the readers build; deeper values become `null`.
pub const MAX_DEPTH: usize = 256;

/// Code for JSON syntax errors.
pub const SYNTAX_ERROR: &str = "ASL001";
/// Code for trailing commas.
pub const TRAILING_COMMA: &str = "ASL002";
/// Code for YAML syntax errors and unsupported YAML features.
pub const YAML_ERROR: &str = "ASL003";
/// Code for documents nested too deeply.
pub const TOO_DEEP: &str = "ASL004";

pub(crate) fn syntax_diag(
    code: &'static str,
    message: impl Into<String>,
    span: Span,
) -> Diagnostic {
    Diagnostic {
        code,
        severity: Severity::Error,
        message: message.into(),
        pointer: String::new(),
        span,
    }
}
