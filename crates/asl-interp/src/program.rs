//! Compilation of a definition (`serde_json::Value`) into the interpreter's program form.

use std::sync::Arc;

use serde_json::Value;

/// A definition that cannot be run, with a JSON pointer to the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What is wrong.
    pub message: String,
    /// A JSON pointer into the definition, e.g. `/States/A/Next`.
    pub pointer: String,
}

/// A compiled state machine; cloning is cheap (shared).
#[derive(Debug, Clone)]
pub struct Program {
    #[allow(dead_code)]
    pub(crate) definition: Arc<Value>,
}

/// Compiles a definition.
pub fn compile(definition: &Value) -> Result<Program, CompileError> {
    Ok(Program {
        definition: Arc::new(definition.clone()),
    })
}
