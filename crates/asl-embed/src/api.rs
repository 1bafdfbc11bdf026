//! The pure engine calls behind the JavaScript exports: text in, `serde_json::Value` out.
//!
//! Nothing here touches JavaScript, so every function is tested natively. Problems come back
//! as an `"error"` field in the returned JSON (or an `Err` with a message), never as a panic.

use asl_core::{LineIndex, Severity, detect_format};
use asl_graph::{SvgOptions, Theme};
use asl_interp::mock::{MockConfig, Mocks, Unmocked};
use asl_interp::{Effect, Execution, Program, RunOptions, TaskAnswer, TaskHandler, TaskRequest};
use serde_json::{Value, json};

use crate::overlay;

/// Parses JSON text; empty text is `null`. The error names the argument.
pub fn parse_arg(text: &str, what: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("{what} is not valid JSON: {e}"))
}

/// The definition as a JSON value, read from JSON or YAML text by the never-failing parser.
pub fn definition_value(text: &str) -> Value {
    asl_core::parse(text, detect_format(text)).value
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

/// Parses and validates a definition and lists its diagnostics.
///
/// Returns `{"format", "valid", "states", "diagnostics": [{code, severity, message, pointer,
/// line, col}]}`; `valid` is true when no diagnostic is an error.
pub fn validate(text: &str) -> Value {
    let format = detect_format(text);
    let (parse, diags) = asl_core::check(text, format);
    let index = LineIndex::new(text);
    let list: Vec<Value> = diags
        .iter()
        .map(|d| {
            let lc = index.line_col(d.span.start);
            json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "pointer": d.pointer,
                "line": lc.line,
                "col": lc.col,
            })
        })
        .collect();
    json!({
        "format": match format {
            asl_core::Format::Json => "json",
            asl_core::Format::Yaml => "yaml",
        },
        "valid": !diags.iter().any(|d| d.severity == Severity::Error),
        "states": parse.machine.states().len(),
        "diagnostics": list,
    })
}

/// Builds the mock table from either a Step Functions Local `MockConfigFile` (with
/// `options.testCase` and optionally `options.stateMachine`; a file with a single test case
/// needs neither) or a compact per-state map (`{"State": [{"Return": ...}, {"Throw": ...}]}`
/// or `{"State": {"0": {...}, "1-2": {...}}}`).
///
/// `options.unmocked` is `"fail"` (the default: `Mock.NotFound`) or `"echo"` (the task
/// returns its input).
pub fn build_mocks(mocks: &Value, options: &Value) -> Result<Mocks, String> {
    let unmocked = match options.get("unmocked").and_then(Value::as_str) {
        Some("echo") => Unmocked::EchoInput,
        _ => Unmocked::Fail,
    };
    let is_config = mocks.get("StateMachines").is_some() || mocks.get("MockedResponses").is_some();
    let table = if is_config {
        let cfg = MockConfig::parse(mocks).map_err(|e| e.message)?;
        let machine = options.get("stateMachine").and_then(Value::as_str);
        let case = match options.get("testCase").and_then(Value::as_str) {
            Some(c) => c.to_string(),
            None => {
                let cases = cfg.test_cases();
                match cases.as_slice() {
                    [(_, c)] => c.clone(),
                    [] => return Err("the mock file has no test case".into()),
                    _ => {
                        let names: Vec<String> =
                            cases.iter().map(|(m, c)| format!("{m}#{c}")).collect();
                        return Err(format!(
                            "the mock file has several test cases ({}); choose one with testCase",
                            names.join(", ")
                        ));
                    }
                }
            }
        };
        cfg.mocks(machine, &case).map_err(|e| e.message)?
    } else {
        Mocks::from_state_map(mocks).map_err(|e| e.message)?
    };
    Ok(table.with_unmocked(unmocked))
}

/// Everything a run needs once its arguments are read: the program, the input and the mocks.
pub struct Prepared {
    /// The compiled definition.
    pub program: Program,
    /// The execution input (`{}` when none was given).
    pub input: Value,
    /// The mocked responses.
    pub mocks: Mocks,
    /// The run options (context object, seed, machine type).
    pub options: RunOptions,
}

/// Reads the arguments of a run; the error is the JSON answer to give back.
pub fn prepare(
    definition: &str,
    input: &str,
    mocks: &str,
    options: &str,
) -> Result<Prepared, Value> {
    let err =
        |m: String| json!({ "status": "ERROR", "error": "Embed.InvalidArgument", "cause": m });
    let input = parse_arg(input, "the input").map_err(err)?;
    let mocks = parse_arg(mocks, "the mocks").map_err(err)?;
    let options = parse_arg(options, "the options").map_err(err)?;
    let input = if input.is_null() { json!({}) } else { input };
    let program = asl_interp::compile(&definition_value(definition))
        .map_err(|e| err(format!("the definition cannot run: {e:?}")))?;
    let table =
        build_mocks(&mocks, &options).map_err(|m| err(format!("the mocks are not valid: {m}")))?;
    let context = options.get("context").cloned().unwrap_or(Value::Null);
    Ok(Prepared {
        program,
        input,
        mocks: table,
        options: RunOptions::from_corpus_context(&context),
    })
}

/// The result of a finished (or stalled) execution as `{status, output, error, cause, events}`.
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

/// The context passed to a host task handler along with the state name and input.
pub fn task_context(req: &TaskRequest) -> Value {
    let map_path: Vec<Value> = req
        .map_path
        .iter()
        .map(|(m, i)| json!({ "Map": m, "Index": i }))
        .collect();
    json!({
        "resource": req.resource,
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
    let mut p = match prepare(definition, input, mocks, options) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let mut exec = Execution::start(&p.program, p.input.clone(), &p.options);
    let mut both = |req: &TaskRequest| handler(req).unwrap_or_else(|| p.mocks.invoke(req));
    asl_interp::drive(&mut exec, &mut both);
    result_json(&exec)
}

/// Runs to completion with the mocks only.
pub fn run(definition: &str, input: &str, mocks: &str, options: &str) -> Value {
    run_with(definition, input, mocks, options, &mut |_| None)
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
