//! The Pass state.

use crate::model::build::Builder;
use crate::tree::Node;

/// Pass-specific fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pass {
    /// `Result` (JSONPath): any JSON value.
    pub result: Option<Node>,
}

pub(crate) fn build(_b: &mut Builder, node: &Node, _ptr: &str) -> Pass {
    Pass {
        result: node.get("Result").cloned(),
    }
}
