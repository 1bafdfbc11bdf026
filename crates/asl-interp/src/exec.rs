//! The resumable execution engine: threads (the top level, Parallel branches and Map
//! iterations) run inside one loop, history events are recorded as they happen, and
//! everything the host must do (call a task, let time pass) is returned as an [`Effect`].

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use crate::host::{
    Effect, ExecutionResult, HistoryEvent, Integration, MachineType, RunOptions, Status,
    TaskAnswer, TaskHandler, TaskRequest,
};
use crate::program::{Machine, Program, State};
use crate::rng::Rng;

/// A failure inside a state: an AWS error name and an optional cause.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub error: String,
    pub cause: Option<String>,
}

impl Failure {
    pub fn new(error: &str, cause: impl Into<String>) -> Failure {
        Failure {
            error: error.to_string(),
            cause: Some(cause.into()),
        }
    }
}

pub(crate) use crate::snap::Snap;

/// The lazily rendered details of an internal history event.
#[derive(Debug, Clone)]
pub(crate) enum Det {
    None,
    /// Boxed, like the other large parts, to keep every event small (the history is a
    /// vector of tens of thousands of them).
    Json(Box<Value>),
    Entered {
        name: Arc<str>,
        input: Snap,
    },
    Exited {
        name: Arc<str>,
        output: Snap,
        assigned: Option<Box<Value>>,
    },
    Payload {
        key: &'static str,
        value: Snap,
        extra: Option<Box<Map<String, Value>>>,
        /// `resource` and `resourceType`, after `extra` (service integrations' task events).
        res: Option<Res>,
    },
    /// `{"resource", "resourceType"}` (`TaskStarted`).
    Res(Res),
    /// The details of `TaskScheduled` and its Lambda and activity variants.
    Scheduled(Box<Scheduled>),
    /// `{"index": i, "name": map}` of the `MapIteration*` events.
    Iteration {
        index: usize,
        name: Arc<str>,
    },
}

impl Det {
    pub(crate) fn json(v: Value) -> Det {
        Det::Json(Box::new(v))
    }

    /// The payload this event records, if it records one.
    pub(crate) fn snap(&self) -> Option<&Snap> {
        match self {
            Det::Entered { input, .. } => Some(input),
            Det::Exited { output, .. } => Some(output),
            Det::Payload { value, .. } => Some(value),
            Det::Scheduled(s) => Some(&s.params),
            _ => None,
        }
    }

    /// [`Det::snap`], to change.
    pub(crate) fn snap_mut(&mut self) -> Option<&mut Snap> {
        match self {
            Det::Entered { input, .. } => Some(input),
            Det::Exited { output, .. } => Some(output),
            Det::Payload { value, .. } => Some(value),
            Det::Scheduled(s) => Some(&mut s.params),
            _ => None,
        }
    }
}

/// The `resource` and `resourceType` of a service integration's task events.
#[derive(Debug, Clone)]
pub(crate) struct Res {
    pub resource: Arc<str>,
    pub resource_type: Arc<str>,
}

impl Res {
    pub(crate) fn put(&self, m: &mut Map<String, Value>) {
        m.insert("resource".into(), Value::String(self.resource.to_string()));
        m.insert(
            "resourceType".into(),
            Value::String(self.resource_type.to_string()),
        );
    }
}

/// What a `TaskScheduled` (or `LambdaFunctionScheduled`, `ActivityScheduled`) event records;
/// its text is written when the history is read.
#[derive(Debug, Clone)]
pub(crate) struct Scheduled {
    pub integration: crate::host::Integration,
    /// The effective parameters (shared with the task call).
    pub params: Snap,
    pub res: Res,
    pub region: Arc<str>,
    pub credentials: Option<Value>,
    pub timeout: Option<i64>,
    pub heartbeat: Option<i64>,
}

impl Scheduled {
    fn render(&self, text: &mut dyn FnMut(&Snap) -> String) -> Value {
        use crate::host::Integration;
        let mut det = Map::new();
        let text = Value::String(text(&self.params));
        let credentials = self.credentials.as_ref().map(|c| match c.get("RoleArn") {
            Some(r) => json!({ "roleArn": r }),
            None => json!({}),
        });
        match self.integration {
            Integration::LambdaArn => {
                det.insert("input".into(), text);
                det.insert("inputDetails".into(), json!({"truncated": false}));
                det.insert(
                    "resource".into(),
                    Value::String(self.res.resource.to_string()),
                );
                if let Some(c) = credentials {
                    det.insert("taskCredentials".into(), c);
                }
                if let Some(t) = self.timeout {
                    det.insert("timeoutInSeconds".into(), json!(t));
                }
            }
            Integration::Activity => {
                if let Some(h) = self.heartbeat {
                    det.insert("heartbeatInSeconds".into(), json!(h));
                }
                det.insert("input".into(), text);
                det.insert("inputDetails".into(), json!({"truncated": false}));
                det.insert(
                    "resource".into(),
                    Value::String(self.res.resource.to_string()),
                );
                if let Some(t) = self.timeout {
                    det.insert("timeoutInSeconds".into(), json!(t));
                }
            }
            _ => {
                if let Some(h) = self.heartbeat {
                    det.insert("heartbeatInSeconds".into(), json!(h));
                }
                det.insert("parameters".into(), text);
                det.insert("region".into(), Value::String(self.region.to_string()));
                self.res.put(&mut det);
                if let Some(c) = credentials {
                    det.insert("taskCredentials".into(), c);
                }
                if let Some(t) = self.timeout {
                    det.insert("timeoutInSeconds".into(), json!(t));
                }
            }
        }
        Value::Object(det)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Ev {
    pub id: u64,
    pub prev: u64,
    pub ts: i64,
    pub kind: &'static str,
    pub det: Det,
}

fn render_det(det: &Det, mut cache: Option<&mut crate::snap::Rebuilt>) -> Value {
    let mut text = |s: &Snap| match cache.as_deref_mut() {
        Some(c) => s.text_cached(c),
        None => s.text(),
    };
    match det {
        Det::None => Value::Object(Map::new()),
        Det::Json(v) => (**v).clone(),
        Det::Iteration { index, name } => json!({"index": index, "name": &**name}),
        Det::Entered { name, input } => json!({
            "input": text(input),
            "inputDetails": {"truncated": false},
            "name": &**name,
        }),
        Det::Exited {
            name,
            output,
            assigned,
        } => {
            let mut m = Map::new();
            if let Some(Value::Object(a)) = assigned.as_deref() {
                let mut av = Map::new();
                for (k, v) in a {
                    av.insert(k.clone(), Value::String(to_text(v)));
                }
                m.insert("assignedVariables".into(), Value::Object(av));
                m.insert(
                    "assignedVariablesDetails".into(),
                    json!({"truncated": false}),
                );
            }
            m.insert("name".into(), Value::String(name.to_string()));
            m.insert("output".into(), Value::String(text(output)));
            m.insert("outputDetails".into(), json!({"truncated": false}));
            Value::Object(m)
        }
        Det::Payload {
            key,
            value,
            extra,
            res,
        } => {
            let mut m = Map::new();
            m.insert((*key).to_string(), Value::String(text(value)));
            m.insert(format!("{key}Details"), json!({"truncated": false}));
            if let Some(x) = extra {
                for (k, v) in x.iter() {
                    m.insert(k.clone(), v.clone());
                }
            }
            if let Some(r) = res {
                r.put(&mut m);
            }
            Value::Object(m)
        }
        Det::Res(r) => {
            let mut m = Map::new();
            r.put(&mut m);
            Value::Object(m)
        }
        Det::Scheduled(s) => s.render(&mut text),
    }
}

/// Payloads up to this size are copied when a state changes one the history shares; larger
/// ones are moved and the history keeps undo records instead (see [`crate::snap`]). Copying
/// costs about 30 instructions a byte, an undo record a fixed ~2,000; reading the history
/// back rebuilds each older payload once ([`Execution::events`]).
const COPY_AT_MOST_BYTES: usize = 512;

/// The region named by an execution ARN (`us-east-1` when it names none).
fn region_of(execution_id: &str) -> Arc<str> {
    execution_id
        .split(':')
        .nth(3)
        .filter(|r| !r.is_empty())
        .unwrap_or("us-east-1")
        .into()
}

/// Serialises a value as compact JSON text.
pub(crate) fn to_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

/// Variables visible to a thread: its own frame and the frames of enclosing scopes, a chain
/// shared with the threads of those scopes (cloning it costs a reference count).
#[derive(Debug, Clone, Default)]
pub(crate) struct Vars {
    top: Option<Arc<Frame>>,
}

#[derive(Debug)]
struct Frame {
    vars: Mutex<Map<String, Value>>,
    parent: Option<Arc<Frame>>,
}

impl Vars {
    /// The frames, innermost first.
    fn frames(&self) -> impl Iterator<Item = &Frame> {
        std::iter::successors(self.top.as_deref(), |f| f.parent.as_deref())
    }
    pub fn get(&self, name: &str) -> Option<Value> {
        let name = name.strip_prefix('$').unwrap_or(name);
        for f in self.frames() {
            if let Ok(g) = f.vars.lock()
                && let Some(v) = g.get(name)
            {
                return Some(v.clone());
            }
        }
        None
    }
    pub fn set(&self, name: &str, v: Value) {
        if let Some(f) = &self.top
            && let Ok(mut g) = f.vars.lock()
        {
            g.insert(name.to_string(), v);
        }
    }
    pub fn child(&self, inherit: bool) -> Vars {
        Vars {
            top: Some(Arc::new(Frame {
                vars: Mutex::new(Map::new()),
                parent: if inherit { self.top.clone() } else { None },
            })),
        }
    }
    /// Locks every frame, outermost first, so that an evaluation can borrow the variables
    /// instead of copying them.
    pub fn lock_frames(&self) -> Vec<std::sync::MutexGuard<'_, Map<String, Value>>> {
        let mut frames: Vec<&Frame> = self.frames().collect();
        frames.reverse();
        frames
            .into_iter()
            .filter_map(|f| f.vars.lock().ok())
            .collect()
    }
    pub fn snapshot(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for g in self.lock_frames() {
            for (k, v) in g.iter() {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }
}

#[derive(Debug)]
pub(crate) enum Phase {
    /// About to enter the current state.
    Enter,
    /// Entered: run the state's body (also after a retry back-off).
    Run,
    /// A Wait state sleeping until a timer fires.
    Sleeping,
    /// A Wait state woke up.
    WaitDone,
    /// A retry back-off.
    Backoff,
    /// Waiting for a task answer.
    Task(Box<TaskWait>),
    /// A task answer arrived.
    TaskAnswered(Box<TaskWait>, TaskAnswer),
    /// Waiting for Parallel branches or Map iterations.
    Children(Box<Join>),
    /// The children finished; continue the state.
    Joined(Box<Join>),
    /// A task failed; the failure is handled when the thread runs again.
    Failing(Failure),
    /// The thread finished.
    Done,
}

#[derive(Debug)]
pub(crate) struct TaskWait {
    pub task_id: u64,
    pub integration: Integration,
    pub res: Res,
    pub token: Option<String>,
    pub submitted: bool,
    pub started: bool,
    pub timeout_at: Option<i64>,
    pub heartbeat_secs: Option<i64>,
    pub heartbeat_at: Option<i64>,
    pub effective: Arc<Value>,
    /// The activity worker's name, recorded in `ActivityStarted`.
    pub worker: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Join {
    pub is_map: bool,
    pub results: Vec<Option<Value>>,
    /// Outputs the history also records (their `results` entry is `None` until the join).
    pub shared: Vec<SharedResult>,
    pub remaining: usize,
    pub children: Vec<usize>,
    pub inputs: Vec<Option<Value>>,
    pub next_spawn: usize,
    pub max_concurrency: usize,
    pub running: usize,
    pub last_success_event: u64,
    pub failure: Option<Failure>,
    pub failed_count: usize,
    pub tolerated_count: Option<f64>,
    pub tolerated_pct: Option<f64>,
    pub distributed: bool,
}

/// A child's output that history events record too. At the join those events become
/// [`Snap::Elem`] of the result array, so the output moves into it instead of being copied.
#[derive(Debug)]
pub(crate) struct SharedResult {
    pub index: usize,
    pub value: Arc<Value>,
    /// Indexes + 1 of the events found recording `value` (0: none).
    pub events: [u32; 3],
}

#[derive(Debug)]
pub(crate) struct Thread {
    pub machine: Arc<Machine>,
    pub state: usize,
    pub input: Arc<Value>,
    pub phase: Phase,
    pub parent: Option<(usize, usize)>,
    /// The enclosing Map iterations (shared with the task requests that report them).
    pub map_path: Arc<[(Arc<str>, usize)]>,
    pub vars: Vars,
    pub retry_attempts: Vec<u32>,
    pub retry_count: u32,
    pub entered_id: u64,
    pub entered_ms: i64,
    pub alive: bool,
    pub breakpoint_passed: bool,
    /// Set for a Map iteration thread: (map name, index) to emit `MapIterationStarted` on first run.
    pub iteration_start: Option<(Arc<str>, usize)>,
    /// Whether the thread is queued as runnable.
    pub queued: bool,
    /// Whether the thread's events are not recorded (a distributed Map iteration).
    pub silent: bool,
    /// Events a silent thread (a distributed Map's child execution, whose history is its
    /// own) would have recorded: bounded like a history, so a child that loops forever fails.
    pub silent_events: usize,
    /// `MapStateFailed`/`ParallelStateFailed`, recorded unless the failure is retried.
    pub pending_failed_event: Option<&'static str>,
    /// Whether `MapRunStarted` was already recorded for the current Map state (ItemReader).
    pub map_run_started: bool,
    /// The id of this thread's last event (its `previousEventId` chain).
    pub cursor: u64,
    /// Whether the thread already gave way to other threads before entering its Task state.
    pub yielded: bool,
    /// The size and depth bookkeeping of `input`, when known.
    pub input_meta: Option<crate::payload::Meta>,
}

impl Thread {
    pub fn st(&self) -> &State {
        &self.machine.states[self.state]
    }
}

/// What a state body decided.
pub(crate) enum Flow {
    /// Exit the state with this output and go to `next` (or end the thread).
    Exit {
        output: Arc<Value>,
        next: Option<usize>,
        assigned: Option<Value>,
    },
    /// The thread is blocked (the phase says on what).
    Block,
    /// The state failed; retriers and catchers apply.
    Fail(Failure),
    /// The state failed and nothing may catch it (Fail state, or an error that ends the thread).
    FailHard(Failure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimerKind {
    Wake,
    TaskTimeout,
    Heartbeat,
}

/// One execution of a program, driven by the host through [`Execution::advance`].
#[derive(Debug)]
pub struct Execution {
    pub(crate) opts: Arc<RunOptions>,
    /// The region of the execution ARN (`us-east-1` when it names none), for task events.
    pub(crate) region: Arc<str>,
    /// The execution input (`$$.Execution.Input`); a snapshot, since the first state may
    /// change the payload it shares in place.
    exec_input: Mutex<Snap>,
    pub(crate) now: i64,
    pub(crate) rng: Rng,
    pub(crate) events: Vec<Ev>,
    pub(crate) cursor: u64,
    pub(crate) threads: Vec<Thread>,
    pub(crate) runnable: VecDeque<usize>,
    timers: Vec<(i64, u64, usize, TimerKind)>,
    timer_seq: u64,
    pub(crate) tasks: std::collections::BTreeMap<u64, usize>,
    tokens: HashMap<String, u64>,
    next_task_id: u64,
    effects: Vec<Effect>,
    pub(crate) status: Status,
    output: Option<Arc<Value>>,
    error: Option<String>,
    cause: Option<String>,
    pub(crate) invocations: asl_core::hash::FastMap<Arc<str>, u32>,
    /// Shared task results (a mock's stored answers) already found within the depth and
    /// size limits: the same answer is not walked again.
    pub(crate) checked_results: Vec<Arc<Value>>,
    breakpoints: HashSet<String>,
    max_events: usize,
    deadline: Option<i64>,
    pub(crate) jsonata_cache: HashMap<String, Arc<jsonata::Expression>>,
    /// Whether the running thread's events go unrecorded (distributed Map child executions).
    pub(crate) silent: bool,
    /// The silent thread running (see [`Thread::silent_events`]).
    silent_tid: usize,
    /// A silent thread over the history quota, to fail once its piece of work stops.
    over_quota: Option<usize>,
    /// The ARN of the last map run started (for ResultWriter output).
    pub(crate) last_map_run_arn: Option<String>,
    /// The payload quota in bytes.
    pub(crate) max_payload: usize,
    /// The execution's start time (virtual), which also selects date-dependent AWS behaviour.
    pub(crate) start_ms: i64,
    /// The id of the last `MapRunStarted` event.
    pub(crate) last_map_run_event: u64,
    /// Whether every state entry pauses (single-stepping).
    step_mode: bool,
    /// History snapshots based on a current payload (see [`crate::snap`]), newest last.
    tips: VecDeque<Arc<crate::snap::Older>>,
    /// The bookkeeping of the output a state body just built (by its address), if it kept it.
    pub(crate) out_meta: Option<(usize, crate::payload::Meta)>,
}

/// The AWS payload quota in bytes.
pub(crate) const MAX_PAYLOAD: usize = 256 * 1024;

impl Execution {
    /// Starts an execution (records `ExecutionStarted`).
    pub fn start(program: &Program, input: Value, opts: &RunOptions) -> Execution {
        // A pathologically deep input is taken apart without recursion and replaced.
        let meta = crate::payload::measure(&input);
        let deep = meta.depth > crate::payload::MAX_DEPTH;
        let input = if deep {
            crate::payload::dismantle(Arc::new(input));
            Value::Null
        } else {
            input
        };
        let start_ms = crate::time::parse_iso_millis(&opts.context.start_time).unwrap_or(0);
        let max_events = opts.max_events.unwrap_or(match opts.machine_type {
            MachineType::Standard => 25_000,
            // Express has no history quota, but a bound keeps runaway loops finite.
            MachineType::Express => 1_000_000,
        });
        let mut deadline = None;
        if let Some(t) = program.root_timeout() {
            deadline = Some(start_ms.saturating_add(t.saturating_mul(1000)));
        }
        if opts.machine_type == MachineType::Express {
            let lim = start_ms.saturating_add(300_000);
            deadline = Some(deadline.map_or(lim, |d: i64| d.min(lim)));
        }
        let mut ex = Execution {
            opts: Arc::new(opts.clone()),
            exec_input: Mutex::new(Snap::Val(Arc::new(input))),
            now: start_ms,
            rng: Rng::new(opts.seed),
            events: Vec::with_capacity(256),
            cursor: 0,
            threads: Vec::new(),
            runnable: VecDeque::new(),
            timers: Vec::new(),
            timer_seq: 0,
            tasks: std::collections::BTreeMap::new(),
            tokens: HashMap::new(),
            next_task_id: 1,
            effects: Vec::new(),
            status: Status::Running,
            output: None,
            error: None,
            cause: None,
            invocations: Default::default(),
            checked_results: Vec::new(),
            breakpoints: HashSet::new(),
            max_events,
            deadline,
            jsonata_cache: HashMap::new(),
            silent: false,
            silent_tid: 0,
            over_quota: None,
            last_map_run_arn: None,
            max_payload: opts.max_payload_bytes.unwrap_or(MAX_PAYLOAD),
            start_ms,
            last_map_run_event: 0,
            step_mode: false,
            tips: VecDeque::new(),
            out_meta: None,
            region: region_of(&opts.context.execution_id),
        };
        let mut extra = Map::new();
        extra.insert(
            "roleArn".into(),
            Value::String(ex.opts.context.role_arn.clone()),
        );
        let input = ex.exec_input();
        ex.emit(
            "ExecutionStarted",
            Det::Payload {
                key: "input",
                value: Snap::Val(input.clone()),
                extra: Some(Box::new(extra)),
                res: None,
            },
            false,
        );
        if let Some(d) = ex.deadline {
            ex.timers.push((d, 0, usize::MAX, TimerKind::Wake));
        }
        if deep {
            ex.finish_failed(Failure::new(
                "States.Runtime",
                format!(
                    "The execution input is nested more than {} levels deep.",
                    crate::payload::MAX_DEPTH
                ),
            ));
            return ex;
        }
        if crate::payload::problem_with(&input, meta, ex.max_payload).is_some() {
            ex.finish_failed(Failure::new(
                "States.DataLimitExceeded",
                "The state/task returned a result with a size exceeding the maximum number of bytes service limit.",
            ));
            return ex;
        }
        let root = program.root.clone();
        let vars = Vars::default().child(false);
        let tid = ex.new_thread(root.clone(), root.start, input, None, Arc::new([]), vars);
        ex.threads[tid].input_meta = Some(meta);
        ex.schedule(tid);
        ex
    }

    pub(crate) fn new_thread(
        &mut self,
        machine: Arc<Machine>,
        state: usize,
        input: Arc<Value>,
        parent: Option<(usize, usize)>,
        map_path: Arc<[(Arc<str>, usize)]>,
        vars: Vars,
    ) -> usize {
        self.threads.push(Thread {
            machine,
            state,
            input,
            phase: Phase::Enter,
            parent,
            map_path,
            vars,
            retry_attempts: Vec::new(),
            retry_count: 0,
            entered_id: 0,
            entered_ms: self.now,
            alive: true,
            breakpoint_passed: false,
            iteration_start: None,
            queued: false,
            silent: false,
            silent_events: 0,
            pending_failed_event: None,
            map_run_started: false,
            cursor: self.cursor,
            yielded: false,
            input_meta: None,
        });
        self.threads.len() - 1
    }

    pub(crate) fn schedule(&mut self, tid: usize) {
        let t = &mut self.threads[tid];
        if t.alive && !t.queued {
            t.queued = true;
            self.runnable.push_back(tid);
        }
    }

    /// Takes a payload over for in-place changes. Small payloads (at most
    /// [`COPY_AT_MOST_BYTES`]) are copied. A larger one that history events share is moved: the snapshots sharing it become
    /// [`Snap::Older`], completed by the returned [`crate::snap::Rewrite`] once the change
    /// is done (see [`crate::snap`]).
    ///
    /// `meta` is the payload's bookkeeping, when known (it saves measuring the payload).
    ///
    /// The snapshots sharing a state's input were recorded around the state's entry (the
    /// previous state's exit, this state's entry) and since (its own task events): the last
    /// events and those up to thread `tid`'s `StateEntered` are searched, which finds them
    /// also after a Map state's iterations recorded thousands of events in between.
    pub(crate) fn take_owned(
        &mut self,
        tid: usize,
        v: Arc<Value>,
        meta: Option<crate::payload::Meta>,
    ) -> (Value, Option<crate::snap::Rewrite>) {
        let v = match Arc::try_unwrap(v) {
            Ok(x) => return (x, None),
            Err(v) => v,
        };
        let small = match meta {
            Some(m) => m.lb <= COPY_AT_MOST_BYTES,
            None => !crate::payload::at_least(&v, COPY_AT_MOST_BYTES),
        };
        if small {
            return ((*v).clone(), None);
        }
        let older = Arc::new(crate::snap::Older::default());
        let n = self.events.len();
        let recent = n.saturating_sub(32);
        let entered = (self.threads[tid].entered_id as usize).min(n);
        let around_entry = entered.saturating_sub(32)..entered.min(recent);
        let (older_events, last_events) = self.events.split_at_mut(recent);
        for ev in older_events[around_entry]
            .iter_mut()
            .chain(last_events.iter_mut())
        {
            if let Some(snap) = ev.det.snap_mut()
                && snap.shares(&v)
            {
                *snap = Snap::Older(older.clone());
            }
        }
        if let Ok(mut g) = self.exec_input.lock()
            && g.shares(&v)
        {
            *g = Snap::Older(older.clone());
        }
        self.rebase_tips(&v, || Snap::Older(older.clone()));
        match Arc::try_unwrap(v) {
            Ok(x) => (x, Some(crate::snap::Rewrite::new(older))),
            Err(v) => {
                // Shared elsewhere too: copy it, and the snapshots keep the unchanged value.
                let copy = (*v).clone();
                crate::snap::Rewrite::new(older).finish(&v);
                (copy, None)
            }
        }
    }

    /// The events recording `v` itself among the last few and at thread `tid`'s state
    /// entry, where a finishing thread's output was recorded (as indexes + 1; 0: none).
    pub(crate) fn events_sharing(&self, tid: usize, v: &Arc<Value>) -> [u32; 3] {
        let n = self.events.len();
        let recent = n.saturating_sub(8);
        let entered = (self.threads[tid].entered_id as usize).min(recent);
        let mut found = [0u32; 3];
        let sharing = (entered.saturating_sub(1)..entered)
            .chain(recent..n)
            .filter(|&i| self.events[i].det.snap().is_some_and(|s| s.shares(v)));
        for (slot, i) in found.iter_mut().zip(sharing) {
            *slot = i as u32 + 1;
        }
        found
    }

    /// Points the snapshots changed in place since they were based on `v` (the tips) at
    /// `onto` instead, as `v` is about to be changed in turn.
    fn rebase_tips(&mut self, v: &Arc<Value>, onto: impl Fn() -> Snap) {
        self.tips.retain(|t| {
            if t.is_based_on(v) {
                t.rebase(onto());
                false
            } else {
                true
            }
        });
    }

    /// Builds a Map's or Parallel's result array: the outputs that history events record
    /// move in, and those events become [`Snap::Elem`] of the array (which stays a tip:
    /// changing it in place later turns it into undo records as usual).
    pub(crate) fn join_results(
        &mut self,
        results: Vec<Option<Value>>,
        shared: Vec<SharedResult>,
        elems: bool,
    ) -> (Value, Option<crate::snap::Rewrite>) {
        let mut out: Vec<Value> = results
            .into_iter()
            .map(|r| r.unwrap_or(Value::Null))
            .collect();
        if shared.is_empty() {
            return (Value::Array(out), None);
        }
        let mid = elems.then(|| Arc::new(crate::snap::Older::default()));
        for s in shared {
            let value = s.value;
            if let Some(mid) = &mid {
                let elem = || Snap::Elem(mid.clone(), s.index as u32);
                for e in s.events.into_iter().filter(|&e| e != 0) {
                    if let Some(snap) = self
                        .events
                        .get_mut(e as usize - 1)
                        .and_then(|ev| ev.det.snap_mut())
                        && snap.shares(&value)
                    {
                        *snap = elem();
                    }
                }
                if Arc::strong_count(&value) > 1 {
                    self.rebase_tips(&value, elem);
                }
            }
            // Moved when nothing else holds it any more, copied otherwise.
            if let Some(slot) = out.get_mut(s.index) {
                *slot = Arc::unwrap_or_clone(value);
            }
        }
        (Value::Array(out), mid.map(crate::snap::Rewrite::new))
    }

    /// The execution input (rebuilt once if the first state changed it in place).
    pub(crate) fn exec_input(&self) -> Arc<Value> {
        let Ok(mut g) = self.exec_input.lock() else {
            return Arc::new(Value::Null);
        };
        match &*g {
            Snap::Val(v) => v.clone(),
            older => {
                let v = Arc::new(older.value());
                *g = Snap::Val(v.clone());
                v
            }
        }
    }

    /// Completes a snapshot whose changes undo `base` (see [`Execution::take_owned`]).
    pub(crate) fn finish_rewrite(&mut self, rw: Option<crate::snap::Rewrite>, base: &Arc<Value>) {
        if let Some(rw) = rw {
            let older = rw.finish(base);
            if self.tips.len() >= 32 {
                self.tips.pop_front();
            }
            self.tips.push_back(older);
        }
    }

    /// [`Execution::finish_rewrite`] for the input's and the result's changes, which both
    /// undo `base`.
    pub(crate) fn finish_rewrites(
        &mut self,
        rw: Option<crate::snap::Rewrite>,
        res_rw: Option<crate::snap::Rewrite>,
        base: &Arc<Value>,
    ) {
        self.finish_rewrite(rw, base);
        self.finish_rewrite(res_rw, base);
    }

    /// Records an event; `update` moves the previous-event cursor to it.
    pub(crate) fn emit(&mut self, kind: &'static str, det: Det, update: bool) -> u64 {
        if self.silent {
            if let Some(t) = self.threads.get_mut(self.silent_tid) {
                t.silent_events += 1;
                if t.silent_events > self.max_events && self.over_quota.is_none() {
                    self.over_quota = Some(self.silent_tid);
                }
            }
            return 0;
        }
        let id = self.events.len() as u64 + 1;
        self.events.push(Ev {
            id,
            prev: self.cursor,
            ts: self.now,
            kind,
            det,
        });
        if update {
            self.cursor = id;
        }
        id
    }

    /// Runs until the execution needs something from the host.
    pub fn advance(&mut self) -> Vec<Effect> {
        // An unbounded budget never runs out, so this always returns `Some`.
        self.advance_bounded(usize::MAX).unwrap_or_default()
    }

    /// Like [`Execution::advance`], in the same order, but stops after running `budget` pieces
    /// of work (one thread each, until it waits or ends) and returns `None` when more is
    /// runnable, so a host can let its UI breathe between calls (a Map state starting ten
    /// thousand iterations is ten thousand pieces).
    pub fn advance_bounded(&mut self, budget: usize) -> Option<Vec<Effect>> {
        let mut left = budget;
        loop {
            if self.status != Status::Running {
                let mut out = std::mem::take(&mut self.effects);
                out.push(Effect::Finished(self.status));
                return Some(out);
            }
            if !self.effects.is_empty() {
                return Some(std::mem::take(&mut self.effects));
            }
            if let Some(&tid) = self.runnable.front() {
                if left == 0 {
                    return None;
                }
                left -= 1;
                self.runnable.pop_front();
                self.threads[tid].queued = false;
                if self.threads[tid].alive {
                    self.run_thread(tid);
                }
                if let Some(child) = self.over_quota.take() {
                    self.fail_child_history_quota(child);
                }
                if self.events.len() > self.max_events && self.status == Status::Running {
                    self.fail_history_quota();
                }
                continue;
            }
            if let Some(ms) = self.timers.iter().map(|t| t.0).min() {
                return Some(vec![Effect::WaitUntil { ms }]);
            }
            return Some(Vec::new());
        }
    }

    /// Moves the virtual clock forward (never backwards) to `ms` and fires due timers.
    pub fn advance_clock_to(&mut self, ms: i64) {
        if ms > self.now {
            self.now = ms;
        }
        self.fire_timers();
    }

    fn fire_timers(&mut self) {
        loop {
            let due = self
                .timers
                .iter()
                .enumerate()
                .filter(|(_, t)| t.0 <= self.now)
                .min_by_key(|(_, t)| (t.0, t.1))
                .map(|(i, _)| i);
            let Some(i) = due else { break };
            let (_, _, tid, kind) = self.timers.swap_remove(i);
            if tid == usize::MAX {
                if self.status == Status::Running {
                    self.finish_timed_out();
                }
                continue;
            }
            if !self.threads[tid].alive {
                continue;
            }
            match kind {
                TimerKind::Wake => {
                    let t = &mut self.threads[tid];
                    t.phase = match std::mem::replace(&mut t.phase, Phase::Done) {
                        Phase::Sleeping => Phase::WaitDone,
                        Phase::Backoff => Phase::Run,
                        other => other,
                    };
                    self.schedule(tid);
                }
                TimerKind::TaskTimeout | TimerKind::Heartbeat => {
                    let t = &mut self.threads[tid];
                    if let Phase::Task(tw) = std::mem::replace(&mut t.phase, Phase::Done) {
                        if kind == TimerKind::Heartbeat
                            && tw.heartbeat_at.is_some_and(|h| h > self.now)
                        {
                            t.phase = Phase::Task(tw);
                            continue;
                        }
                        self.tasks.remove(&tw.task_id);
                        if let Some(tok) = &tw.token {
                            self.tokens.remove(tok);
                        }
                        let error = if kind == TimerKind::Heartbeat {
                            "States.HeartbeatTimeout"
                        } else {
                            "States.Timeout"
                        };
                        let t = &mut self.threads[tid];
                        t.phase = Phase::TaskAnswered(
                            tw,
                            TaskAnswer::TimedOut {
                                error: Some(error.to_string()),
                                cause: None,
                            },
                        );
                        self.schedule(tid);
                    } else {
                        // The task already finished: the timer is stale.
                    }
                }
            }
        }
    }

    pub(crate) fn add_timer(&mut self, tid: usize, at: i64, kind: TimerKindPub) {
        self.timer_seq += 1;
        let kind = match kind {
            TimerKindPub::Wake => TimerKind::Wake,
            TimerKindPub::TaskTimeout => TimerKind::TaskTimeout,
            TimerKindPub::Heartbeat => TimerKind::Heartbeat,
        };
        self.timers.push((at, self.timer_seq, tid, kind));
    }

    /// Registers a task call and queues the effect.
    pub(crate) fn issue_task(&mut self, tid: usize, req: TaskRequest, tw: TaskWait) {
        self.tasks.insert(req.task_id, tid);
        if let Some(tok) = &tw.token {
            self.tokens.insert(tok.clone(), req.task_id);
        }
        if let Some(at) = tw.timeout_at {
            self.add_timer(tid, at, TimerKindPub::TaskTimeout);
        }
        if let Some(at) = tw.heartbeat_at {
            self.add_timer(tid, at, TimerKindPub::Heartbeat);
        }
        self.threads[tid].phase = Phase::Task(Box::new(tw));
        self.effects.push(Effect::InvokeTask(req));
    }

    pub(crate) fn next_task_id(&mut self) -> u64 {
        let id = self.next_task_id;
        self.next_task_id += 1;
        id
    }

    /// Answers a task call. Returns false when the id is unknown (already answered or aborted).
    pub fn complete_task(&mut self, task_id: u64, answer: TaskAnswer) -> bool {
        let Some(&tid) = self.tasks.get(&task_id) else {
            return false;
        };
        // Events recorded here (TaskStarted, TaskSubmitted) belong to the task's thread.
        let saved = self.cursor;
        self.cursor = self.threads[tid].cursor;
        let ok = self.complete_task_inner(task_id, answer);
        self.threads[tid].cursor = self.cursor;
        self.cursor = saved;
        ok
    }

    fn complete_task_inner(&mut self, task_id: u64, answer: TaskAnswer) -> bool {
        let Some(&tid) = self.tasks.get(&task_id) else {
            return false;
        };
        if !self.threads[tid].alive {
            self.tasks.remove(&task_id);
            return false;
        }
        let t = &mut self.threads[tid];
        let Phase::Task(tw) = std::mem::replace(&mut t.phase, Phase::Done) else {
            return false;
        };
        if matches!(answer, TaskAnswer::Pending) {
            // Waiting for a callback: the task stays registered.
            let mut tw = tw;
            let tok = tw.token.clone();
            tw.started = true;
            let started_needed = !tw.submitted;
            tw.submitted = true;
            t.phase = Phase::Task(tw);
            if started_needed {
                self.task_started_events(tid);
            }
            if let Some(token) = tok {
                self.effects.push(Effect::AwaitCallback { task_id, token });
            }
            return true;
        }
        if let TaskAnswer::Submitted { submitted, then } = answer {
            let mut tw = tw;
            t.phase = Phase::Task(Box::new(TaskWait {
                task_id: tw.task_id,
                integration: tw.integration,
                res: tw.res.clone(),
                token: tw.token.clone(),
                submitted: true,
                started: true,
                timeout_at: tw.timeout_at,
                heartbeat_secs: tw.heartbeat_secs,
                heartbeat_at: tw.heartbeat_at,
                effective: tw.effective.clone(),
                worker: tw.worker.take(),
            }));
            self.task_started_events(tid);
            self.task_submitted_event(tid, submitted);
            return self.complete_task_inner(task_id, *then);
        }
        self.tasks.remove(&task_id);
        if let Some(tok) = &tw.token {
            self.tokens.remove(tok);
        }
        self.timers.retain(|t| {
            !(t.2 == tid && matches!(t.3, TimerKind::TaskTimeout | TimerKind::Heartbeat))
        });
        self.threads[tid].phase = Phase::TaskAnswered(tw, answer);
        self.schedule(tid);
        true
    }

    /// Names the worker that took an activity task (`GetActivityTask`'s `workerName`):
    /// `ActivityStarted` records it. Call it before [`Execution::complete_task`]; false when
    /// the task is unknown or already started.
    pub fn set_worker_name(&mut self, task_id: u64, name: impl Into<String>) -> bool {
        let Some(&tid) = self.tasks.get(&task_id) else {
            return false;
        };
        match &mut self.threads[tid].phase {
            Phase::Task(tw) if !tw.started && tw.integration == Integration::Activity => {
                tw.worker = Some(name.into());
                true
            }
            _ => false,
        }
    }

    /// The current virtual time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.now
    }

    fn task_by_token(&self, token: &str) -> Option<u64> {
        self.tokens.get(token).copied()
    }

    /// `SendTaskSuccess`: resolves the `.waitForTaskToken` task with this token; false if unknown.
    pub fn send_task_success(&mut self, token: &str, output: Value) -> bool {
        match self.task_by_token(token) {
            Some(id) => self.complete_task(id, TaskAnswer::Return(output)),
            None => false,
        }
    }

    /// `SendTaskFailure`: fails the `.waitForTaskToken` task with this token; false if unknown.
    pub fn send_task_failure(
        &mut self,
        token: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> bool {
        match self.task_by_token(token) {
            Some(id) => self.complete_task(id, TaskAnswer::Throw { error, cause }),
            None => false,
        }
    }

    /// `SendTaskHeartbeat`: resets the heartbeat timer of the task with this token; false if unknown.
    pub fn send_task_heartbeat(&mut self, token: &str) -> bool {
        let Some(id) = self.task_by_token(token) else {
            return false;
        };
        let Some(&tid) = self.tasks.get(&id) else {
            return false;
        };
        let now = self.now;
        let mut new_at = None;
        if let Phase::Task(tw) = &mut self.threads[tid].phase
            && let Some(h) = tw.heartbeat_secs
        {
            tw.heartbeat_at = Some(now.saturating_add(h.saturating_mul(1000)));
            new_at = tw.heartbeat_at;
        }
        if let Some(at) = new_at {
            self.timers
                .retain(|t| !(t.2 == tid && t.3 == TimerKind::Heartbeat));
            self.add_timer(tid, at, TimerKindPub::Heartbeat);
        }
        true
    }

    /// `StopExecution`: aborts the execution (ExecutionAborted).
    pub fn stop(&mut self, error: Option<String>, cause: Option<String>) {
        if self.status != Status::Running {
            return;
        }
        let mut det = Map::new();
        if let Some(c) = &cause {
            det.insert("cause".into(), Value::String(c.clone()));
        }
        if let Some(e) = &error {
            det.insert("error".into(), Value::String(e.clone()));
        }
        self.emit("ExecutionAborted", Det::json(Value::Object(det)), true);
        self.status = Status::Aborted;
        self.error = error;
        self.cause = cause;
        self.kill_all();
    }

    fn kill_all(&mut self) {
        for t in &mut self.threads {
            t.alive = false;
        }
        self.runnable.clear();
        self.timers.clear();
        self.tasks.clear();
        self.tokens.clear();
    }

    /// Single-stepping: when on, `advance` pauses (with [`Effect::Breakpoint`]) before every
    /// state is entered, so a host can run one state at a time.
    pub fn set_step_mode(&mut self, on: bool) {
        self.step_mode = on;
    }

    /// Pauses before entering any state with one of these names (the app's breakpoints).
    pub fn set_breakpoints(&mut self, state_names: Vec<String>) {
        self.breakpoints = state_names.into_iter().collect();
    }

    /// The history recorded so far.
    pub fn events(&self) -> Vec<HistoryEvent> {
        // Newest first, so each snapshot changed in place is rebuilt from the one after it.
        let mut cache = crate::snap::Rebuilt::default();
        let mut out: Vec<HistoryEvent> = self
            .events
            .iter()
            .rev()
            .map(|e| Self::render_with(e, Some(&mut cache)))
            .collect();
        out.reverse();
        out
    }

    /// The number of history events recorded so far.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// Renders one recorded event (by index) without rendering the others.
    pub fn event(&self, index: usize) -> Option<HistoryEvent> {
        self.events.get(index).map(Self::render)
    }

    fn render(e: &Ev) -> HistoryEvent {
        Self::render_with(e, None)
    }

    fn render_with(e: &Ev, cache: Option<&mut crate::snap::Rebuilt>) -> HistoryEvent {
        HistoryEvent {
            id: e.id,
            previous_event_id: e.prev,
            timestamp_ms: e.ts,
            kind: e.kind,
            details: render_det(&e.det, cache),
        }
    }

    /// The current status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The output of a succeeded execution.
    pub fn output(&self) -> Option<&Value> {
        self.output.as_deref()
    }

    /// The result so far (final once the status is not `Running`).
    pub fn result(&self) -> ExecutionResult {
        ExecutionResult {
            status: self.status,
            output: self.output.as_deref().cloned(),
            error: self.error.clone(),
            cause: self.cause.clone(),
            events: self.events(),
        }
    }

    /// The variables visible in the top-level scope (for the debugger).
    pub fn variables(&self) -> Map<String, Value> {
        self.threads
            .first()
            .map(|t| t.vars.snapshot())
            .unwrap_or_default()
    }

    /// The names of the states the live threads are currently in, with their map path (for the debugger).
    pub fn active_states(&self) -> Vec<(String, Vec<(String, usize)>)> {
        self.threads
            .iter()
            .filter(|t| t.alive && !matches!(t.phase, Phase::Done))
            .map(|t| {
                (
                    t.st().name.to_string(),
                    t.map_path
                        .iter()
                        .map(|(n, i)| (n.to_string(), *i))
                        .collect(),
                )
            })
            .collect()
    }

    /// Fails a distributed Map's child execution (a silent thread) that went over the
    /// history quota; its Map sees a failed iteration, as on AWS.
    fn fail_child_history_quota(&mut self, child: usize) {
        if self.status != Status::Running || !self.threads[child].alive {
            return;
        }
        self.abort_children(&[child]);
        self.thread_done(child, Err(self.history_quota_failure()));
    }

    fn fail_history_quota(&mut self) {
        if self.status != Status::Running {
            return;
        }
        self.finish_failed(self.history_quota_failure());
    }

    fn history_quota_failure(&self) -> Failure {
        Failure::new(
            "States.Runtime",
            format!(
                "The execution reached the maximum number of history events ({}).",
                self.max_events
            ),
        )
    }

    pub(crate) fn finish_failed(&mut self, f: Failure) {
        let mut det = Map::new();
        if let Some(c) = f
            .cause
            .as_ref()
            .filter(|c| !(c.is_empty() && f.error.ends_with("Timeout")))
        {
            det.insert("cause".into(), Value::String(c.clone()));
        }
        if !f.error.is_empty() {
            det.insert("error".into(), Value::String(f.error.clone()));
        }
        self.emit("ExecutionFailed", Det::json(Value::Object(det)), true);
        self.status = Status::Failed;
        self.error = if f.error.is_empty() {
            None
        } else {
            Some(f.error)
        };
        // Timeouts carry no cause in the execution result either.
        self.cause = f.cause.filter(|c| {
            !(c.is_empty()
                && self
                    .error
                    .as_deref()
                    .is_some_and(|e| e.ends_with("Timeout")))
        });
        self.kill_all();
    }

    fn finish_timed_out(&mut self) {
        self.emit(
            "ExecutionTimedOut",
            Det::json(json!({"error": "States.Timeout"})),
            true,
        );
        self.status = Status::TimedOut;
        self.error = Some("States.Timeout".into());
        self.cause = None;
        self.kill_all();
    }

    fn finish_succeeded(&mut self, output: Arc<Value>) {
        self.emit(
            "ExecutionSucceeded",
            Det::Payload {
                key: "output",
                value: Snap::Val(output.clone()),
                extra: None,
                res: None,
            },
            true,
        );
        self.status = Status::Succeeded;
        self.output = Some(output);
        self.kill_all();
    }

    /// Runs one thread until it blocks or ends.
    fn run_thread(&mut self, tid: usize) {
        self.cursor = self.threads[tid].cursor;
        self.run_thread_inner(tid);
        self.threads[tid].cursor = self.cursor;
    }

    fn run_thread_inner(&mut self, tid: usize) {
        loop {
            if self.status != Status::Running || !self.threads[tid].alive {
                return;
            }
            self.silent = self.threads[tid].silent;
            self.silent_tid = tid;
            let phase = std::mem::replace(&mut self.threads[tid].phase, Phase::Done);
            let flow = match phase {
                Phase::Enter => {
                    let t = &mut self.threads[tid];
                    if !t.breakpoint_passed && (self.step_mode || !self.breakpoints.is_empty()) {
                        let name = t.st().name.to_string();
                        if self.step_mode || self.breakpoints.contains(&name) {
                            t.breakpoint_passed = true;
                            t.phase = Phase::Enter;
                            self.effects.push(Effect::Breakpoint { state_name: name });
                            self.schedule(tid);
                            return;
                        }
                    }
                    t.breakpoint_passed = false;
                    if let Some((name, index)) = t.iteration_start.take() {
                        self.emit("MapIterationStarted", Det::Iteration { index, name }, true);
                    }
                    let t = &mut self.threads[tid];
                    let st = &t.machine.states[t.state];
                    // Like AWS, a thread about to start a task lets the other running
                    // threads (Map iterations, branches) catch up first.
                    if st.kind == crate::program::Kind::Task
                        && !t.yielded
                        && !self.runnable.is_empty()
                    {
                        t.yielded = true;
                        t.phase = Phase::Enter;
                        self.schedule(tid);
                        return;
                    }
                    t.yielded = false;
                    let st = &t.machine.states[t.state];
                    let det = Det::Entered {
                        name: st.name.clone(),
                        input: Snap::Val(t.input.clone()),
                    };
                    let kind = st.entered;
                    let nretry = st.retry.len();
                    t.retry_attempts.clear();
                    t.retry_attempts.resize(nretry, 0);
                    t.retry_count = 0;
                    t.entered_ms = self.now;
                    let id = self.emit(kind, det, true);
                    self.threads[tid].entered_id = id;
                    self.run_body(tid)
                }
                Phase::Run => self.run_body(tid),
                Phase::WaitDone => self.wait_done(tid),
                Phase::TaskAnswered(tw, answer) => self.task_answered(tid, tw, answer),
                Phase::Joined(join) => self.joined(tid, *join),
                Phase::Failing(f) => Flow::Fail(f),
                other => {
                    // Blocked phases are not runnable.
                    self.threads[tid].phase = other;
                    return;
                }
            };
            let out_meta = self.out_meta.take();
            match flow {
                Flow::Block => return,
                Flow::Exit {
                    output,
                    next,
                    assigned,
                } => {
                    let changed = !Arc::ptr_eq(&output, &self.threads[tid].input);
                    let (problem, meta) = if changed {
                        let meta = match out_meta {
                            Some((at, m)) if at == Arc::as_ptr(&output) as usize => m,
                            _ => crate::payload::measure(&output),
                        };
                        (
                            crate::payload::problem_with(&output, meta, self.max_payload),
                            Some(meta),
                        )
                    } else {
                        (None, self.threads[tid].input_meta)
                    };
                    if problem == Some(crate::payload::OutputProblem::TooDeep) {
                        let f = Failure::new(
                            "States.Runtime",
                            format!(
                                "The state output is nested more than {} levels deep.",
                                crate::payload::MAX_DEPTH
                            ),
                        );
                        let f = self.prefixed(tid, f);
                        // Drop the deep value piece by piece, never recursively.
                        crate::payload::dismantle(output);
                        self.handle_failure(tid, f, false);
                        return;
                    }
                    if problem == Some(crate::payload::OutputProblem::TooLarge) {
                        let name = self.threads[tid].st().name.clone();
                        let f = Failure::new(
                            "States.DataLimitExceeded",
                            format!(
                                "The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."
                            ),
                        );
                        if !self.handle_failure(tid, f, true) {
                            return;
                        }
                    } else if !self.exit_state(tid, output, next, assigned, meta) {
                        return;
                    }
                }
                Flow::Fail(f) => {
                    if !self.handle_failure(tid, f, true) {
                        return;
                    }
                }
                Flow::FailHard(f) => {
                    if !self.handle_failure(tid, f, false) {
                        return;
                    }
                }
            }
            if self.events.len() > self.max_events {
                self.fail_history_quota();
                return;
            }
            if self.over_quota.is_some() {
                return;
            }
            if !self.effects.is_empty() {
                // Let the host answer before the thread goes on.
                self.schedule(tid);
                return;
            }
        }
    }

    /// Records the exit and moves on; returns whether the thread continues.
    fn exit_state(
        &mut self,
        tid: usize,
        output: Arc<Value>,
        next: Option<usize>,
        assigned: Option<Value>,
        meta: Option<crate::payload::Meta>,
    ) -> bool {
        let t = &self.threads[tid];
        let st = t.st();
        let det = Det::Exited {
            name: st.name.clone(),
            output: Snap::Val(output.clone()),
            assigned: assigned.map(Box::new),
        };
        let kind = st.exited;
        let is_end = next.is_none();
        self.emit(kind, det, true);
        if is_end {
            self.thread_done(tid, Ok(output));
            return false;
        }
        let t = &mut self.threads[tid];
        t.state = next.unwrap_or(0);
        t.input = output;
        t.input_meta = meta;
        t.phase = Phase::Enter;
        true
    }

    /// Applies Retry and Catch to a failure; returns whether the thread continues running now.
    pub(crate) fn handle_failure(&mut self, tid: usize, f: Failure, catchable: bool) -> bool {
        let pending = self.threads[tid].pending_failed_event.take();
        if catchable {
            let t = &self.threads[tid];
            let st = t.st();
            let ri = st
                .retry
                .iter()
                .position(|r| r.errors.iter().any(|e| error_matches(e, &f.error)));
            if let Some(ri) = ri {
                let r = st.retry[ri].clone();
                let attempts = t.retry_attempts.get(ri).copied().unwrap_or(0);
                if (attempts as i64) < r.max_attempts {
                    let mut delay = r.interval * r.backoff.powi(attempts.min(1000) as i32);
                    if let Some(m) = r.max_delay {
                        delay = delay.min(m);
                    }
                    if r.jitter_full {
                        delay *= self.rng.next_f64();
                    }
                    let delay_ms = (delay * 1000.0).clamp(0.0, 1e15) as i64;
                    let t = &mut self.threads[tid];
                    if let Some(a) = t.retry_attempts.get_mut(ri) {
                        *a += 1;
                    }
                    t.retry_count += 1;
                    if delay_ms == 0 {
                        t.phase = Phase::Run;
                        return true;
                    }
                    t.phase = Phase::Backoff;
                    let at = self.now.saturating_add(delay_ms);
                    self.add_timer(tid, at, TimerKindPub::Wake);
                    return false;
                }
            }
            if let Some(kind) = pending {
                self.emit(kind, Det::None, true);
            }
            let t = &self.threads[tid];
            let st = t.st();
            let ci = st
                .catch
                .iter()
                .position(|c| c.errors.iter().any(|e| error_matches(e, &f.error)));
            if let Some(ci) = ci {
                return match self.apply_catcher(tid, ci, &f) {
                    Ok((output, next, assigned)) => {
                        self.exit_state(tid, output, Some(next), assigned, None)
                    }
                    Err(f2) => {
                        self.thread_done(tid, Err(f2));
                        false
                    }
                };
            }
        }
        if !catchable && let Some(kind) = pending {
            self.emit(kind, Det::None, true);
        }
        self.thread_done(tid, Err(f));
        false
    }

    /// A thread ended: report to the parent or end the execution.
    pub(crate) fn thread_done(&mut self, tid: usize, outcome: Result<Arc<Value>, Failure>) {
        self.silent = false;
        let t = &mut self.threads[tid];
        t.phase = Phase::Done;
        t.alive = false;
        // A finished thread no longer shares its input (which the parent may change in place).
        t.input = finished_input();
        t.input_meta = None;
        let parent = t.parent;
        match parent {
            None => match outcome {
                Ok(out) => self.finish_succeeded(out),
                Err(f) => self.finish_failed(f),
            },
            Some((ptid, index)) => self.child_done(ptid, index, tid, outcome),
        }
    }

    /// Records `...StateAborted` (and `MapIterationAborted`) for live children being aborted.
    pub(crate) fn abort_children_events(&mut self, children: &[usize], map: Option<Arc<str>>) {
        for &c in children {
            let t = &self.threads[c];
            if !t.alive || t.entered_id == 0 {
                continue;
            }
            if matches!(t.phase, Phase::Done | Phase::Enter) {
                continue;
            }
            let kind = t.st().aborted;
            let index = t.parent.map(|p| p.1).unwrap_or(0);
            self.emit(kind, Det::None, false);
            if let Some(name) = &map {
                self.emit(
                    "MapIterationAborted",
                    Det::json(json!({"index": index, "name": &**name})),
                    false,
                );
            }
        }
    }

    /// Aborts every live descendant of a thread (its tasks, timers and children).
    pub(crate) fn abort_children(&mut self, children: &[usize]) {
        for &c in children {
            if !self.threads[c].alive {
                continue;
            }
            self.threads[c].alive = false;
            let phase = std::mem::replace(&mut self.threads[c].phase, Phase::Done);
            match phase {
                Phase::Task(tw) => {
                    self.tasks.remove(&tw.task_id);
                    if let Some(tok) = &tw.token {
                        self.tokens.remove(tok);
                    }
                }
                Phase::Children(j) => {
                    let ch = j.children.clone();
                    self.abort_children(&ch);
                }
                _ => {}
            }
            self.timers.retain(|t| t.2 != c);
        }
    }
}

/// The input a finished thread holds: one shared `null`, so that finishing costs nothing.
fn finished_input() -> Arc<Value> {
    static NULL: std::sync::OnceLock<Arc<Value>> = std::sync::OnceLock::new();
    NULL.get_or_init(|| Arc::new(Value::Null)).clone()
}

/// The public timer kinds used by the state implementations.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TimerKindPub {
    Wake,
    TaskTimeout,
    Heartbeat,
}

/// Whether an `ErrorEquals` entry matches an error name.
pub(crate) fn error_matches(pattern: &str, error: &str) -> bool {
    if pattern == error {
        return true;
    }
    match pattern {
        "States.ALL" => error != "States.Runtime",
        "States.TaskFailed" => error != "States.Timeout" && error != "States.Runtime",
        _ => false,
    }
}

/// Runs an execution to completion, answering tasks synchronously.
///
/// Waits, back-offs and timeouts pass instantly on the virtual clock. A task answered with
/// [`TaskAnswer::Pending`] that nobody resolves leaves the execution `Running` once nothing
/// else can happen (unless a timeout or heartbeat ends it).
pub fn run(
    program: &Program,
    input: Value,
    opts: &RunOptions,
    tasks: &mut dyn TaskHandler,
) -> ExecutionResult {
    let mut exec = Execution::start(program, input, opts);
    drive(&mut exec, tasks);
    exec.result()
}

/// Drives an execution with a synchronous task handler until it ends or stalls.
pub fn drive(exec: &mut Execution, tasks: &mut dyn TaskHandler) {
    loop {
        let effects = exec.advance();
        if effects.is_empty() {
            return;
        }
        let mut progressed = false;
        for e in effects {
            match e {
                Effect::Finished(_) => return,
                Effect::InvokeTask(req) => {
                    if req.integration == Integration::Activity
                        && let Some(w) = tasks.worker_name(&req)
                    {
                        exec.set_worker_name(req.task_id, w);
                    }
                    let ans = tasks.invoke(&req);
                    exec.complete_task(req.task_id, ans);
                    progressed = true;
                }
                Effect::WaitUntil { ms } => {
                    exec.advance_clock_to(ms);
                    progressed = true;
                }
                Effect::Breakpoint { .. } | Effect::AwaitCallback { .. } => {
                    progressed = true;
                }
            }
        }
        if !progressed {
            return;
        }
    }
}
