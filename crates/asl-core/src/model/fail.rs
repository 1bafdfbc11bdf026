//! The Fail state.

use crate::model::Spanned;
use crate::model::build::Builder;
use crate::tree::Node;

/// Fail-specific fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fail {
    /// `Error` (a constant, or a JSONata expression).
    pub error: Option<Spanned<String>>,
    /// `ErrorPath` (JSONPath path or string-returning intrinsic).
    pub error_path: Option<Spanned<String>>,
    /// `Cause`.
    pub cause: Option<Spanned<String>>,
    /// `CausePath`.
    pub cause_path: Option<Spanned<String>>,
}

pub(crate) fn build(b: &mut Builder, node: &Node, ptr: &str) -> Fail {
    Fail {
        error: b.string(node, ptr, "Error"),
        error_path: b.string(node, ptr, "ErrorPath"),
        cause: b.string(node, ptr, "Cause"),
        cause_path: b.string(node, ptr, "CausePath"),
    }
}
