//! A run described as JSON text, for hosts that speak JSON (the WebAssembly exports of
//! `asl-embed` and `asl-wasm`): the one reader of a run's arguments and the shapes of what
//! comes back.
//!
//! Bad arguments never panic: they become an answer `{"status": "ERROR", "error", "cause"}`
//! whose `error` is the name AWS gives the same mistake (`InvalidExecutionInput`,
//! `InvalidDefinition`, `ValidationException`).

use serde_json::{Value, json};

use crate::mock::{Mocks, Unmocked};
use crate::{Execution, Program, RunOptions, TaskAnswer, TaskHandler, TaskRequest};

/// Parses a JSON argument; empty (or blank) text is `null`. The error names the argument.
pub fn json_arg(text: &str, what: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("{what} is not valid JSON: {e}"))
}

/// The answer for a run that could not start: `{"status": "ERROR", "error", "cause"}`.
pub fn refused(error: &str, cause: impl Into<String>) -> Value {
    json!({ "status": "ERROR", "error": error, "cause": cause.into() })
}

/// Everything a run needs once its arguments are read.
pub struct RunRequest {
    /// The compiled definition.
    pub program: Program,
    /// The execution input (`{}` when none was given).
    pub input: Value,
    /// The mocked responses, with the policy for unmocked tasks.
    pub mocks: Mocks,
    /// The run options (context object, seed, machine type, payload quota).
    pub options: RunOptions,
}

impl RunRequest {
    /// Reads a run's arguments, each JSON text (empty text means "not given"):
    ///
    /// - `definition`: the definition as JSON or YAML text (read by the never-failing parser);
    /// - `input`: the execution input (`{}` when not given);
    /// - `mocks`: a `MockConfigFile` or a per-state map ([`Mocks::from_json`]);
    /// - `options`: `{"testCase", "stateMachine", "unmocked": "fail"|"echo", "context"}`, where
    ///   `context` is read by [`RunOptions::from_corpus_context`] and `unmocked` decides what a
    ///   task without a mock does (`"fail"`, the default: `Mock.NotFound`; `"echo"`: it returns
    ///   its input).
    ///
    /// The error is the answer to give back ([`refused`]).
    pub fn read(
        definition: &str,
        input: &str,
        mocks: &str,
        options: &str,
    ) -> Result<RunRequest, Value> {
        let input =
            json_arg(input, "the input").map_err(|m| refused("InvalidExecutionInput", m))?;
        let invalid = |m: String| refused("ValidationException", m);
        let mocks = json_arg(mocks, "the mocks").map_err(invalid)?;
        let options = json_arg(options, "the options").map_err(invalid)?;
        if !(options.is_null() || options.is_object()) {
            return Err(invalid("the options must be an object".into()));
        }
        let definition =
            asl_core::parse(definition, asl_core::detect_format(definition)).into_value();
        let program = crate::compile(&definition).map_err(|e| {
            refused(
                "InvalidDefinition",
                format!("the definition cannot run: {e:?}"),
            )
        })?;
        let text = |k: &str| options.get(k).and_then(Value::as_str);
        let unmocked = match text("unmocked") {
            Some("echo") => Unmocked::EchoInput,
            _ => Unmocked::Fail,
        };
        let table = Mocks::from_json(&mocks, text("stateMachine"), text("testCase"), "testCase")
            .map_err(|e| invalid(format!("the mocks are not valid: {e}")))?;
        Ok(RunRequest {
            program,
            input: if input.is_null() { json!({}) } else { input },
            mocks: table.with_unmocked(unmocked),
            options: RunOptions::from_corpus_context(
                options.get("context").unwrap_or(&Value::Null),
            ),
        })
    }

    /// Runs to completion on the virtual clock; `handler` answers tasks first and `None` falls
    /// back to the mocks. Returns [`result_json`].
    pub fn run(mut self, handler: &mut dyn FnMut(&TaskRequest) -> Option<TaskAnswer>) -> Value {
        let mut exec = Execution::start(&self.program, self.input, &self.options);
        let mocks = &mut self.mocks;
        let mut both = |req: &TaskRequest| handler(req).unwrap_or_else(|| mocks.invoke(req));
        crate::drive(&mut exec, &mut both);
        result_json(&exec)
    }
}

/// Reads the arguments (see [`RunRequest::read`]) and runs to completion with the mocks only.
pub fn run(definition: &str, input: &str, mocks: &str, options: &str) -> Value {
    match RunRequest::read(definition, input, mocks, options) {
        Ok(request) => request.run(&mut |_| None),
        Err(refusal) => refusal,
    }
}

/// The result of a finished (or stalled) execution as `{status, output, error, cause, events}`,
/// the events in the shape of `GetExecutionHistory`.
pub fn result_json(exec: &Execution) -> Value {
    let r = exec.result();
    json!({
        "status": r.status.as_aws(),
        "output": r.output,
        "error": r.error,
        "cause": r.cause,
        "events": r.events.iter().map(|e| e.to_aws_json()).collect::<Vec<_>>(),
    })
}
