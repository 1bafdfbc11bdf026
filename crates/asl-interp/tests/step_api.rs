//! The resumable step API as the browser host uses it: effects, callbacks, breakpoints,
//! virtual time and stopping.

use asl_interp::{Effect, Execution, RunOptions, Status, TaskAnswer};
use serde_json::json;

fn callback_machine() -> asl_interp::Program {
    asl_interp::compile(&json!({
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Next": "Ask"},
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "HeartbeatSeconds": 30,
                "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
                "Next": "Pause"
            },
            "Pause": {"Type": "Wait", "Seconds": 90, "End": true}
        }
    }))
    .expect("compiles")
}

#[test]
fn callback_heartbeat_breakpoint_and_wait() {
    let program = callback_machine();
    let mut exec = Execution::start(&program, json!({"x": 1}), &RunOptions::default());
    exec.set_breakpoints(vec!["Ask".to_string()]);
    let start = exec.now_ms();

    // The breakpoint stops before `Ask` is entered.
    let effects = exec.advance();
    assert_eq!(
        effects,
        vec![Effect::Breakpoint {
            state_name: "Ask".into()
        }]
    );
    // Going on issues the task call.
    let effects = exec.advance();
    let Some(Effect::InvokeTask(req)) = effects.first() else {
        panic!("expected a task call, got {effects:?}");
    };
    let token = req.task_token.clone().expect("a task token");
    assert_eq!(req.input["MessageBody"]["Token"], json!(token));
    assert!(exec.complete_task(
        req.task_id,
        TaskAnswer::Submitted {
            submitted: json!({"MessageId": "m"}),
            then: Box::new(TaskAnswer::Pending),
        }
    ));
    let effects = exec.advance();
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::AwaitCallback { token: t, .. } if *t == token)),
        "{effects:?}"
    );
    // Nothing runnable: the host sees the heartbeat deadline.
    let effects = exec.advance();
    assert_eq!(effects, vec![Effect::WaitUntil { ms: start + 30_000 }]);
    // A heartbeat at +20 s pushes the deadline, then the callback arrives.
    exec.advance_clock_to(start + 20_000);
    assert!(exec.send_task_heartbeat(&token));
    assert!(exec.send_task_success(&token, json!({"ok": true})));
    assert!(!exec.send_task_success(&token, json!({"again": true})));
    // The Wait state asks for virtual time.
    let effects = exec.advance();
    assert_eq!(
        effects,
        vec![Effect::WaitUntil {
            ms: start + 110_000
        }]
    );
    exec.advance_clock_to(start + 110_000);
    let effects = exec.advance();
    assert_eq!(effects, vec![Effect::Finished(Status::Succeeded)]);
    assert_eq!(exec.output(), Some(&json!({"ok": true})));
    let kinds: Vec<&str> = exec.events().iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn stop_aborts_a_waiting_execution() {
    let program = callback_machine();
    let mut exec = Execution::start(&program, json!({}), &RunOptions::default());
    let effects = exec.advance();
    assert!(matches!(effects.first(), Some(Effect::InvokeTask(_))));
    exec.stop(Some("User".into()), Some("stopped from the app".into()));
    assert_eq!(exec.status(), Status::Aborted);
    assert_eq!(exec.advance(), vec![Effect::Finished(Status::Aborted)]);
    let last = exec.events().pop().expect("events");
    assert_eq!(last.kind, "ExecutionAborted");
    assert_eq!(last.details["cause"], json!("stopped from the app"));
}

#[test]
fn step_mode_pauses_before_every_state() {
    let program = callback_machine();
    let mut exec = Execution::start(&program, json!({}), &RunOptions::default());
    exec.set_step_mode(true);
    assert_eq!(
        exec.advance(),
        vec![Effect::Breakpoint {
            state_name: "Prepare".into()
        }]
    );
    assert_eq!(
        exec.advance(),
        vec![Effect::Breakpoint {
            state_name: "Ask".into()
        }]
    );
    exec.set_step_mode(false);
    assert!(matches!(
        exec.advance().first(),
        Some(Effect::InvokeTask(_))
    ));
}
