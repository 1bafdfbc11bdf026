//! The host-facing types: run options, task requests and answers, effects, results and history events.

use std::sync::Arc;

use serde_json::{Map, Value, json};

/// The workflow type: it decides the quotas (history size, duration) that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MachineType {
    /// A Standard workflow: at most 25,000 history events, up to one year.
    #[default]
    Standard,
    /// An Express workflow: at most five minutes, no history cap.
    Express,
}

/// The values the `$$` context object exposes about the execution and the state machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextOptions {
    /// `$$.Execution.Id`, the execution ARN.
    pub execution_id: String,
    /// `$$.Execution.Name`.
    pub execution_name: String,
    /// `$$.Execution.RoleArn`, also recorded in `ExecutionStarted`.
    pub role_arn: String,
    /// `$$.Execution.StartTime` as ISO-8601 text (e.g. `2024-02-07T13:50:16.000Z`); the virtual clock starts here.
    pub start_time: String,
    /// `$$.StateMachine.Id`, the state machine ARN.
    pub state_machine_id: String,
    /// `$$.StateMachine.Name`.
    pub state_machine_name: String,
}

impl Default for ContextOptions {
    fn default() -> Self {
        ContextOptions {
            execution_id: "arn:aws:states:us-east-1:111111111111:execution:StateMachine:execution"
                .to_string(),
            execution_name: "execution".to_string(),
            role_arn: "arn:aws:iam::111111111111:role/StepFunctionsRole".to_string(),
            start_time: "2024-01-01T00:00:00.000Z".to_string(),
            state_machine_id: "arn:aws:states:us-east-1:111111111111:stateMachine:StateMachine"
                .to_string(),
            state_machine_name: "StateMachine".to_string(),
        }
    }
}

/// An S3 object that `ItemReader` (and `s3:getObject`-style readers) can read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct S3Object {
    /// The bucket name.
    pub bucket: String,
    /// The object key.
    pub key: String,
    /// The object body as text.
    pub body: String,
}

/// Everything an execution needs besides the definition and the input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunOptions {
    /// The context object values.
    pub context: ContextOptions,
    /// Standard or Express.
    pub machine_type: MachineType,
    /// The seed of the execution's pseudo-random generator (MathRandom, UUID, jitter).
    pub seed: u64,
    /// Objects visible to `ItemReader`.
    pub s3_objects: Vec<S3Object>,
    /// The history cap; `None` means 25,000 for Standard and no cap for Express.
    pub max_events: Option<usize>,
    /// The payload size quota in bytes; `None` means AWS's 256 KiB.
    pub max_payload_bytes: Option<usize>,
}

impl RunOptions {
    /// Reads a corpus case's `context` object (`Execution`, `StateMachine`, `stateMachineType`,
    /// `s3Objects`, `seed`, and `maxPayloadBytes`: a number, or `null` for no payload quota).
    /// Missing fields keep their defaults.
    pub fn from_corpus_context(ctx: &Value) -> RunOptions {
        let mut opts = RunOptions::default();
        let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        if let Some(exec) = ctx.get("Execution") {
            if let Some(v) = s(exec.get("Id")) {
                opts.context.execution_id = v;
            }
            if let Some(v) = s(exec.get("Name")) {
                opts.context.execution_name = v;
            }
            if let Some(v) = s(exec.get("RoleArn")) {
                opts.context.role_arn = v;
            }
            if let Some(v) = s(exec.get("StartTime")) {
                opts.context.start_time = v;
            }
        }
        if let Some(sm) = ctx.get("StateMachine") {
            if let Some(v) = s(sm.get("Id")) {
                opts.context.state_machine_id = v;
            }
            if let Some(v) = s(sm.get("Name")) {
                opts.context.state_machine_name = v;
            }
        }
        if let Some(t) = ctx.get("stateMachineType").and_then(Value::as_str) {
            opts.machine_type = if t.eq_ignore_ascii_case("EXPRESS") {
                MachineType::Express
            } else {
                MachineType::Standard
            };
        }
        if let Some(objs) = ctx.get("s3Objects").and_then(Value::as_array) {
            for o in objs {
                let body = match o.get("Body") {
                    Some(Value::String(b)) => b.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                opts.s3_objects.push(S3Object {
                    bucket: s(o.get("Bucket")).unwrap_or_default(),
                    key: s(o.get("Key")).unwrap_or_default(),
                    body,
                });
            }
        }
        if let Some(seed) = ctx.get("seed").and_then(Value::as_u64) {
            opts.seed = seed;
        }
        match ctx.get("maxPayloadBytes") {
            Some(Value::Null) => opts.max_payload_bytes = Some(usize::MAX),
            Some(v) => {
                if let Some(n) = v.as_u64() {
                    opts.max_payload_bytes = Some(usize::try_from(n).unwrap_or(usize::MAX));
                }
            }
            None => {}
        }
        opts
    }
}

/// How a Task state talks to its resource; it decides the history events and the waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integration {
    /// An optimised or AWS SDK integration, request/response (`arn:aws:states:::sqs:sendMessage`).
    RequestResponse,
    /// `.sync` / `.sync:2`: run a job and wait for it (TaskSubmitted, then TaskSucceeded).
    Sync,
    /// `.waitForTaskToken`: pause until the host calls back with the task token.
    WaitForTaskToken,
    /// An activity ARN (`arn:aws:states:...:activity:name`): Activity* events.
    Activity,
    /// A plain Lambda function ARN: LambdaFunction* events.
    LambdaArn,
}

/// One call of a Task state's resource, as the interpreter sends it to the host.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRequest {
    /// Identifies this call in [`crate::Execution::complete_task`]; unique per execution.
    pub task_id: u64,
    /// The Task state's name.
    pub state_name: Arc<str>,
    /// The `Resource` field as written.
    pub resource: Arc<str>,
    /// The effective parameters sent (after InputPath/Parameters or Arguments), shared with
    /// the history event that records them.
    pub input: Arc<Value>,
    /// How many times this state was invoked before in this execution (retries included), 0-based.
    pub invocation: u32,
    /// How many retries of the current state entry preceded this call.
    pub retry_count: u32,
    /// The enclosing Map iterations, outermost first: (Map state name, iteration index).
    pub map_path: Arc<[(Arc<str>, usize)]>,
    /// The task token for `.waitForTaskToken` tasks.
    pub task_token: Option<String>,
    /// The integration pattern.
    pub integration: Integration,
}

/// The host's answer to a [`TaskRequest`].
///
/// Two answers are equal when they say the same thing: [`TaskAnswer::Return`] and
/// [`TaskAnswer::Shared`] of equal results are equal.
#[derive(Debug, Clone)]
pub enum TaskAnswer {
    /// The task succeeded with this raw result.
    Return(Value),
    /// The task succeeded with this raw result, shared rather than copied: a host that gives
    /// the same answer many times (a mock file) hands out references to one value, and the
    /// history records it without a copy.
    Shared(Arc<Value>),
    /// The task failed.
    Throw {
        /// The error name, e.g. `Lambda.Unknown`.
        error: Option<String>,
        /// The cause text.
        cause: Option<String>,
    },
    /// The task timed out (TaskTimedOut instead of TaskFailed).
    TimedOut {
        /// The error name (default `States.Timeout`).
        error: Option<String>,
        /// The cause text.
        cause: Option<String>,
    },
    /// For `.sync` and `.waitForTaskToken`: the submission response (TaskSubmitted), then the outcome.
    Submitted {
        /// The intermediate result recorded in TaskSubmitted.
        submitted: Value,
        /// The final outcome.
        then: Box<TaskAnswer>,
    },
    /// The host resolves the task later (callback, heartbeat, or `complete_task`).
    Pending,
}

impl TaskAnswer {
    /// The result of a successful answer ([`TaskAnswer::Return`] or [`TaskAnswer::Shared`]).
    pub fn returned(&self) -> Option<&Value> {
        match self {
            TaskAnswer::Return(v) => Some(v),
            TaskAnswer::Shared(v) => Some(v),
            _ => None,
        }
    }
}

impl PartialEq for TaskAnswer {
    fn eq(&self, other: &Self) -> bool {
        use TaskAnswer as A;
        match (self, other) {
            (A::Return(_) | A::Shared(_), A::Return(_) | A::Shared(_)) => {
                self.returned() == other.returned()
            }
            (
                A::Throw {
                    error: e1,
                    cause: c1,
                },
                A::Throw {
                    error: e2,
                    cause: c2,
                },
            )
            | (
                A::TimedOut {
                    error: e1,
                    cause: c1,
                },
                A::TimedOut {
                    error: e2,
                    cause: c2,
                },
            ) => e1 == e2 && c1 == c2,
            (
                A::Submitted {
                    submitted: s1,
                    then: t1,
                },
                A::Submitted {
                    submitted: s2,
                    then: t2,
                },
            ) => s1 == s2 && t1 == t2,
            (A::Pending, A::Pending) => true,
            _ => false,
        }
    }
}

/// Answers Task states synchronously (used by [`crate::run`]).
pub trait TaskHandler {
    /// Answers one task call.
    fn invoke(&mut self, req: &TaskRequest) -> TaskAnswer;

    /// The name of the worker that takes an activity task (`ActivityStarted`'s
    /// `workerName`); asked before [`TaskHandler::invoke`] for activity calls. `None` (the
    /// default) records no name, as AWS does for a worker that gave none.
    fn worker_name(&mut self, _req: &TaskRequest) -> Option<String> {
        None
    }
}

impl<F: FnMut(&TaskRequest) -> TaskAnswer> TaskHandler for F {
    fn invoke(&mut self, req: &TaskRequest) -> TaskAnswer {
        self(req)
    }
}

/// The status of an execution, as `DescribeExecution` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Still running (or blocked waiting for the host).
    Running,
    /// Finished successfully.
    Succeeded,
    /// Finished with an error.
    Failed,
    /// Hit the execution's `TimeoutSeconds` (or the Express limit).
    TimedOut,
    /// Stopped by the host.
    Aborted,
}

impl Status {
    /// The AWS spelling: `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`.
    pub fn as_aws(&self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// The outcome of a whole execution.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionResult {
    /// The final status.
    pub status: Status,
    /// The output (succeeded executions).
    pub output: Option<Value>,
    /// The error name (failed, timed out, aborted).
    pub error: Option<String>,
    /// The cause text.
    pub cause: Option<String>,
    /// The history, as `GetExecutionHistory` returns it.
    pub events: Vec<HistoryEvent>,
}

/// One history event.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    /// The event id, from 1.
    pub id: u64,
    /// The id of the previous event in the same logical thread (0 for none).
    pub previous_event_id: u64,
    /// Virtual time in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// The AWS event type, e.g. `TaskStateEntered`.
    pub kind: &'static str,
    /// The `...EventDetails` object; JSON payload fields (`input`, `output`, `parameters`) are JSON text, as AWS.
    pub details: Value,
}

impl HistoryEvent {
    /// The event as `GetExecutionHistory` returns it: `{"timestamp","type","id","previousEventId","<x>EventDetails"}`.
    pub fn to_aws_json(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "timestamp".to_string(),
            Value::String(crate::time::format_iso_millis(self.timestamp_ms)),
        );
        m.insert("type".to_string(), Value::String(self.kind.to_string()));
        m.insert("id".to_string(), json!(self.id));
        m.insert("previousEventId".to_string(), json!(self.previous_event_id));
        if let Some(key) = details_key(self.kind) {
            m.insert(key.to_string(), self.details.clone());
        }
        Value::Object(m)
    }
}

/// The name of the details field that an event type carries, if any.
pub fn details_key(kind: &str) -> Option<&'static str> {
    if kind.ends_with("StateEntered") {
        return Some("stateEnteredEventDetails");
    }
    if kind.ends_with("StateExited") {
        return Some("stateExitedEventDetails");
    }
    Some(match kind {
        "ExecutionStarted" => "executionStartedEventDetails",
        "ExecutionSucceeded" => "executionSucceededEventDetails",
        "ExecutionFailed" => "executionFailedEventDetails",
        "ExecutionTimedOut" => "executionTimedOutEventDetails",
        "ExecutionAborted" => "executionAbortedEventDetails",
        "TaskScheduled" => "taskScheduledEventDetails",
        "TaskStarted" => "taskStartedEventDetails",
        "TaskSubmitted" => "taskSubmittedEventDetails",
        "TaskSucceeded" => "taskSucceededEventDetails",
        "TaskFailed" => "taskFailedEventDetails",
        "TaskTimedOut" => "taskTimedOutEventDetails",
        "TaskStartFailed" => "taskStartFailedEventDetails",
        "TaskSubmitFailed" => "taskSubmitFailedEventDetails",
        "LambdaFunctionScheduled" => "lambdaFunctionScheduledEventDetails",
        "LambdaFunctionStarted" => return None,
        "LambdaFunctionSucceeded" => "lambdaFunctionSucceededEventDetails",
        "LambdaFunctionFailed" => "lambdaFunctionFailedEventDetails",
        "LambdaFunctionTimedOut" => "lambdaFunctionTimedOutEventDetails",
        "LambdaFunctionScheduleFailed" => "lambdaFunctionScheduleFailedEventDetails",
        "LambdaFunctionStartFailed" => "lambdaFunctionStartFailedEventDetails",
        "ActivityScheduled" => "activityScheduledEventDetails",
        "ActivityStarted" => "activityStartedEventDetails",
        "ActivitySucceeded" => "activitySucceededEventDetails",
        "ActivityFailed" => "activityFailedEventDetails",
        "ActivityTimedOut" => "activityTimedOutEventDetails",
        "ActivityScheduleFailed" => "activityScheduleFailedEventDetails",
        "MapStateStarted" => "mapStateStartedEventDetails",
        "MapIterationStarted" => "mapIterationStartedEventDetails",
        "MapIterationSucceeded" => "mapIterationSucceededEventDetails",
        "MapIterationFailed" => "mapIterationFailedEventDetails",
        "MapIterationAborted" => "mapIterationAbortedEventDetails",
        "MapRunStarted" => "mapRunStartedEventDetails",
        "MapRunFailed" => "mapRunFailedEventDetails",
        "MapRunRedriven" => "mapRunRedrivenEventDetails",
        "EvaluationFailed" => "evaluationFailedEventDetails",
        "ExecutionRedriven" => "executionRedrivenEventDetails",
        _ => return None,
    })
}

/// Something the execution needs from its host before it can go on.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Call a task; answer with [`crate::Execution::complete_task`].
    InvokeTask(TaskRequest),
    /// A `.waitForTaskToken` task is waiting for `send_task_success/failure/heartbeat` with this token.
    AwaitCallback {
        /// The task call this token belongs to.
        task_id: u64,
        /// The task token.
        token: String,
    },
    /// Nothing can run before virtual time `ms` (a Wait state, a retry back-off or a timeout);
    /// call [`crate::Execution::advance_clock_to`] then `advance` again.
    WaitUntil {
        /// Virtual time in milliseconds since the Unix epoch.
        ms: i64,
    },
    /// The execution is about to enter a state that has a breakpoint; `advance` again to go on.
    Breakpoint {
        /// The state's name.
        state_name: String,
    },
    /// The execution has ended.
    Finished(Status),
}
