//! Payload templates: objects whose `.$` keys are evaluated as paths or intrinsic calls.

use serde_json::Value;

use crate::{EvalError, SyntaxError, intrinsic};

/// Evaluates a payload template (Parameters, ResultSelector, ItemSelector, ...).
pub fn eval_template(
    template: &Value,
    _input: &Value,
    _context: &Value,
    _vars: &dyn Fn(&str) -> Option<Value>,
    _env: &mut dyn intrinsic::Env,
) -> Result<Value, EvalError> {
    Ok(template.clone())
}

/// Validates a payload template statically.
pub fn check_template(_template: &Value) -> Vec<(String, SyntaxError)> {
    Vec::new()
}
