//! The run engine: drives an `asl_interp::Execution` with mocks (MockConfigFile test cases, page
//! mocks from `window.aslStudio.registerMock`, or the unmocked policy), records callbacks and
//! breakpoints, and turns history events into the graph overlay and the step table.

use std::collections::{BTreeMap, BTreeSet};

use asl_graph::{Overlay, Status as NodeStatus};
use asl_interp::mock::{MockConfig, Mocks, Unmocked};
use asl_interp::{
    Effect, Execution, Integration, RunOptions, Status, TaskAnswer, TaskHandler, TaskRequest,
};
use serde_json::{Value, json};

use crate::platform::js_api::{self, JsAnswer};

/// A history event as the views show it (from a run or an imported history).
#[derive(Clone, Debug, PartialEq)]
pub struct EventView {
    /// The event id.
    pub id: u64,
    /// The AWS event type.
    pub kind: String,
    /// Milliseconds since the execution started.
    pub at_ms: i64,
    /// The details object.
    pub details: Value,
}

/// A callback task waiting for the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    /// The task token.
    pub token: String,
    /// The Task state's name.
    pub state: String,
}

/// What stopped the pump.
#[derive(Clone, Debug, PartialEq)]
pub enum Halt {
    /// The execution finished.
    Finished(String),
    /// Waiting for callbacks or page mocks.
    Blocked,
    /// At a breakpoint (or after one step).
    Paused(Option<String>),
    /// Scaled real time: nothing runs before virtual time `ms` (a Wait state or a back-off).
    Sleeping(i64),
}

/// One execution in progress.
pub struct Run {
    exec: Execution,
    mocks: Mocks,
    answer_callbacks: bool,
    /// Callback tasks waiting for the user.
    pub waiting: Vec<Waiting>,
    /// Page-mock promises still pending (task ids).
    pub pending_js: BTreeSet<u64>,
    /// Effects not handled yet (after a step).
    queued: Vec<Effect>,
    /// The state of each task call, for the callback cards.
    task_states: BTreeMap<u64, String>,
    started_ms: i64,
}

/// Options of a run.
pub struct RunSetup {
    /// The definition.
    pub definition: Value,
    /// The execution input.
    pub input: Value,
    /// The MockConfigFile text (may be empty).
    pub mock_config: String,
    /// The test case to use, if any.
    pub test_case: Option<String>,
    /// Echo the input of unmocked tasks instead of failing them.
    pub echo_unmocked: bool,
    /// Callback tasks wait for the user even when mocked.
    pub answer_callbacks: bool,
    /// Breakpoints.
    pub breakpoints: Vec<String>,
    /// The state machine name (to pick the test case's machine).
    pub machine_name: String,
    /// Run as an Express workflow (its limits apply).
    pub express: bool,
}

/// Reads the test cases of a MockConfigFile text.
pub fn test_cases(mock_config: &str) -> Vec<String> {
    MockConfig::from_text(mock_config)
        .map(|c| c.test_cases().into_iter().map(|(_, t)| t).collect())
        .unwrap_or_default()
}

impl Run {
    /// Compiles and starts an execution.
    pub fn start(setup: RunSetup) -> Result<Run, String> {
        let program = asl_interp::compile(&setup.definition).map_err(|e| format!("{e:?}"))?;
        let mut mocks = match (&setup.test_case, setup.mock_config.trim().is_empty()) {
            (Some(case), false) => {
                let config =
                    MockConfig::from_text(&setup.mock_config).map_err(|e| e.to_string())?;
                let machine =
                    (!setup.machine_name.is_empty()).then_some(setup.machine_name.as_str());
                config.mocks(machine, case).map_err(|e| e.to_string())?
            }
            _ => Mocks::new(),
        };
        mocks = mocks.with_unmocked(if setup.echo_unmocked {
            Unmocked::EchoInput
        } else {
            Unmocked::Fail
        });
        let mut options = RunOptions::default();
        if setup.express {
            // AWS refuses to create such an Express machine, so nothing runs.
            if let Some(why) = asl_designer::simulation::tests::express_refusal(&setup.definition) {
                return Err(why);
            }
            options.machine_type = asl_interp::MachineType::Express;
        }
        let mut exec = Execution::start(&program, setup.input, &options);
        exec.set_breakpoints(setup.breakpoints);
        let started_ms = exec.now_ms();
        Ok(Run {
            exec,
            mocks,
            answer_callbacks: setup.answer_callbacks,
            waiting: Vec::new(),
            pending_js: BTreeSet::new(),
            queued: Vec::new(),
            task_states: BTreeMap::new(),
            started_ms,
        })
    }

    /// The execution.
    pub fn execution(&self) -> &Execution {
        &self.exec
    }

    /// Handles effects until the execution finishes, blocks or pauses; with `step`, stops after
    /// the first state transition.
    pub fn pump(
        &mut self,
        step: bool,
        realtime: bool,
        js: &mut Vec<(u64, js_sys::Promise)>,
    ) -> Halt {
        let mut budget = 100_000;
        let before = self.exec.event_count();
        loop {
            budget -= 1;
            if budget == 0 {
                return Halt::Paused(None);
            }
            let effects = if self.queued.is_empty() {
                self.exec.advance()
            } else {
                std::mem::take(&mut self.queued)
            };
            if effects.is_empty() {
                return Halt::Blocked;
            }
            let mut pause = None;
            for effect in effects {
                match effect {
                    Effect::InvokeTask(req) => self.invoke(req, js),
                    Effect::AwaitCallback { token, task_id } => {
                        if !self.waiting.iter().any(|w| w.token == token) {
                            let state = self.task_states.get(&task_id).cloned().unwrap_or_default();
                            self.waiting.push(Waiting { token, state });
                        }
                    }
                    Effect::WaitUntil { ms } if realtime => return Halt::Sleeping(ms),
                    Effect::WaitUntil { ms } => self.exec.advance_clock_to(ms),
                    Effect::Breakpoint { state_name } => pause = Some(state_name),
                    Effect::Finished(status) => return Halt::Finished(status.as_aws().to_owned()),
                }
            }
            if let Some(state) = pause {
                return Halt::Paused(Some(state));
            }
            if step && self.exec.event_count() > before {
                return Halt::Paused(None);
            }
            if !self.waiting.is_empty() && self.exec.status() == Status::Running && !js.is_empty() {
                return Halt::Blocked;
            }
        }
    }

    fn invoke(&mut self, req: TaskRequest, js: &mut Vec<(u64, js_sys::Promise)>) {
        self.task_states.insert(req.task_id, req.state_name.clone());
        let context = json!({
            "state": req.state_name,
            "resource": req.resource,
            "invocation": req.invocation,
            "retryCount": req.retry_count,
            "mapIndex": req.map_path.last().map(|(_, i)| *i),
            "taskToken": req.task_token,
        });
        if let Some(answer) =
            js_api::call_mock(&req.state_name, &req.resource, &req.input, &context)
        {
            match answer {
                JsAnswer::Value(v) => {
                    self.exec.complete_task(req.task_id, TaskAnswer::Return(v));
                }
                JsAnswer::Threw(error, cause) => {
                    self.exec.complete_task(
                        req.task_id,
                        TaskAnswer::Throw {
                            error: Some(error),
                            cause: Some(cause),
                        },
                    );
                }
                JsAnswer::Promise(p) => {
                    self.pending_js.insert(req.task_id);
                    js.push((req.task_id, p));
                }
            }
            return;
        }
        if req.integration == Integration::WaitForTaskToken && self.answer_callbacks {
            self.exec.complete_task(req.task_id, TaskAnswer::Pending);
            return;
        }
        let answer = self.mocks.invoke(&req);
        self.exec.complete_task(req.task_id, answer);
    }

    /// Moves the virtual clock (after a real-time sleep).
    pub fn advance_clock_to(&mut self, ms: i64) {
        self.exec.advance_clock_to(ms);
    }

    /// The virtual time now, in milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.exec.now_ms()
    }

    /// The variables in scope and the execution's error, for step details.
    pub fn variables(&self) -> serde_json::Map<String, Value> {
        self.exec.variables()
    }

    /// Completes a task a page mock answered later.
    pub fn complete_js(&mut self, task_id: u64, result: Result<Value, (String, String)>) {
        self.pending_js.remove(&task_id);
        let answer = match result {
            Ok(v) => TaskAnswer::Return(v),
            Err((error, cause)) => TaskAnswer::Throw {
                error: Some(error),
                cause: Some(cause),
            },
        };
        self.exec.complete_task(task_id, answer);
    }

    /// Sends a callback outcome; `Ok` = success output, `Err` = (error, cause); `None` = heartbeat.
    pub fn callback(&mut self, token: &str, outcome: Option<Result<Value, (String, String)>>) {
        match outcome {
            None => {
                self.exec.send_task_heartbeat(token);
                return;
            }
            Some(Ok(v)) => {
                self.exec.send_task_success(token, v);
            }
            Some(Err((e, c))) => {
                self.exec.send_task_failure(token, Some(e), Some(c));
            }
        }
        self.waiting.retain(|w| w.token != token);
    }

    /// Stops the execution.
    pub fn stop(&mut self) {
        self.exec.stop(None, Some("Stopped in ASL Studio".into()));
        self.waiting.clear();
    }

    /// The events for the views.
    pub fn events(&self) -> Vec<EventView> {
        self.exec
            .events()
            .into_iter()
            .map(|e| EventView {
                id: e.id,
                kind: e.kind.to_owned(),
                at_ms: e.timestamp_ms - self.started_ms,
                details: e.details,
            })
            .collect()
    }

    /// The history as `GetExecutionHistory` returns it.
    pub fn history_json(&self) -> Value {
        let events: Vec<Value> = self.exec.events().iter().map(|e| e.to_aws_json()).collect();
        json!({ "events": events })
    }
}

/// Reads an imported `GetExecutionHistory` JSON (`{"events": [...]}` or a bare array).
pub fn import_history(text: &str) -> Result<Vec<EventView>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("Not valid JSON: {e}"))?;
    let events = v
        .get("events")
        .and_then(Value::as_array)
        .or_else(|| v.as_array())
        .ok_or("Expected {\"events\": [...]}")?;
    let mut start = None;
    let mut out = Vec::new();
    for e in events {
        let kind = e
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let ts = e.get("timestamp").map(parse_timestamp).unwrap_or(0);
        let start = *start.get_or_insert(ts);
        let details = asl_interp::details_key(&kind)
            .and_then(|k| e.get(k).cloned())
            .unwrap_or(Value::Null);
        out.push(EventView {
            id: e.get("id").and_then(Value::as_u64).unwrap_or(0),
            kind,
            at_ms: ts - start,
            details,
        });
    }
    Ok(out)
}

fn parse_timestamp(v: &Value) -> i64 {
    if let Some(n) = v.as_f64() {
        // Epoch seconds (as the AWS CLI prints them).
        return (n * 1000.0) as i64;
    }
    let s = v.as_str().unwrap_or_default();
    asl_interp::time::parse_iso_millis(s).unwrap_or(0)
}

/// One row of the step table.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRow {
    /// The state name.
    pub name: String,
    /// The state type (from the event type).
    pub ty: String,
    /// The status.
    pub status: &'static str,
    /// Milliseconds from the start of the execution when the state was entered.
    pub started: i64,
    /// How long it took, if it ended.
    pub duration: Option<i64>,
    /// Failed attempts as (start, end) offsets, for the timeline.
    pub failed_attempts: Vec<(i64, i64)>,
    /// Index of the entered event in the event list.
    pub entered_event: usize,
    /// Index of the exited event, if any.
    pub exited_event: Option<usize>,
    /// True while the last attempt failed (a later exit means the error was caught).
    last_failed: bool,
}

/// The overlay and the step table of a list of events.
pub fn summarise(events: &[EventView]) -> (Overlay, Vec<StepRow>, Option<usize>) {
    let mut status: BTreeMap<String, NodeStatus> = BTreeMap::new();
    let mut badges: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut rows: Vec<StepRow> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut attempt_start: BTreeMap<usize, i64> = BTreeMap::new();
    let mut failing_event = None;
    for (i, e) in events.iter().enumerate() {
        let name = e
            .details
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(ty) = e.kind.strip_suffix("StateEntered") {
            // A new state entered while a failed one is still open means the failure was caught.
            let caught: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&r| rows[r].last_failed && rows[r].ty != "Parallel" && rows[r].ty != "Map")
                .collect();
            for r in caught {
                rows[r].status = "caught";
                rows[r].duration = Some(e.at_ms - rows[r].started);
                status.insert(rows[r].name.clone(), NodeStatus::Caught);
                open.retain(|&o| o != r);
            }
            let entries = rows.iter().filter(|r| r.name == name).count() as u32 + 1;
            if entries > 1 {
                badges.entry(name.clone()).or_default().1 = entries;
            }
            rows.push(StepRow {
                name: name.clone(),
                ty: ty.to_owned(),
                status: "running",
                started: e.at_ms,
                duration: None,
                failed_attempts: Vec::new(),
                entered_event: i,
                exited_event: None,
                last_failed: false,
            });
            open.push(rows.len() - 1);
            status.insert(name, NodeStatus::Running);
        } else if e.kind.ends_with("StateExited") {
            if let Some(pos) = open.iter().rposition(|&r| rows[r].name == name) {
                let r = open.remove(pos);
                let caught = rows[r].last_failed;
                rows[r].status = if caught { "caught" } else { "succeeded" };
                rows[r].duration = Some(e.at_ms - rows[r].started);
                rows[r].exited_event = Some(i);
                status.insert(
                    name,
                    if caught {
                        NodeStatus::Caught
                    } else {
                        NodeStatus::Succeeded
                    },
                );
            }
        } else if e.kind.ends_with("Scheduled")
            || e.kind.ends_with("Started")
                && !e.kind.starts_with("Execution")
                && !e.kind.starts_with("Map")
        {
            if let Some(&r) = open.last() {
                attempt_start.insert(r, e.at_ms);
            }
        } else if (e.kind.ends_with("Failed") || e.kind.ends_with("TimedOut"))
            && !e.kind.starts_with("Execution")
        {
            if let Some(&r) = open.last() {
                rows[r].last_failed = true;
                let start = attempt_start.get(&r).copied().unwrap_or(rows[r].started);
                rows[r].failed_attempts.push((start, e.at_ms));
                let n = rows[r].failed_attempts.len() as u32;
                let name = rows[r].name.clone();
                badges.entry(name).or_default().0 = n;
                failing_event = Some(i);
            }
        } else if e.kind.ends_with("Succeeded") && !e.kind.starts_with("Execution") {
            if let Some(&r) = open.last() {
                rows[r].last_failed = false;
            }
        } else if matches!(
            e.kind.as_str(),
            "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted"
        ) {
            let st = if e.kind == "ExecutionAborted" {
                NodeStatus::Cancelled
            } else {
                NodeStatus::Failed
            };
            for &r in &open {
                rows[r].status = if st == NodeStatus::Failed {
                    "failed"
                } else {
                    "cancelled"
                };
                status.insert(rows[r].name.clone(), st);
            }
            open.clear();
            if failing_event.is_none() {
                failing_event = Some(i);
            }
        }
    }
    let overlay = Overlay {
        node_status: status,
        badges,
        edge_taken: None,
    };
    (overlay, rows, failing_event)
}
