//! asl-embed: the ASL Studio graph and simulator as WebAssembly exports for embedding pages.
//!
//! The exports take and return data only (JSON text and SVG text), so a documentation page or
//! web app can draw and run a state machine without the studio: [`render`], [`validate`],
//! [`run`], [`run_with_handler`], [`run_async`] and [`overlay_from_history`]. The DOM work
//! (pan, zoom, buttons) happens in `www/embed/asl-embed.js`. The same calls are available
//! natively through [`api`] and [`overlay`], which is where they are tested.

pub mod api;
pub mod overlay;

use asl_interp::{Execution, TaskAnswer, TaskHandler, TaskRequest};
use js_sys::{Function, JSON, Promise, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
}

/// Draws a definition (JSON or YAML text) as SVG text.
///
/// `options_json`: `{"theme": "light"|"dark", "standalone": true, "overlay": {...} | "history":
/// [events], "coverage": false}` (all optional). State names and comments are escaped text.
#[wasm_bindgen]
pub fn render(definition_text: &str, options_json: &str) -> String {
    let options = api::json_arg(options_json, "the options").unwrap_or(Value::Null);
    api::render(definition_text, &options)
}

/// The style sheet of a theme (`"light"` or `"dark"`) for SVGs rendered with `standalone: false`.
#[wasm_bindgen]
pub fn stylesheet(theme: &str) -> String {
    asl_graph::stylesheet(if theme == "dark" {
        asl_graph::Theme::Dark
    } else {
        asl_graph::Theme::Light
    })
}

/// The definition (JSON or YAML text) as JSON text, as far as it could be read (`null` if not at all).
#[wasm_bindgen]
pub fn definition_json(definition_text: &str) -> String {
    text(&api::definition_value(definition_text))
}

/// Parses and validates a definition; returns `{"format","valid","states","diagnostics"}` as JSON text.
#[wasm_bindgen]
pub fn validate(text_in: &str) -> String {
    text(&api::validate(text_in))
}

/// Runs a definition with mocks on the virtual clock; returns `{status, output, error, cause,
/// events}` as JSON text.
///
/// `mocks_json` is a MockConfigFile (pick the test case with `options.testCase`) or a compact
/// per-state map; `options_json` may hold `testCase`, `stateMachine`, `unmocked` (`"fail"` or
/// `"echo"`) and `context` (the `$$` values: `Execution`, `StateMachine`, `seed`).
#[wasm_bindgen]
pub fn run(
    definition_text: &str,
    input_json: &str,
    mocks_json: &str,
    options_json: &str,
) -> String {
    text(&api::run(
        definition_text,
        input_json,
        mocks_json,
        options_json,
    ))
}

/// Turns a history (an array of events, or a `GetExecutionHistory` answer with `events`) into
/// overlay JSON: `{status, states: {NAME: {status, retries, iterations}}, edges}`.
#[wasm_bindgen]
pub fn overlay_from_history(events_json: &str) -> String {
    match api::json_arg(events_json, "the history") {
        Ok(v) => text(&overlay::from_history(&v)),
        Err(e) => text(&json!({ "error": e })),
    }
}

fn to_js(v: &Value) -> JsValue {
    JSON::parse(&text(v)).unwrap_or(JsValue::NULL)
}

/// Reads a JavaScript value as JSON; `undefined` (and functions) give `None`.
fn from_js(v: &JsValue) -> Option<Value> {
    if v.is_undefined() {
        return None;
    }
    let s = JSON::stringify(v).ok()?.as_string()?;
    serde_json::from_str(&s).ok()
}

/// The task failure for a thrown value: an `Error` gives its `name` and `message`; an object
/// gives its `error`/`Error` and `cause`/`Cause` fields; anything else is `Error` with its text.
fn thrown(e: &JsValue) -> TaskAnswer {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return TaskAnswer::Throw {
            error: err.name().as_string(),
            cause: err.message().as_string(),
        };
    }
    let field = |names: &[&str]| {
        names.iter().find_map(|n| {
            Reflect::get(e, &JsValue::from_str(n))
                .ok()
                .and_then(|v| v.as_string())
        })
    };
    if e.is_object() {
        return TaskAnswer::Throw {
            error: field(&["error", "Error", "name"]).or(Some("Error".into())),
            cause: field(&["cause", "Cause", "message"]),
        };
    }
    TaskAnswer::Throw {
        error: Some("Error".into()),
        cause: e.as_string().or_else(|| from_js(e).map(|v| v.to_string())),
    }
}

/// Calls the host handler with `(stateName, input, context)`.
fn call_handler(handler: &Function, req: &TaskRequest) -> Result<JsValue, JsValue> {
    handler.call3(
        &JsValue::NULL,
        &JsValue::from_str(&req.state_name),
        &to_js(&req.input),
        &to_js(&api::task_context(req)),
    )
}

/// A settled handler result: a value is the task's output, `undefined` falls back to the mocks.
fn answer_of(result: Result<JsValue, JsValue>) -> Option<TaskAnswer> {
    match result {
        Ok(v) if v.is_undefined() => None,
        Ok(v) => Some(TaskAnswer::Return(from_js(&v).unwrap_or(Value::Null))),
        Err(e) => Some(thrown(&e)),
    }
}

/// Runs a definition, answering each task with a synchronous JavaScript handler.
///
/// The handler is called as `handler(stateName, input, context)` where `context` is
/// `{resource, invocation, retryCount, mapPath, taskToken}`. Its return value is the task's
/// result; `undefined` lets the mocks answer; a thrown error fails the task with the error's
/// `name` as Error and its `message` as Cause. A returned Promise fails the task
/// (`Embed.AsyncHandler`): use [`run_async`] for asynchronous handlers.
#[wasm_bindgen]
pub fn run_with_handler(
    definition_text: &str,
    input_json: &str,
    handler: Function,
    mocks_json: &str,
    options_json: &str,
) -> String {
    let mut call = |req: &TaskRequest| {
        let result = call_handler(&handler, req);
        if let Ok(v) = &result
            && v.is_instance_of::<Promise>()
        {
            return Some(TaskAnswer::Throw {
                error: Some("Embed.AsyncHandler".into()),
                cause: Some(format!(
                    "the handler of '{}' returned a Promise; use runAsync for asynchronous handlers",
                    req.state_name
                )),
            });
        }
        answer_of(result)
    };
    text(&api::run_with(
        definition_text,
        input_json,
        mocks_json,
        options_json,
        &mut call,
    ))
}

/// Runs a definition with a handler that may return Promises; resolves to the result object
/// (`{status, output, error, cause, events}`, a JavaScript object, not text).
///
/// The handler is the one of [`run_with_handler`], except that it may return a Promise (a
/// rejection fails the task like a throw). Tasks are answered one at a time, in the order the
/// interpreter asks for them, so runs stay reproducible. `handler` may be `null` (mocks only).
#[wasm_bindgen]
pub fn run_async(
    definition_text: &str,
    input_json: &str,
    handler: Option<Function>,
    mocks_json: &str,
    options_json: &str,
) -> Promise {
    let prepared = api::RunRequest::read(definition_text, input_json, mocks_json, options_json);
    future_to_promise(async move {
        let mut p = match prepared {
            Ok(p) => p,
            Err(e) => return Ok(to_js(&e)),
        };
        let mut exec = Execution::start(&p.program, p.input.clone(), &p.options);
        while let api::Step::Tasks(tasks) = api::step(&mut exec) {
            for req in tasks {
                let answer = match &handler {
                    Some(h) => {
                        let result = match call_handler(h, &req) {
                            Ok(v) if v.is_instance_of::<Promise>() => {
                                JsFuture::from(v.unchecked_into::<Promise>()).await
                            }
                            other => other,
                        };
                        answer_of(result)
                    }
                    None => None,
                };
                let answer = answer.unwrap_or_else(|| p.mocks.invoke(&req));
                exec.complete_task(req.task_id, answer);
            }
        }
        Ok(to_js(&api::result_json(&exec)))
    })
}
