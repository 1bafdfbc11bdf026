//! Native tests of the embed calls: rendering, escaping, validation, runs with both mock
//! formats and host handlers, the step API and overlays from interpreter and AWS histories.

use asl_embed::{api, overlay};
use asl_interp::TaskAnswer;
use serde_json::{Value, json};

const CHOICE_CATCH: &str = r#"{
  "StartAt": "Validate",
  "States": {
    "Validate": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",
      "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Rejected" }],
      "Next": "Big?"
    },
    "Big?": { "Type": "Choice", "Choices": [{ "Variable": "$.amount", "NumericGreaterThan": 10, "Next": "Review" }], "Default": "Done" },
    "Review": { "Type": "Pass", "Next": "Done" },
    "Rejected": { "Type": "Pass", "End": true },
    "Done": { "Type": "Succeed" }
  }
}"#;

fn states(svg: &str) -> usize {
    svg.matches("<g class=\"state").count()
}

#[test]
fn renders_every_state_with_theme() {
    let svg = api::render(CHOICE_CATCH, &json!({ "theme": "dark" }));
    assert!(svg.contains("theme-dark"));
    assert_eq!(states(&svg), 5);
    let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n";
    assert_eq!(states(&api::render(yaml, &Value::Null)), 1);
}

#[test]
fn markup_in_names_and_comments_is_escaped() {
    let evil = r#"{"Comment": "<img src=x onerror=alert(1)>", "StartAt": "<img src=x onerror=alert(1)>",
      "States": {"<img src=x onerror=alert(1)>": {"Type": "Pass", "Comment": "<script>alert(2)</script>", "End": true}}}"#;
    let svg = api::render(evil, &Value::Null);
    assert!(!svg.contains("<img"), "{svg}");
    assert!(!svg.contains("<script"), "{svg}");
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"), "{svg}");
    assert_eq!(states(&svg), 1);
}

#[test]
fn validates() {
    let v = api::validate(CHOICE_CATCH);
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["states"], 5);
    let text = "{\n  \"StartAt\": \"Nope\",\n  \"States\": {}\n}";
    let bad = api::validate(text);
    assert_eq!(bad["valid"], false);
    // The shape `asl validate --format json` prints (and the embed README documents).
    let (_, diags) = asl_core::check(text, asl_core::Format::Json);
    assert_eq!(
        bad["diagnostics"],
        asl_core::report::to_json("x", text, &diags)["diagnostics"]
    );
    let nope = bad["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["pointer"] == "/StartAt")
        .expect("the StartAt diagnostic");
    assert_eq!(
        (nope["line"].as_u64(), nope["column"].as_u64()),
        (Some(2), Some(14)),
        "{nope}"
    );
    let span = &nope["span"];
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "\"Nope\"");
}

#[test]
fn bad_arguments_are_refused_with_aws_error_names() {
    let r = api::run(CHOICE_CATCH, "{", "", "");
    assert_eq!(
        (r["status"].as_str(), r["error"].as_str()),
        (Some("ERROR"), Some("InvalidExecutionInput")),
        "{r}"
    );
    let r = api::run(CHOICE_CATCH, "", "[1]", "");
    assert_eq!(r["error"], "ValidationException", "{r}");
    let r = api::run(CHOICE_CATCH, "", "", "[]");
    assert_eq!(r["error"], "ValidationException", "{r}");
    let r = api::run("StartAt: [", "", "", "");
    assert_eq!(r["error"], "InvalidDefinition", "{r}");
}

#[test]
fn runs_with_compact_mocks_and_mock_config() {
    let compact =
        json!({ "Validate": [{ "Return": { "Payload": { "amount": 42 } } }] }).to_string();
    let r = api::run(CHOICE_CATCH, r#"{"x":1}"#, &compact, "");
    assert_eq!(r["status"], "SUCCEEDED", "{r}");
    assert_eq!(r["output"], json!({ "amount": 42 }));
    let config = json!({
        "StateMachines": { "M": { "TestCases": { "Fails": { "Validate": "Boom" } } } },
        "MockedResponses": { "Boom": { "0": { "Throw": { "Error": "Oops", "Cause": "bad" } } } }
    })
    .to_string();
    let r = api::run(CHOICE_CATCH, "", &config, "");
    assert_eq!(r["status"], "SUCCEEDED", "{r}");
    let o = overlay::from_history(&r["events"]);
    assert_eq!(o["states"]["Validate"]["status"], "caught", "{o}");
    assert_eq!(o["states"]["Rejected"]["status"], "succeeded");
    assert!(o["states"].get("Review").is_none());
    let r = api::run(CHOICE_CATCH, "", &config, r#"{"testCase": "Missing"}"#);
    assert_eq!(r["status"], "ERROR", "{r}");
}

#[test]
fn host_handler_answers_first_and_throws_fail_tasks() {
    let mut calls = Vec::new();
    let r = api::run_with(CHOICE_CATCH, "", "", "", &mut |req| {
        calls.push(req.state_name.to_string());
        Some(TaskAnswer::Throw {
            error: Some("TypeError".into()),
            cause: Some("nope".into()),
        })
    });
    assert_eq!(calls, ["Validate"]);
    assert_eq!(r["status"], "SUCCEEDED");
    let failed = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "TaskFailed")
        .unwrap();
    assert_eq!(failed["taskFailedEventDetails"]["error"], "TypeError");
    // Without mocks or handler, tasks fail with Mock.NotFound and the Catch takes over.
    let r = api::run(CHOICE_CATCH, "", "", "");
    assert_eq!(r["output"]["Error"], "Mock.NotFound", "{r}");
}

#[test]
fn step_api_drives_like_the_sync_driver() {
    let p = api::RunRequest::read(CHOICE_CATCH, r#"{}"#, "", "")
        .ok()
        .unwrap();
    let mut exec = asl_interp::Execution::start(&p.program, p.input.clone(), &p.options);
    let mut asked = 0;
    while let api::Step::Tasks(tasks) = api::step(&mut exec) {
        for t in tasks {
            asked += 1;
            exec.complete_task(
                t.task_id,
                TaskAnswer::Return(json!({ "Payload": { "amount": 99 } })),
            );
        }
    }
    assert_eq!(asked, 1);
    let r = api::result_json(&exec);
    assert_eq!(r["status"], "SUCCEEDED");
    let o = overlay::from_history(&r["events"]);
    assert_eq!(o["states"]["Review"]["status"], "succeeded");
    assert!(
        o["edges"]
            .as_array()
            .unwrap()
            .contains(&json!(["Big?", "Review"])),
        "{o}"
    );
    let svg = api::render(
        CHOICE_CATCH,
        &json!({ "history": r["events"], "coverage": true }),
    );
    assert!(svg.contains("status-succeeded"));
    assert!(svg.contains("not-taken"));
}

#[test]
fn overlay_reads_aws_histories_with_string_payloads() {
    // The shape of `aws stepfunctions get-execution-history`: payloads are JSON text, the
    // first state's previousEventId is 0, a Map failure is caught.
    let history = json!({ "events": [
        { "id": 1, "previousEventId": 0, "type": "ExecutionStarted", "executionStartedEventDetails": { "input": "{}" } },
        { "id": 2, "previousEventId": 0, "type": "MapStateEntered", "stateEnteredEventDetails": { "name": "M", "input": "{}" } },
        { "id": 3, "previousEventId": 2, "type": "MapIterationStarted", "mapIterationStartedEventDetails": { "index": 0, "name": "M" } },
        { "id": 4, "previousEventId": 3, "type": "FailStateEntered", "stateEnteredEventDetails": { "name": "Boom", "input": "1" } },
        { "id": 5, "previousEventId": 4, "type": "MapIterationFailed", "mapIterationFailedEventDetails": { "index": 0, "name": "M" } },
        { "id": 6, "previousEventId": 4, "type": "MapStateFailed" },
        { "id": 7, "previousEventId": 6, "type": "MapStateExited", "stateExitedEventDetails": { "name": "M", "output": "{}" } },
        { "id": 8, "previousEventId": 7, "type": "TaskStateEntered", "stateEnteredEventDetails": { "name": "T", "input": "{}" } },
        { "id": 9, "previousEventId": 8, "type": "TaskScheduled", "taskScheduledEventDetails": {} },
        { "id": 10, "previousEventId": 9, "type": "TaskFailed", "taskFailedEventDetails": { "error": "E" } },
        { "id": 11, "previousEventId": 10, "type": "TaskScheduled", "taskScheduledEventDetails": {} },
        { "id": 12, "previousEventId": 11, "type": "TaskSucceeded", "taskSucceededEventDetails": { "output": "{}" } },
        { "id": 13, "previousEventId": 12, "type": "TaskStateExited", "stateExitedEventDetails": { "name": "T", "output": "{}" } },
        { "id": 14, "previousEventId": 13, "type": "ExecutionSucceeded", "executionSucceededEventDetails": { "output": "{}" } }
    ]});
    let o = overlay::from_history(&history);
    assert_eq!(o["status"], "SUCCEEDED");
    assert_eq!(o["states"]["M"]["status"], "caught", "{o}");
    assert_eq!(o["states"]["Boom"]["status"], "failed");
    assert_eq!(o["states"]["T"]["status"], "succeeded");
    assert_eq!(o["states"]["T"]["retries"], 1);
    let ov = overlay::to_overlay(&o, false);
    assert_eq!(ov.badges.get("T"), Some(&(1, 0)));
    assert!(ov.edge_taken.is_none());
    assert_eq!(overlay::from_history(&json!("junk"))["states"], json!({}));
}
