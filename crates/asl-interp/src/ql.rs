//! JSONata mode: `{% %}` fields, `$states`, Arguments/Output/Assign and QueryEvaluationError.

use std::sync::Arc;

use serde_json::Value;

use crate::exec::{Execution, Failure, Flow};
use crate::program::State;

impl Execution {
    /// Executes a JSONata-mode state body.
    pub(crate) fn run_body_jsonata(&mut self, tid: usize, _st: &State) -> Flow {
        Flow::Fail(self.prefixed(
            tid,
            Failure::new("States.Runtime", "JSONata is not supported yet."),
        ))
    }

    /// Output/Assign and exit for a JSONata-mode state.
    pub(crate) fn finish_jsonata(
        &mut self,
        tid: usize,
        _st: &State,
        _raw: &Arc<Value>,
        _result: Option<Value>,
    ) -> Flow {
        Flow::Fail(self.prefixed(
            tid,
            Failure::new("States.Runtime", "JSONata is not supported yet."),
        ))
    }

    /// Evaluates one JSONata-mode field value (a `{% %}` string or a literal).
    pub(crate) fn eval_jsonata_field(
        &self,
        _tid: usize,
        _field: &str,
        v: &Value,
        _input: &Value,
        _result: Option<&Value>,
    ) -> Result<Value, Failure> {
        Ok(v.clone())
    }

    /// A catcher in JSONata mode.
    pub(crate) fn catcher_jsonata(
        &mut self,
        tid: usize,
        _st: &State,
        ci: usize,
        raw: &Arc<Value>,
        _err: Value,
    ) -> Result<(Arc<Value>, usize, Option<Value>), Failure> {
        let next = self.threads[tid].st().catch[ci].next;
        Ok((raw.clone(), next, None))
    }

    /// A JSONata `Condition`.
    pub(crate) fn eval_condition(
        &mut self,
        _tid: usize,
        c: &Value,
        _input: &Value,
    ) -> Result<bool, Failure> {
        Ok(c == &Value::Bool(true))
    }
}
