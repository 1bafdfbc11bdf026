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

/// `ActivityStarted` records the worker's name when the host gives one (through the
/// handler, `Mocks`, or `set_worker_name`), and an empty object otherwise, as AWS does.
#[test]
fn activity_worker_names() {
    use asl_interp::TaskHandler;
    use asl_interp::mock::Mocks;
    let program = asl_interp::compile(&json!({
        "StartAt": "Work",
        "States": {"Work": {
            "Type": "Task",
            "Resource": "arn:aws:states:us-east-1:111111111111:activity:queue",
            "End": true
        }}
    }))
    .expect("compiles");
    let started = |exec: &Execution| {
        exec.events()
            .iter()
            .find(|e| e.kind == "ActivityStarted")
            .map(|e| e.details.clone())
    };
    let mocks = || Mocks::from_state_map(&json!({"Work": [{"Return": {"ok": 1}}]})).unwrap();

    let mut named = mocks().with_worker_name("worker-7");
    let mut exec = Execution::start(&program, json!({}), &RunOptions::default());
    asl_interp::drive(&mut exec, &mut named);
    assert_eq!(exec.status(), Status::Succeeded);
    assert_eq!(started(&exec), Some(json!({"workerName": "worker-7"})));

    let mut anonymous = mocks();
    assert_eq!(
        anonymous.worker_name(&asl_interp::TaskRequest {
            task_id: 1,
            state_name: "Work".into(),
            resource: "".into(),
            input: json!({}).into(),
            invocation: 0,
            retry_count: 0,
            map_path: Vec::new().into(),
            task_token: None,
            integration: asl_interp::Integration::Activity,
        }),
        None
    );
    let mut exec = Execution::start(&program, json!({}), &RunOptions::default());
    asl_interp::drive(&mut exec, &mut anonymous);
    assert_eq!(started(&exec), Some(json!({})));

    // A step-driven host names the worker before answering.
    let mut exec = Execution::start(&program, json!({}), &RunOptions::default());
    let effects = exec.advance();
    let Some(Effect::InvokeTask(req)) = effects.first() else {
        panic!("expected a task call, got {effects:?}");
    };
    assert!(exec.set_worker_name(req.task_id, "browser"));
    assert!(exec.complete_task(req.task_id, TaskAnswer::Return(json!({"ok": 2}))));
    exec.advance();
    assert_eq!(started(&exec), Some(json!({"workerName": "browser"})));
    // Once started, the name can no longer change.
    assert!(!exec.set_worker_name(req.task_id, "late"));
}

/// Drives an execution, answering tasks with their input, through `advance` or through
/// `advance_bounded(budget)`; returns the history and how many calls gave up.
fn drive_map(bounded: Option<usize>) -> (Vec<serde_json::Value>, usize) {
    let program = asl_interp::compile(&json!({
        "StartAt": "Each",
        "States": {"Each": {
            "Type": "Map", "ItemsPath": "$.items", "ResultPath": null, "End": true,
            "ItemProcessor": {"StartAt": "Shape", "States": {
                "Shape": {"Type": "Pass", "Next": "Store"},
                "Store": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
            }}
        }}
    }))
    .expect("compiles");
    let items: Vec<u32> = (0..50).collect();
    let mut exec = Execution::start(&program, json!({ "items": items }), &RunOptions::default());
    let mut gave_up = 0;
    loop {
        let effects = match bounded {
            None => exec.advance(),
            Some(budget) => match exec.advance_bounded(budget) {
                Some(effects) => effects,
                None => {
                    gave_up += 1;
                    continue;
                }
            },
        };
        if effects.is_empty() {
            break;
        }
        let mut finished = false;
        for e in effects {
            match e {
                Effect::InvokeTask(req) => {
                    exec.complete_task(req.task_id, TaskAnswer::Return((*req.input).clone()));
                }
                Effect::Finished(_) => finished = true,
                _ => {}
            }
        }
        if finished {
            break;
        }
    }
    assert_eq!(exec.status(), Status::Succeeded);
    (
        exec.events().iter().map(|e| e.to_aws_json()).collect(),
        gave_up,
    )
}

#[test]
fn bounded_advance_gives_the_same_history_in_smaller_pieces() {
    let (whole, _) = drive_map(None);
    let (pieces, gave_up) = drive_map(Some(4));
    assert_eq!(whole, pieces);
    // The Map starts 50 iterations at once: a budget of 4 gives up many times.
    assert!(gave_up >= 10, "gave up {gave_up} times");
}
