//! The pure engine calls behind the JavaScript exports: text in, `serde_json::Value` out.
//!
//! Nothing here touches JavaScript, so every function is tested natively. Problems come back
//! as an `"error"` field in the returned JSON (or an `Err` with a message), never as a panic.

use asl_core::detect_format;
use asl_graph::{SvgOptions, Theme};
use asl_interp::{Effect, Execution, TaskAnswer, TaskRequest};
use serde_json::{Value, json};

use crate::overlay;

pub use asl_interp::request::{RunRequest, json_arg, result_json, run};

/// The definition as a JSON value, read from JSON or YAML text by the never-failing parser.
pub fn definition_value(text: &str) -> Value {
    asl_core::parse(text, detect_format(text)).into_value()
}

/// Reads the render options: `{"theme": "light"|"dark", "standalone": bool, "overlay": {...},
/// "history": [events], "coverage": bool}`.
///
/// `overlay` is the shape [`overlay::from_history`] returns; `history` is a list of history
/// events (or a `GetExecutionHistory` answer) turned into an overlay here. `coverage` also
/// marks edges taken or not taken. `standalone` defaults to true (the SVG carries its style).
pub fn svg_options(options: &Value) -> SvgOptions {
    let theme = match options.get("theme").and_then(Value::as_str) {
        Some("dark") => Theme::Dark,
        _ => Theme::Light,
    };
    let standalone = options
        .get("standalone")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let coverage = options
        .get("coverage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let overlay_json = match (options.get("overlay"), options.get("history")) {
        (Some(o), _) if o.is_object() => Some(o.clone()),
        (_, Some(h)) if !h.is_null() => Some(overlay::from_history(h)),
        _ => None,
    };
    SvgOptions {
        theme,
        standalone,
        overlay: overlay_json.map(|o| overlay::to_overlay(&o, coverage)),
    }
}

/// Draws a definition (JSON or YAML text) as SVG text.
pub fn render(definition: &str, options: &Value) -> String {
    asl_graph::render_svg(&definition_value(definition), &svg_options(options))
}

/// Parses and validates a definition and lists its diagnostics:
/// [`asl_core::report::validation_json`], `{"format", "valid", "states", "diagnostics": [{code,
/// severity, message, pointer, line, column, span: {start, end}}]}`, the diagnostics in the
/// shape `asl validate --format json` prints.
pub fn validate(text: &str) -> Value {
    asl_core::report::validation_json(text)
}

/// The context passed to a host task handler along with the state name and input.
pub fn task_context(req: &TaskRequest) -> Value {
    let map_path: Vec<Value> = req
        .map_path
        .iter()
        .map(|(m, i)| json!({ "Map": &**m, "Index": i }))
        .collect();
    json!({
        "resource": &*req.resource,
        "invocation": req.invocation,
        "retryCount": req.retry_count,
        "mapPath": map_path,
        "taskToken": req.task_token,
    })
}

/// Runs to completion; `handler` answers tasks first, and `None` falls back to the mocks.
pub fn run_with(
    definition: &str,
    input: &str,
    mocks: &str,
    options: &str,
    handler: &mut dyn FnMut(&TaskRequest) -> Option<TaskAnswer>,
) -> Value {
    match RunRequest::read(definition, input, mocks, options) {
        Ok(request) => request.run(handler),
        Err(refusal) => refusal,
    }
}

/// One step of a host-driven run: what the driver must do next.
pub enum Step {
    /// Answer these task calls (with [`Execution::complete_task`]), then step again.
    Tasks(Vec<TaskRequest>),
    /// The execution ended or can make no more progress.
    Done,
}

/// Advances an execution until it needs task answers from the host or ends; waits pass on the
/// virtual clock. This is [`asl_interp::drive`] cut at the task calls, for asynchronous hosts.
pub fn step(exec: &mut Execution) -> Step {
    loop {
        let effects = exec.advance();
        if effects.is_empty() {
            return Step::Done;
        }
        let mut tasks = Vec::new();
        let mut progressed = false;
        for e in effects {
            match e {
                Effect::Finished(_) => return Step::Done,
                Effect::InvokeTask(req) => tasks.push(req),
                Effect::WaitUntil { ms } => {
                    exec.advance_clock_to(ms);
                    progressed = true;
                }
                Effect::Breakpoint { .. } | Effect::AwaitCallback { .. } => progressed = true,
            }
        }
        if !tasks.is_empty() {
            return Step::Tasks(tasks);
        }
        if !progressed {
            return Step::Done;
        }
    }
}
