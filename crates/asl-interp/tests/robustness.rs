//! Bad input never panics: every corpus definition (when the corpus is present) and every
//! golden case runs with odd inputs and task handlers answering garbage, and must end
//! (succeeded, failed or stalled) without a panic.

use std::path::PathBuf;

use asl_interp::{RunOptions, Status, TaskAnswer, TaskRequest};
use serde_json::{Value, json};

fn answers() -> Vec<TaskAnswer> {
    let mut deep = json!(1);
    for _ in 0..600 {
        deep = json!([deep]);
    }
    vec![
        TaskAnswer::Return(json!("not an object")),
        TaskAnswer::Return(Value::Null),
        TaskAnswer::Return(deep),
        TaskAnswer::Return(json!({"blob": "x".repeat(300 * 1024)})),
        TaskAnswer::Throw {
            error: None,
            cause: None,
        },
        TaskAnswer::TimedOut {
            error: None,
            cause: Some("late".into()),
        },
        TaskAnswer::Submitted {
            submitted: json!([1, 2]),
            then: Box::new(TaskAnswer::Return(json!({"ok": 1}))),
        },
        TaskAnswer::Pending,
        TaskAnswer::Return(json!({"Payload": {"a": [1, {"b": null}]}, "StatusCode": 200})),
    ]
}

fn inputs() -> Vec<Value> {
    vec![
        json!({}),
        json!(null),
        json!([1, "two", {"three": 3}]),
        json!({"items": "not a list", "Value": {"x": 1}, "n": -5, "ts": "2024-13-99T99:99:99Z"}),
    ]
}

fn definitions() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dirs = [
        root.join("test_data/golden"),
        root.join("../../../shared/conformance/cases"),
    ];
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            eprintln!("{} not found, skipping", dir.display());
            continue;
        };
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let Ok(case) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            // The choice operator cases are all alike: a sample is enough.
            if name.starts_with("choice_operators") && !name.contains("__0") {
                continue;
            }
            out.push((name, case["definition"].clone()));
        }
    }
    out
}

#[test]
fn garbage_never_panics() {
    let answers = answers();
    let opts = RunOptions {
        max_events: Some(2_000),
        ..RunOptions::default()
    };
    let mut runs = 0;
    for (name, def) in definitions() {
        let Ok(program) = asl_interp::compile(&def) else {
            continue;
        };
        for (k, input) in inputs().into_iter().enumerate() {
            let mut n = k;
            let mut handler = |_req: &TaskRequest| {
                n += 1;
                answers[n % answers.len()].clone()
            };
            let res = asl_interp::run(&program, input, &opts, &mut handler);
            runs += 1;
            assert!(
                matches!(
                    res.status,
                    Status::Succeeded | Status::Failed | Status::TimedOut | Status::Running
                ),
                "{name}: unexpected status {:?}",
                res.status
            );
            for e in &res.events {
                let _ = e.to_aws_json();
            }
        }
    }
    assert!(runs > 0);
}

/// A distributed Map's child execution records no events in the parent's history, but its
/// own history is bounded all the same: a child that loops forever fails with the history
/// quota (an iteration failure for its Map) instead of running until memory runs out.
#[test]
fn a_distributed_child_that_loops_forever_fails_its_iteration() {
    let def = json!({
        "StartAt": "Each",
        "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Spin",
                "States": {"Spin": {"Type": "Pass", "Next": "Spin"}}
            }, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Pass", "End": true}
        }
    });
    let program = asl_interp::compile(&def).expect("compiles");
    let opts = RunOptions {
        max_events: Some(1_000),
        ..RunOptions::default()
    };
    let res = asl_interp::run(
        &program,
        json!({"items": [1, 2]}),
        &opts,
        &mut |_: &TaskRequest| TaskAnswer::Return(Value::Null),
    );
    assert_eq!(
        res.status,
        Status::Succeeded,
        "{:?} {:?}",
        res.error,
        res.cause
    );
    let output = res.output.expect("output");
    assert_eq!(
        output["Error"], "States.ExceedToleratedFailureThreshold",
        "{output}"
    );
}
