//! The JSON-in, JSON-out calls behind the wasm exports, and the benchmark runner with a fake clock.

use std::cell::Cell;

use asl_wasm::{api, bench};
use serde_json::{Value, json};

const HELLO: &str = r#"{"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Next": "B"},
  "B": {"Type": "Pass", "Parameters": {"r.$": "$.x"}, "End": true}}}"#;

#[test]
fn validate_reports_diagnostics_with_lines() {
    let ok = api::validate(HELLO);
    assert_eq!(ok["valid"], true);
    assert_eq!(ok["format"], "json");
    assert_eq!(ok["states"], 2);
    let bad =
        api::validate("{\"StartAt\": \"Nope\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}");
    assert_eq!(bad["valid"], false);
    let d = &bad["diagnostics"][0];
    assert!(d["code"].as_str().is_some_and(|c| !c.is_empty()));
    assert_eq!(d["line"], 1);
    assert!(d["column"].as_u64().is_some_and(|c| c >= 1), "{d}");
    assert!(d["span"]["end"].as_u64().is_some(), "{d}");
}

#[test]
fn run_uses_mocks_and_returns_history() {
    let mocks = r#"{"A": [{"Return": {"x": 42}}]}"#;
    let out = api::run(HELLO, "{}", mocks, "");
    assert_eq!(out["status"], "SUCCEEDED", "{out}");
    assert_eq!(out["output"], json!({"r": 42}));
    let events = out["events"].as_array().expect("events");
    assert_eq!(events[0]["type"], "ExecutionStarted");
    assert_eq!(events.last().unwrap()["type"], "ExecutionSucceeded");
}

#[test]
fn run_reports_bad_arguments_instead_of_panicking() {
    assert_eq!(
        api::run(HELLO, "{", "", "")["error"],
        "InvalidExecutionInput"
    );
    assert_eq!(
        api::run(HELLO, "{}", "[1]", "")["error"],
        "ValidationException"
    );
    let capped = api::run(
        HELLO,
        "{}",
        r#"{"A": [{"Return": {"x": 42}}]}"#,
        r#"{"context": {"maxPayloadBytes": 4}}"#,
    );
    assert_eq!(capped["error"], "States.DataLimitExceeded", "{capped}");
    let garbage = api::run("not a machine", "{}", "", "");
    assert!(garbage.get("error").is_some() || garbage.get("status").is_some());
}

#[test]
fn jsonata_eval_binds_states_input() {
    let out = api::jsonata_eval("$states.input.a + $.a", r#"{"a": 2}"#);
    assert_eq!(out["result"], json!(4));
    assert!(api::jsonata_eval("$.a +", "{}").get("error").is_some());
    assert!(api::jsonata_eval("$.missing", "{}").get("result").is_none());
}

#[test]
fn bench_plan_checks_outputs_and_counts_samples() {
    let tick = Cell::new(0.0);
    let now = || {
        tick.set(tick.get() + 1.0);
        tick.get()
    };
    let def: Value = serde_json::from_str(HELLO).unwrap();
    let mocks = json!({"A": {"Resource": "arn", "Result": {"x": 1}}});
    let plan = json!({
        "interp": [
            {"name": "good", "definition": def, "input": {}, "mocks": mocks,
             "expected": {"r": 1}, "runs": 3, "warmup": 1},
            {"name": "wrong", "definition": def, "input": {}, "mocks": mocks,
             "expected": {"r": 2}, "runs": 3, "warmup": 1}
        ],
        "jsonata": [{"name": "j", "expr": "$sum($states.input.xs)", "input": {"xs": [1, 2]}, "iters": 4, "runs": 2, "warmup": 0}],
        "layout": [{"name": "g", "graph": {"nodes": [{"id": "a"}, {"id": "b"}], "edges": [["a", "b"]]}, "runs": 2}],
        "editor": [{"name": "e", "text": HELLO, "runs": 2, "warmup": 0}],
        "validate": [{"name": "v", "text": HELLO, "runs": 2, "warmup": 0}]
    });
    let clocks = bench::Clocks {
        wall: &now,
        cpu: Some(&now),
    };
    let out = bench::run_plan(&plan, &[], clocks);
    let good = &out["interp"][0];
    assert_eq!(good["ok"], true, "{good}");
    assert_eq!(good["time"]["samples"].as_array().unwrap().len(), 3);
    assert_eq!(good["time_cpu"]["samples"].as_array().unwrap().len(), 3);
    assert!(good["events"].as_u64().unwrap() > 4);
    let wrong = &out["interp"][1];
    assert!(wrong["error"].as_str().unwrap().contains("$.r"), "{wrong}");
    assert_eq!(out["jsonata"][0]["result"], json!(3));
    assert_eq!(out["layout"][0]["centres"].as_object().unwrap().len(), 2);
    assert_eq!(out["editor"][0]["ok"], true);
    assert_eq!(out["validate"][0]["states"], 2);
    let only = bench::run_plan(&plan, &["jsonata"], clocks);
    assert!(only.get("interp").is_none() && only.get("jsonata").is_some());
}

#[test]
fn first_difference_names_the_path() {
    let d = bench::first_difference(&json!({"a": [1, 2]}), &json!({"a": [1, 3]}), "$");
    assert_eq!(d.as_deref(), Some("$.a[1]: got 2, expected 3"));
    assert_eq!(
        bench::first_difference(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1}), "$"),
        None
    );
}
