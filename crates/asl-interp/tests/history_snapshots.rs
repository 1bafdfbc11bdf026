//! History snapshots of payloads that later states change in place: the history read at the
//! end must be exactly what it was when each event was recorded, and the payload quota must
//! stay exact although sizes are tracked incrementally.

use asl_interp::{Effect, Execution, RunOptions, Status, TaskAnswer};
use serde_json::{Value, json};

/// A document well over the size above which the interpreter moves payloads instead of copying them.
fn big_doc() -> Value {
    let sections: Vec<Value> = (0..12)
        .map(|s| {
            let rows: Vec<Value> = (0..40)
                .map(|r| json!({"sku": format!("SKU-{s}-{r}"), "qty": r, "price": 1.5 * r as f64, "flags": {"a": true}, "dims": [1, 2, 3]}))
                .collect();
            json!({"id": format!("sec-{s}"), "title": format!("Section {s}"), "rowCount": 40, "rows": rows})
        })
        .collect();
    json!({"env": {"meta": {"v": 1}, "sections": sections, "audit": null}, "z": [1, 2]})
}

/// Runs `definition` in step mode, one thread at a time, rendering each event as soon as it
/// is recorded (before any later state can change its payload), then compares with the
/// history rendered at the end.
fn check_history(definition: Value, input: Value, sequential: bool) -> Vec<Value> {
    let program = asl_interp::compile(&definition).expect("compiles");
    let mut exec = Execution::start(&program, input, &RunOptions::default());
    exec.set_step_mode(true);
    let mut fresh: Vec<Value> = Vec::new();
    let capture = |exec: &Execution, fresh: &mut Vec<Value>| {
        while fresh.len() < exec.event_count() {
            let e = exec.event(fresh.len()).expect("event");
            fresh.push(e.to_aws_json());
        }
    };
    capture(&exec, &mut fresh);
    'run: for _ in 0..100_000 {
        // One thread at a time, so that a Map's iterations are read before it joins them.
        let Some(effects) = exec.advance_bounded(1) else {
            capture(&exec, &mut fresh);
            continue;
        };
        capture(&exec, &mut fresh);
        for e in effects {
            match e {
                Effect::Finished(_) => break 'run,
                Effect::InvokeTask(req) => {
                    let mut out = (*req.input).clone();
                    if let Value::Object(m) = &mut out {
                        m.insert("handled".into(), json!(&*req.state_name));
                    }
                    exec.complete_task(req.task_id, TaskAnswer::Return(out));
                    capture(&exec, &mut fresh);
                }
                Effect::WaitUntil { ms } => exec.advance_clock_to(ms),
                _ => {}
            }
        }
    }
    assert_eq!(
        exec.status(),
        Status::Succeeded,
        "{:?}",
        exec.result().cause
    );
    let last: Vec<Value> = exec.events().iter().map(|e| e.to_aws_json()).collect();
    assert_eq!(last.len(), fresh.len());
    for (a, b) in fresh.iter().zip(&last) {
        assert_eq!(a, b, "event {} changed after it was recorded", a["id"]);
    }
    // Each state's input is the previous state's output, as recorded then.
    if !sequential {
        return last;
    }
    let mut prev_output: Option<Value> = None;
    for e in &fresh {
        let kind = e["type"].as_str().unwrap_or_default();
        if let (Some(p), true) = (&prev_output, kind.ends_with("StateEntered")) {
            assert_eq!(
                &e["stateEnteredEventDetails"]["input"], p,
                "at event {}",
                e["id"]
            );
        }
        if kind.ends_with("StateExited") {
            prev_output = Some(e["stateExitedEventDetails"]["output"].clone());
        }
    }
    last
}

#[test]
fn in_place_changes_leave_recorded_payloads_intact() {
    let def = json!({
        "StartAt": "Audit",
        "States": {
            "Audit": {"Type": "Pass", "InputPath": "$.env.sections[0]",
                "Parameters": {"id.$": "$.id", "rows.$": "$.rowCount", "step": 0},
                "ResultPath": "$.env.audit", "OutputPath": "$.env", "Next": "Wrap"},
            "Wrap": {"Type": "Pass", "Parameters": {"env.$": "$", "k": {"c": 1}}, "Next": "Create"},
            "Create": {"Type": "Pass", "Result": {"made": true}, "ResultPath": "$.new.deep.member", "Next": "ReplaceLast"},
            "ReplaceLast": {"Type": "Pass", "Result": "gone", "ResultPath": "$.env.sections[-1]", "Next": "Quoted"},
            "Quoted": {"Type": "Pass", "ResultPath": "$.env['meta']", "Result": {"v": 2}, "OutputPath": "$['env']", "Next": "Task"},
            "Task": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.task", "Next": "Rows"},
            "Rows": {"Type": "Pass", "Result": [], "ResultPath": "$.sections[0].rows", "OutputPath": "$.sections", "Next": "Wrap2"},
            "Wrap2": {"Type": "Pass", "Parameters": {"s.$": "$"}, "Next": "Filter"},
            "Filter": {"Type": "Pass", "Result": 1, "ResultPath": "$.one", "OutputPath": "$.s[?(@.rowCount == 40)].id", "Next": "Ctx"},
            "Ctx": {"Type": "Pass", "Parameters": {"ids.$": "$", "z.$": "$$.Execution.Input.z", "audit.$": "$$.Execution.Input.env.audit", "count.$": "States.ArrayLength($$.Execution.Input.env.sections)"}, "End": true}
        }
    });
    let events = check_history(def, big_doc(), true);
    let out = &events.last().unwrap()["executionSucceededEventDetails"]["output"];
    assert_eq!(out.as_str().unwrap().matches("sec-").count(), 11);
    // The execution input as it was, although the first state changed it in place.
    let out: Value = serde_json::from_str(out.as_str().unwrap()).unwrap();
    assert_eq!(out["z"], json!([1, 2]));
    assert_eq!(out["audit"], Value::Null);
    assert_eq!(out["count"], json!(12));
}

/// Map and Parallel results take over their iterations' and branches' outputs, which the
/// history recorded (`Snap::Elem`); the states after them change those results in place.
#[test]
fn join_results_taken_over_from_the_history_stay_as_recorded() {
    let each = |items: &str, result_path: &str, output_path: &str, next: &str| {
        json!({"Type": "Map", "ItemsPath": items, "ResultPath": result_path, "OutputPath": output_path,
            "ItemProcessor": {"StartAt": "Tag", "States": {
                "Tag": {"Type": "Pass", "Result": "t", "ResultPath": "$.tag", "End": true}
            }},
            "Next": next})
    };
    let small = |next: &str| {
        json!({"Type": "Map", "ItemsPath": "$.sections",
            "ItemProcessor": {"StartAt": "Id", "States": {
                "Id": {"Type": "Pass", "Parameters": {"id.$": "$.id", "n.$": "$.rowCount", "title.$": "$.title", "first.$": "$.rows[0]"}, "End": true}
            }},
            "ResultSelector": {"ids.$": "$", "source": "test"},
            "ResultPath": "$.ids", "OutputPath": "$.ids", "Next": next})
    };
    let def = json!({
        "StartAt": "Each",
        "States": {
            // Into the input, then projected: the results' snapshots undo to the combined value.
            "Each": each("$.env.sections", "$.env.mapped", "$.env", "ChangeMapped"),
            "ChangeMapped": {"Type": "Pass", "Result": "changed", "ResultPath": "$.mapped[0].title", "Next": "Deep"},
            // A new nested member, output whole.
            "Deep": each("$.mapped", "$.new.deep.mapped", "$", "ChangeDeep"),
            "ChangeDeep": {"Type": "Pass", "Result": 7, "ResultPath": "$.new.deep.mapped[1].rowCount", "Next": "Wrap"},
            "Wrap": {"Type": "Pass", "Parameters": {"w.$": "$"}, "Next": "Unwrap"},
            "Unwrap": {"Type": "Pass", "InputPath": "$.w", "Next": "Small"},
            // Outputs of about 1.4 KB together, through a ResultSelector wrapper and the ResultPath = OutputPath shortcut.
            "Small": small("ChangeSmall"),
            "ChangeSmall": {"Type": "Pass", "Result": "x", "ResultPath": "$.ids[0].id", "Next": "Branches"},
            "Branches": {"Type": "Parallel", "ResultPath": "$.par", "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Parameters": {"b.$": "$.ids"}, "End": true}}},
                {"StartAt": "B2", "States": {"B2": {"Type": "Map", "ItemsPath": "$.ids",
                    "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": true}}},
                    "End": true}}}
            ], "Next": "ChangePar"},
            "ChangePar": {"Type": "Pass", "Result": null, "ResultPath": "$.par[1][0].id", "Next": "Same"},
            // Branches that pass their input through: both outputs are the same shared value.
            "Same": {"Type": "Parallel", "ResultPath": "$.same", "Branches": [
                {"StartAt": "S1", "States": {"S1": {"Type": "Pass", "End": true}}},
                {"StartAt": "S2", "States": {"S2": {"Type": "Pass", "End": true}}}
            ], "Next": "ChangeSame"},
            "ChangeSame": {"Type": "Pass", "Result": 1, "ResultPath": "$.same[0].par", "OutputPath": "$.same[1]", "Next": "Ql"},
            "Ql": {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.par[1] %}",
                "ItemProcessor": {"StartAt": "Q", "States": {"Q": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.n %}", "End": true}}},
                "Output": "{% {'n': $states.result} %}", "Next": "Last"},
            "Last": {"Type": "Pass", "Result": 0, "ResultPath": "$.n[0]", "End": true}
        }
    });
    let events = check_history(def, big_doc(), false);
    let out = &events.last().unwrap()["executionSucceededEventDetails"]["output"];
    let out: Value = serde_json::from_str(out.as_str().unwrap()).unwrap();
    assert_eq!(
        out,
        json!({"n": [0, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40]})
    );
}

#[test]
fn map_iterations_and_task_results_over_a_large_payload() {
    let def = json!({
        "StartAt": "Each",
        "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.env.sections", "ResultPath": "$.env.mapped",
                "ItemProcessor": {"StartAt": "Tag", "States": {
                    "Tag": {"Type": "Pass", "Result": "t", "ResultPath": "$.tag", "Next": "Call"},
                    "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.call", "OutputPath": "$.call.id", "End": true}
                }},
                "Next": "Again"},
            "Again": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.env.audit", "End": true}
        }
    });
    check_history(def, big_doc(), false);
}

#[test]
fn a_loop_changing_a_mid_sized_payload_keeps_every_version() {
    // Each round writes into the payload the previous round's events share, so the older
    // versions form long chains of undo records; reading the history rebuilds each once.
    let def = json!({
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice", "Choices": [
                {"Variable": "$.i.n", "NumericLessThan": 40, "Next": "Inc"}
            ], "Default": "Done"},
            "Inc": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.i.n, 1)", "at.$": "$.rows[0].sku"},
                "ResultPath": "$.i", "Next": "Check"},
            "Done": {"Type": "Pass", "Result": "end", "ResultPath": "$.rows[1].sku", "End": true}
        }
    });
    let rows: Vec<Value> = (0..30)
        .map(|r| json!({"sku": format!("SKU-{r}"), "qty": r}))
        .collect();
    let events = check_history(def, json!({"i": {"n": 0}, "rows": rows}), true);
    let entered: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "PassStateEntered")
        .map(|e| &e["stateEnteredEventDetails"]["input"])
        .collect();
    assert_eq!(entered.len(), 41);
    for (n, input) in entered.iter().enumerate() {
        let v: Value = serde_json::from_str(input.as_str().unwrap()).unwrap();
        let want = if n < 40 { n } else { 40 };
        assert_eq!(v["i"]["n"], json!(want), "round {n}");
        assert_eq!(v["rows"][1]["sku"], json!("SKU-1"));
    }
}

/// An input that is `size` bytes of compact JSON, plus a state that adds `extra` bytes.
fn quota_case(total: usize) -> (Status, Option<String>) {
    let input_pad = 200 * 1024;
    let input = json!({"pad": "x".repeat(input_pad), "n": [1.25, 2, 3]});
    let base = serde_json::to_string(&input).unwrap().len();
    // `,"extra":"..."` adds 11 bytes plus the string.
    let extra = total - base - 11;
    let def = json!({
        "StartAt": "Grow",
        "States": {
            "Grow": {"Type": "Pass", "Result": "y".repeat(extra), "ResultPath": "$.extra", "Next": "Wrap"},
            "Wrap": {"Type": "Pass", "Parameters": {"w.$": "$"}, "End": true}
        }
    });
    let program = asl_interp::compile(&def).unwrap();
    let res = asl_interp::run(&program, input, &RunOptions::default(), &mut |_: &_| {
        TaskAnswer::Return(Value::Null)
    });
    if res.status == Status::Succeeded {
        let out = serde_json::to_string(res.output.as_ref().unwrap()).unwrap();
        assert_eq!(out.len(), total + 6, "the wrapper adds {{\"w\":}}");
    }
    (res.status, res.error)
}

#[test]
fn the_payload_quota_stays_exact_with_incremental_sizes() {
    let limit = 256 * 1024;
    // Grow's output is exactly the quota: it passes; the wrapper then goes over.
    let (status, error) = quota_case(limit);
    assert_eq!(status, Status::Failed);
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
    // One byte under the quota after the wrapper: both states pass.
    let (status, error) = quota_case(limit - 6);
    assert_eq!(status, Status::Succeeded, "{error:?}");
    // One byte over in Grow itself.
    let (status, error) = quota_case(limit + 1);
    assert_eq!(status, Status::Failed);
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
}
