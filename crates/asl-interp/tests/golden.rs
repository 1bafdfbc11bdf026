//! Golden tests: every `test_data/golden/*.json` case runs to completion and its result and
//! full history are compared with an insta snapshot (`cargo insta review` to update).
//!
//! A case holds `definition`, `input`, optional `mocks` (per state, in call order:
//! `{"Return": v}`, `{"Throw": {"Error","Cause"}}`, `{"TimedOut": true}`, with an optional
//! `Submitted` value and `"Pending": true` for callbacks nobody answers), optional `options`
//! (`max_events`, `seed`) and optional `generate` (`deep_input`: nesting depth of the input,
//! `huge_result`: a state whose task returns 300 KiB).

use std::collections::BTreeMap;
use std::path::PathBuf;

use asl_interp::{RunOptions, TaskAnswer, TaskRequest};
use serde_json::{Value, json};

fn answer(entry: &Value) -> TaskAnswer {
    let base = if entry.get("Pending") == Some(&Value::Bool(true)) {
        TaskAnswer::Pending
    } else if let Some(r) = entry.get("Return") {
        TaskAnswer::Return(r.clone())
    } else if let Some(t) = entry.get("Throw") {
        TaskAnswer::Throw {
            error: t.get("Error").and_then(Value::as_str).map(str::to_string),
            cause: t.get("Cause").and_then(Value::as_str).map(str::to_string),
        }
    } else if entry.get("TimedOut") == Some(&Value::Bool(true)) {
        TaskAnswer::TimedOut {
            error: None,
            cause: None,
        }
    } else {
        TaskAnswer::Return(Value::Null)
    };
    match entry.get("Submitted") {
        Some(s) => TaskAnswer::Submitted {
            submitted: s.clone(),
            then: Box::new(base),
        },
        None => base,
    }
}

fn deep(depth: usize) -> Value {
    let mut v = json!(0);
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

fn run_case(case: &Value) -> Value {
    let program = match asl_interp::compile(&case["definition"]) {
        Ok(p) => p,
        Err(e) => return json!({"compile_error": e.message, "pointer": e.pointer}),
    };
    let mut opts = RunOptions::default();
    if let Some(n) = case.pointer("/options/max_events").and_then(Value::as_u64) {
        opts.max_events = Some(n as usize);
    }
    if let Some(n) = case.pointer("/options/seed").and_then(Value::as_u64) {
        opts.seed = n;
    }
    let mut input = case["input"].clone();
    if let Some(d) = case.pointer("/generate/deep_input").and_then(Value::as_u64) {
        input = deep(d as usize);
    }
    let huge_state = case
        .pointer("/generate/huge_result")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut queues: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    if let Some(m) = case["mocks"].as_object() {
        for (k, v) in m {
            queues.insert(k.clone(), v.as_array().cloned().unwrap_or_default());
        }
    }
    let mut requests = Vec::new();
    let mut handler = |req: &TaskRequest| {
        requests.push(json!({
            "state": &*req.state_name,
            "input": *req.input,
            "invocation": req.invocation,
            "retry_count": req.retry_count,
            "map_path": req.map_path.iter().map(|(m, i)| json!([&**m, i])).collect::<Vec<_>>(),
            "has_token": req.task_token.is_some(),
        }));
        if huge_state.as_deref() == Some(&*req.state_name) {
            return TaskAnswer::Return(json!({"blob": "x".repeat(300 * 1024)}));
        }
        match queues.get_mut(&*req.state_name) {
            Some(q) if !q.is_empty() => answer(&q.remove(0)),
            _ => TaskAnswer::Throw {
                error: Some("Mock.Missing".into()),
                cause: None,
            },
        }
    };
    let res = asl_interp::run(&program, input, &opts, &mut handler);
    let events: Vec<Value> = res
        .events
        .iter()
        .map(|e| {
            let mut j = e.to_aws_json();
            // Keep snapshots small: long payload texts are shortened.
            shorten(&mut j);
            j
        })
        .collect();
    json!({
        "status": res.status.as_aws(),
        "output": res.output,
        "error": res.error,
        "cause": res.cause,
        "requests": requests,
        "events": events,
    })
}

fn shorten(v: &mut Value) {
    match v {
        Value::String(s) if s.len() > 300 => {
            let head: String = s.chars().take(60).collect();
            *s = format!("{head}... ({} bytes)", s.len());
        }
        Value::Array(a) => a.iter_mut().for_each(shorten),
        Value::Object(m) => m.values_mut().for_each(shorten),
        _ => {}
    }
}

#[test]
fn golden_cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("test_data/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&f).expect("readable case");
        let case: Value = serde_json::from_str(&text).expect("valid JSON case");
        let mut summary = run_case(&case);
        shorten(&mut summary);
        insta::assert_json_snapshot!(name, summary);
    }
}
