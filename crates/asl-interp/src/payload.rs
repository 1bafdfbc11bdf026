//! JSONPath-mode payload processing: InputPath/OutputPath, templates, ResultPath and sizes.

use std::io::Write;
use std::sync::Arc;

use serde_json::Value;

use crate::exec::Failure;
use crate::program::{PathField, ResultPathField};

/// Counts bytes written, without storing them.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of a value's compact JSON text in bytes.
pub(crate) fn size_of(v: &Value) -> usize {
    let mut c = Counter(0);
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

/// Converts an asl-path evaluation error into a failure (without the state prefix).
pub(crate) fn eval_failure(e: asl_path::EvalError) -> Failure {
    Failure {
        error: e.error,
        cause: Some(e.cause),
    }
}

/// Applies InputPath or OutputPath.
pub(crate) fn select(
    field: &PathField,
    input: &Arc<Value>,
    ctx: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
) -> Result<Arc<Value>, Failure> {
    match field {
        PathField::Dollar => Ok(input.clone()),
        PathField::Null => Ok(Arc::new(Value::Object(Default::default()))),
        PathField::Path(p) => p.eval(input, ctx, vars).map(Arc::new).map_err(eval_failure),
    }
}

/// Applies ResultPath: combines the raw state input with the result.
pub(crate) fn apply_result_path(
    field: &ResultPathField,
    raw_input: &Arc<Value>,
    result: Value,
) -> Result<Arc<Value>, Failure> {
    match field {
        ResultPathField::Dollar => Ok(Arc::new(result)),
        ResultPathField::Null => Ok(raw_input.clone()),
        ResultPathField::Path(p) => {
            let mut target: Value = (**raw_input).clone();
            p.set(&mut target, result).map_err(eval_failure)?;
            Ok(Arc::new(target))
        }
    }
}

/// Evaluates a compiled payload template.
pub(crate) fn template(
    tpl: &asl_path::Template,
    input: &Value,
    ctx: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn asl_path::intrinsic::Env,
) -> Result<Value, Failure> {
    tpl.eval(input, ctx, vars, env).map_err(eval_failure)
}

/// Compiles and evaluates a payload template given as JSON (for rarely used fields).
pub(crate) fn template_value(
    tpl: &Value,
    input: &Value,
    ctx: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn asl_path::intrinsic::Env,
) -> Result<Value, Failure> {
    asl_path::Template::compile(tpl)
        .eval(input, ctx, vars, env)
        .map_err(eval_failure)
}

/// Whether a value's JSON text is longer than `limit` bytes (no allocation; exact only near the limit).
pub(crate) fn exceeds(v: &Value, limit: usize) -> bool {
    // A lower bound of the size: numbers count one byte, strings have no escapes.
    fn walk(v: &Value, budget: &mut isize) -> bool {
        match v {
            Value::Null => *budget -= 4,
            Value::Bool(_) => *budget -= 4,
            Value::Number(_) => *budget -= 1,
            Value::String(s) => *budget -= s.len() as isize + 2,
            Value::Array(a) => {
                *budget -= 1 + a.len() as isize;
                for x in a {
                    if walk(x, budget) {
                        return true;
                    }
                }
            }
            Value::Object(m) => {
                *budget -= 1 + m.len() as isize * 2;
                for (k, x) in m {
                    *budget -= k.len() as isize + 2;
                    if walk(x, budget) {
                        return true;
                    }
                }
            }
        }
        *budget < 0
    }
    // Under three quarters of the limit by the lower bound: assume it fits (numbers and
    // escapes would have to triple the size); past that, measure exactly.
    let mut budget = (limit / 4 * 3) as isize;
    if !walk(v, &mut budget) {
        return false;
    }
    size_of(v) > limit
}
