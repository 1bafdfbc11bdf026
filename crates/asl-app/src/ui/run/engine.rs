//! The run engine: drives an `asl_interp::Execution` with mocks (MockConfigFile test cases, page
//! mocks from `window.aslStudio.registerMock`, or the unmocked policy), records callbacks and
//! breakpoints, and turns history events into the graph overlay and the step table.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    /// Milliseconds since the Unix epoch.
    pub ts_ms: i64,
    /// The id of the previous event in the same logical thread (0 for none).
    pub prev: u64,
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
    /// The time slice is used up: the run goes on after the browser had a turn.
    Yield,
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
    /// How many events [`Run::new_events`] has handed out.
    converted: usize,
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
            converted: 0,
        })
    }

    /// The execution.
    pub fn execution(&self) -> &Execution {
        &self.exec
    }

    /// Handles effects until the execution finishes, blocks or pauses, or until `deadline`
    /// (a `performance.now()` time) passes; with `step`, stops after the first state transition.
    pub fn pump(
        &mut self,
        step: bool,
        realtime: bool,
        deadline: f64,
        js: &mut Vec<(u64, js_sys::Promise)>,
    ) -> Halt {
        let before = self.exec.event_count();
        let mut rounds = 0u32;
        loop {
            rounds = rounds.wrapping_add(1);
            if rounds.is_multiple_of(32) && crate::platform::dom::now_ms() > deadline {
                return Halt::Yield;
            }
            let effects = if self.queued.is_empty() {
                match self.exec.advance_bounded(64) {
                    Some(effects) => effects,
                    // More is runnable: check the time slice, then go on.
                    None if crate::platform::dom::now_ms() > deadline => return Halt::Yield,
                    None => continue,
                }
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
        self.task_states
            .insert(req.task_id, String::from(&*req.state_name));
        let context = json!({
            "state": &*req.state_name,
            "resource": &*req.resource,
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

    /// The events recorded since the last call, for the views.
    pub fn new_events(&mut self) -> Vec<EventView> {
        let count = self.exec.event_count();
        let out = (self.converted..count)
            .filter_map(|i| self.exec.event(i))
            .map(|e| EventView {
                id: e.id,
                kind: e.kind.to_owned(),
                at_ms: e.timestamp_ms - self.started_ms,
                ts_ms: e.timestamp_ms,
                prev: e.previous_event_id,
                details: e.details,
            })
            .collect();
        self.converted = count;
        out
    }

    /// The error and cause of a failed, timed-out or aborted execution.
    pub fn error(&self) -> Option<(String, String)> {
        if matches!(self.exec.status(), Status::Running | Status::Succeeded) {
            return None;
        }
        let last = self.exec.event(self.exec.event_count().checked_sub(1)?)?;
        let text = |k: &str| {
            last.details
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        Some((text("error"), text("cause")))
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
            ts_ms: ts,
            prev: e
                .get("previousEventId")
                .and_then(Value::as_u64)
                .unwrap_or(0),
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
    /// Where the step ran: the Map iterations (`(map, "#index")`) and Parallel branches
    /// (`(parallel, first state of the branch)`) around it, outermost first.
    pub scope: Scope,
    /// True while the last attempt failed (a later exit means the error was caught).
    last_failed: bool,
}

/// A path of Map iterations and Parallel branches.
pub type Scope = Vec<(String, String)>;

/// The scope of every event, from `previousEventId` links: an iteration starts at
/// `MapIterationStarted`, a branch at a state entered right after `ParallelStateStarted`;
/// a Map or Parallel state's own closing events leave its scope.
#[derive(Default)]
pub struct ScopeIndex {
    index: HashMap<u64, usize>,
    out: Vec<Scope>,
}

impl ScopeIndex {
    /// Reads the events not read yet (the list only grows).
    pub fn feed(&mut self, events: &[EventView]) {
        let ScopeIndex { index, out } = self;
        for (i, e) in events.iter().enumerate().skip(out.len()) {
            index.insert(e.id, i);
            let prev = index.get(&e.prev).copied();
            let mut scope = prev.map(|p| out[p].clone()).unwrap_or_default();
            let name = e.details.get("name").and_then(Value::as_str);
            match e.kind.as_str() {
                "MapIterationStarted" => {
                    let index = e.details.get("index").and_then(Value::as_u64).unwrap_or(0);
                    scope.push((name.unwrap_or_default().to_owned(), format!("#{index}")));
                }
                "MapStateExited" | "ParallelStateExited" => {
                    if let Some(at) = scope.iter().position(|(s, _)| Some(s.as_str()) == name) {
                        scope.truncate(at);
                    }
                }
                k if (k.starts_with("MapState") || k.starts_with("ParallelState"))
                    && (k.ends_with("Succeeded")
                        || k.ends_with("Failed")
                        || k.ends_with("Aborted")) =>
                {
                    // The innermost iteration or branch of this state ends.
                    let ty = if k.starts_with("Map") {
                        "Map"
                    } else {
                        "Parallel"
                    };
                    if let Some(owner) = opener(events, index, e, ty)
                        && let Some(at) = scope.iter().position(|(s, _)| *s == owner)
                    {
                        scope.truncate(at);
                    }
                }
                k if k.ends_with("StateEntered") => {
                    if let Some(p) = prev
                        && events[p].kind == "ParallelStateStarted"
                        && let Some(owner) = opener(events, index, &events[p], "Parallel")
                    {
                        scope.push((owner, name.unwrap_or_default().to_owned()));
                    }
                }
                _ => {}
            }
            out.push(scope);
        }
    }
}

/// The name of the Map or Parallel state a `*StateStarted`/closing event belongs to: the
/// nearest `<ty>StateEntered` on its `previousEventId` chain.
fn opener(
    events: &[EventView],
    index: &HashMap<u64, usize>,
    e: &EventView,
    ty: &str,
) -> Option<String> {
    let want = format!("{ty}StateEntered");
    let mut at = index.get(&e.prev).copied();
    let mut guard = 0;
    while let Some(i) = at {
        guard += 1;
        if guard > 100_000 {
            return None;
        }
        let ev = &events[i];
        if ev.kind == want {
            return ev
                .details
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        at = index.get(&ev.prev).copied();
    }
    None
}

/// The rows still open while a history is read, with cheap lookups for long runs.
#[derive(Default)]
struct OpenRows {
    order: Vec<usize>,
    closed: std::collections::HashSet<usize>,
    by_name: HashMap<String, Vec<usize>>,
    /// Open rows whose last attempt failed.
    failed: BTreeSet<usize>,
}

impl OpenRows {
    fn push(&mut self, row: usize, name: &str) {
        self.order.push(row);
        self.by_name.entry(name.to_owned()).or_default().push(row);
    }

    fn close(&mut self, row: usize) {
        self.closed.insert(row);
        self.failed.remove(&row);
    }

    /// The innermost open row.
    fn last(&mut self) -> Option<usize> {
        while let Some(&r) = self.order.last() {
            if self.closed.contains(&r) {
                self.order.pop();
            } else {
                return Some(r);
            }
        }
        None
    }

    /// Closes and returns the latest open row of a state.
    fn take_by_name(&mut self, name: &str) -> Option<usize> {
        let rows = self.by_name.get_mut(name)?;
        while let Some(r) = rows.pop() {
            if !self.closed.contains(&r) {
                self.close(r);
                return Some(r);
            }
        }
        None
    }

    fn all(&mut self) -> Vec<usize> {
        let out: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|r| !self.closed.contains(r))
            .collect();
        for &r in &out {
            self.close(r);
        }
        out
    }
}

/// The overlay and the step table, built incrementally as a run's events arrive.
#[derive(Default)]
pub struct Summary {
    status: BTreeMap<String, NodeStatus>,
    badges: BTreeMap<String, (u32, u32)>,
    /// The step table.
    pub rows: Vec<StepRow>,
    open: OpenRows,
    entries: HashMap<String, u32>,
    attempt_start: BTreeMap<usize, i64>,
    /// The event where the execution failed, if it did.
    pub failing_event: Option<usize>,
    scopes: ScopeIndex,
    seen: usize,
}

impl Summary {
    /// Reads the events not read yet (the list only grows).
    pub fn feed(&mut self, events: &[EventView]) {
        let Summary {
            status,
            badges,
            rows,
            open,
            entries,
            attempt_start,
            failing_event,
            scopes,
            seen,
        } = self;
        scopes.feed(events);
        for (i, e) in events.iter().enumerate().skip(*seen) {
            let name = e
                .details
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(ty) = e.kind.strip_suffix("StateEntered") {
                // A new state entered while a failed one is still open means the failure was caught.
                let caught: Vec<usize> = open
                    .failed
                    .iter()
                    .copied()
                    .filter(|&r| rows[r].ty != "Parallel" && rows[r].ty != "Map")
                    .collect();
                for r in caught {
                    rows[r].status = "caught";
                    rows[r].duration = Some(e.at_ms - rows[r].started);
                    status.insert(rows[r].name.clone(), NodeStatus::Caught);
                    open.close(r);
                }
                let n = entries.entry(name.clone()).or_default();
                *n += 1;
                if *n > 1 {
                    badges.entry(name.clone()).or_default().1 = *n;
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
                    scope: scopes.out[i].clone(),
                    last_failed: false,
                });
                open.push(rows.len() - 1, &name);
                status.insert(name, NodeStatus::Running);
            } else if e.kind.ends_with("StateExited") {
                if let Some(r) = open.take_by_name(&name) {
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
                if let Some(r) = open.last() {
                    attempt_start.insert(r, e.at_ms);
                }
            } else if (e.kind.ends_with("Failed") || e.kind.ends_with("TimedOut"))
                && !e.kind.starts_with("Execution")
            {
                if let Some(r) = open.last() {
                    rows[r].last_failed = true;
                    open.failed.insert(r);
                    let start = attempt_start.get(&r).copied().unwrap_or(rows[r].started);
                    rows[r].failed_attempts.push((start, e.at_ms));
                    let n = rows[r].failed_attempts.len() as u32;
                    let name = rows[r].name.clone();
                    badges.entry(name).or_default().0 = n;
                    *failing_event = Some(i);
                }
            } else if e.kind.ends_with("Succeeded") && !e.kind.starts_with("Execution") {
                if let Some(r) = open.last() {
                    rows[r].last_failed = false;
                    open.failed.remove(&r);
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
                for r in open.all() {
                    rows[r].status = if st == NodeStatus::Failed {
                        "failed"
                    } else {
                        "cancelled"
                    };
                    status.insert(rows[r].name.clone(), st);
                }
                if failing_event.is_none() {
                    *failing_event = Some(i);
                }
            }
        }
        *seen = events.len();
    }

    /// The graph overlay.
    pub fn overlay(&self) -> Overlay {
        Overlay {
            node_status: self.status.clone(),
            badges: self.badges.clone(),
            edge_taken: None,
        }
    }
}

/// Parses a payload field (JSON text in history events) into a value.
fn payload(v: Option<&Value>) -> Value {
    match v {
        Some(Value::String(s)) => {
            serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
        }
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

/// The `assignedVariables` of an event, parsed.
fn assigned(e: &EventView) -> serde_json::Map<String, Value> {
    e.details
        .get("assignedVariables")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), payload(Some(v))))
                .collect()
        })
        .unwrap_or_default()
}

/// The variables in scope when a step was entered, and those its exit assigned: the
/// `assignedVariables` of the states exited before it on its `previousEventId` chain,
/// skipping what ran inside earlier Map and Parallel states (their variables are local).
pub fn variables_at(
    events: &[EventView],
    rows: &[StepRow],
    row: &StepRow,
) -> (
    serde_json::Map<String, Value>,
    serde_json::Map<String, Value>,
) {
    let index: HashMap<u64, usize> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let blocks: HashMap<usize, usize> = rows
        .iter()
        .filter(|r| r.ty == "Map" || r.ty == "Parallel")
        .filter_map(|r| Some((r.exited_event?, r.entered_event)))
        .collect();
    let mut chain = Vec::new();
    let mut at = events
        .get(row.entered_event)
        .and_then(|e| index.get(&e.prev).copied());
    while let Some(i) = at {
        if chain.len() > events.len() {
            break;
        }
        let e = &events[i];
        if e.kind.ends_with("StateExited") {
            chain.push(i);
        }
        at = match blocks.get(&i) {
            Some(&entered) => events
                .get(entered)
                .and_then(|e| index.get(&e.prev).copied()),
            None => index.get(&e.prev).copied(),
        };
    }
    let mut before = serde_json::Map::new();
    for &i in chain.iter().rev() {
        for (k, v) in assigned(&events[i]) {
            before.insert(k, v);
        }
    }
    let mine = row
        .exited_event
        .and_then(|i| events.get(i))
        .map(assigned)
        .unwrap_or_default();
    (before, mine)
}

/// Finds a state anywhere in a definition (branches, iterators and item processors too).
fn find_state<'a>(def: &'a Value, name: &str) -> Option<&'a Value> {
    let mut stack = vec![def];
    while let Some(d) = stack.pop() {
        let Some(states) = d.get("States").and_then(Value::as_object) else {
            continue;
        };
        if let Some(s) = states.get(name) {
            return Some(s);
        }
        for s in states.values() {
            for key in ["Iterator", "ItemProcessor"] {
                if let Some(p) = s.get(key) {
                    stack.push(p);
                }
            }
            if let Some(b) = s.get("Branches").and_then(Value::as_array) {
                stack.extend(b.iter());
            }
        }
    }
    None
}

/// The context object (`$$`) as a step saw it: Execution, StateMachine, State, Task (with
/// the token when the task's parameters carried one) and Map.Item inside a Map iteration.
/// Ids and names are the simulation's (those of `asl_interp::ContextOptions::default`).
pub fn context_at(
    events: &[EventView],
    rows: &[StepRow],
    row: &StepRow,
    definition: &Value,
) -> Value {
    let defaults = asl_interp::ContextOptions::default();
    let iso = asl_interp::time::format_iso_millis;
    let started = events.first();
    let mut execution = serde_json::Map::new();
    execution.insert("Id".into(), json!(defaults.execution_id));
    execution.insert(
        "Input".into(),
        payload(started.and_then(|e| e.details.get("input"))),
    );
    execution.insert("Name".into(), json!(defaults.execution_name));
    execution.insert(
        "RoleArn".into(),
        started
            .and_then(|e| e.details.get("roleArn").cloned())
            .unwrap_or_else(|| json!(defaults.role_arn)),
    );
    execution.insert(
        "StartTime".into(),
        json!(iso(started.map(|e| e.ts_ms).unwrap_or(0))),
    );
    let entered = events.get(row.entered_event);
    let mut out = serde_json::Map::new();
    out.insert("Execution".into(), Value::Object(execution));
    out.insert(
        "StateMachine".into(),
        json!({ "Id": defaults.state_machine_id, "Name": defaults.state_machine_name }),
    );
    out.insert(
        "State".into(),
        json!({
            "EnteredTime": iso(entered.map(|e| e.ts_ms).unwrap_or(0)),
            "Name": row.name,
            "RetryCount": row.failed_attempts.len().saturating_sub(usize::from(row.status == "caught" || row.status == "failed")),
        }),
    );
    if row.ty == "Task" {
        let last = row.exited_event.unwrap_or(events.len());
        let token = events
            .get(row.entered_event..last.min(events.len()))
            .into_iter()
            .flatten()
            .filter(|e| e.kind == "TaskScheduled")
            .find_map(|e| token_in(&payload(e.details.get("parameters"))));
        if let Some(token) = token {
            out.insert("Task".into(), json!({ "Token": token }));
        }
    }
    if let Some((map, label)) = row.scope.last()
        && let Some(index) = label
            .strip_prefix('#')
            .and_then(|i| i.parse::<usize>().ok())
    {
        let value = item_value(events, rows, map, index, definition);
        let mut item = serde_json::Map::new();
        item.insert("Index".into(), json!(index));
        if let Some(v) = value {
            item.insert("Value".into(), v);
        }
        out.insert("Map".into(), json!({ "Item": item }));
    }
    Value::Object(out)
}

/// A task token placed in task parameters (a string under a key named like `TaskToken`).
fn token_in(v: &Value) -> Option<String> {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k.to_ascii_lowercase().ends_with("token")
                        && let Some(s) = x.as_str()
                    {
                        return Some(s.to_owned());
                    }
                    stack.push(x);
                }
            }
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    None
}

/// The item of a Map iteration: the Map state's effective input at `ItemsPath` (or `Items`
/// given as an array), read from its entered event; `None` when it cannot be told.
fn item_value(
    events: &[EventView],
    rows: &[StepRow],
    map: &str,
    index: usize,
    definition: &Value,
) -> Option<Value> {
    let state = find_state(definition, map)?;
    let row = rows.iter().rev().find(|r| r.name == map)?;
    if let Some(items) = state.get("Items").and_then(Value::as_array) {
        return items.get(index).cloned();
    }
    let input = payload(events.get(row.entered_event)?.details.get("input"));
    let input = match state.get("InputPath").and_then(Value::as_str) {
        None | Some("$") => input,
        Some(p) => input.pointer(&simple_pointer(p)?)?.clone(),
    };
    let items = match state.get("ItemsPath").and_then(Value::as_str) {
        None | Some("$") => input,
        Some(p) => input.pointer(&simple_pointer(p)?)?.clone(),
    };
    items.get(index).cloned()
}

/// `$.a.b[0]` as the JSON Pointer `/a/b/0` (plain names and indexes only).
fn simple_pointer(path: &str) -> Option<String> {
    let mut rest = path.strip_prefix('$')?;
    let mut out = String::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let name = &r[..end];
            if name.is_empty() || name.contains(['*', '?', '@', '\'', '"', ' ']) {
                return None;
            }
            out.push('/');
            out.push_str(&name.replace('~', "~0").replace('/', "~1"));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            r[..end].parse::<usize>().ok()?;
            out.push('/');
            out.push_str(&r[..end]);
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}
