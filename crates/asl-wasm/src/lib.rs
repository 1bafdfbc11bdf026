//! asl-wasm: the ASL Studio engine as a WebAssembly library for Node, browsers and benchmarks.
//!
//! The exports take and return JSON text, so any page can embed the engine without a build
//! step: [`validate`], [`run`], [`jsonata_eval`], [`layout_bench`] and [`bench_plan`]. The same
//! functions are available natively through [`api`] and [`bench`], which is how `cargo xtask
//! bench` times the native build with the very code it loads into Node and Chromium.
//!
//! Clocks are the host's: on wasm32 `performance.now()` (Node and browsers both have it),
//! natively whatever the caller passes, because `std::time::Instant::now` traps on wasm32.

pub mod api;
pub mod bench;

use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds with sub-millisecond precision.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
}

/// Parses and validates a definition; returns `{"format","valid","states","diagnostics"}` as JSON text.
#[wasm_bindgen]
pub fn validate(text_in: &str) -> String {
    text(&api::validate(text_in))
}

/// Runs a definition with mocks on the virtual clock; returns `{status, output, error, cause,
/// events}` as JSON text. The arguments are those of the embed library's `run`
/// ([`asl_interp::request::RunRequest::read`]): `options_json` may hold `testCase`,
/// `stateMachine`, `unmocked` and `context`.
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

/// Evaluates a JSONata expression against a JSON input; returns `{"result"}` or `{"error"}`.
#[wasm_bindgen]
pub fn jsonata_eval(expr: &str, input_json: &str) -> String {
    text(&api::jsonata_eval(expr, input_json))
}

/// Lays out a graph of the shared layout format `reps` times; returns the timing (from
/// `performance.now()`), the leaf centres and the internal crossing count as JSON text.
#[wasm_bindgen]
pub fn layout_bench(graph_json: &str, reps: u32) -> String {
    let graph = match api::json_arg(graph_json, "the graph") {
        Ok(g) => g,
        Err(e) => return json!({ "error": e }).to_string(),
    };
    let plan =
        json!({ "layout": [{ "name": "graph", "graph": graph, "runs": reps, "warmup": 1 }] });
    let clocks = bench::Clocks {
        wall: &performance_now,
        cpu: None,
    };
    let out = bench::run_plan(&plan, &[], clocks);
    text(&out["layout"][0])
}

/// Runs a whole benchmark plan (see [`bench`]); `only` is a comma-separated list of sections
/// or empty for all. `cpu_now`, when given, is a CPU-time clock in milliseconds (in Node:
/// `process.cpuUsage()`). Returns the results as JSON text.
#[wasm_bindgen]
pub fn bench_plan(plan_json: &str, only: &str, cpu_now: Option<js_sys::Function>) -> String {
    let plan = match api::json_arg(plan_json, "the plan") {
        Ok(p) => p,
        Err(e) => return json!({ "error": e }).to_string(),
    };
    let only: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
    let cpu = cpu_now.map(|f| {
        move || {
            f.call0(&JsValue::NULL)
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0)
        }
    });
    let clocks = bench::Clocks {
        wall: &performance_now,
        cpu: cpu.as_ref().map(|c| c as &dyn Fn() -> f64),
    };
    text(&bench::run_plan(&plan, &only, clocks))
}
