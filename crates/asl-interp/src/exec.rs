//! The resumable execution engine.

use serde_json::Value;

use crate::host::{
    Effect, ExecutionResult, HistoryEvent, RunOptions, Status, TaskAnswer, TaskHandler,
};
use crate::program::Program;

/// One execution of a program, driven by the host through [`Execution::advance`].
#[derive(Debug)]
pub struct Execution {
    status: Status,
}

impl Execution {
    /// Starts an execution (records `ExecutionStarted`).
    pub fn start(_program: &Program, _input: Value, _opts: &RunOptions) -> Execution {
        Execution {
            status: Status::Running,
        }
    }

    /// Runs until the execution needs something from the host.
    pub fn advance(&mut self) -> Vec<Effect> {
        vec![Effect::Finished(self.status)]
    }

    /// Answers a task call.
    pub fn complete_task(&mut self, _task_id: u64, _answer: TaskAnswer) {}

    /// Moves the virtual clock forward (never backwards) to `ms`.
    pub fn advance_clock_to(&mut self, _ms: i64) {}

    /// The current virtual time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        0
    }

    /// `SendTaskSuccess`: resolves the `.waitForTaskToken` task with this token; false if unknown.
    pub fn send_task_success(&mut self, _token: &str, _output: Value) -> bool {
        false
    }

    /// `SendTaskFailure`: fails the `.waitForTaskToken` task with this token; false if unknown.
    pub fn send_task_failure(
        &mut self,
        _token: &str,
        _error: Option<String>,
        _cause: Option<String>,
    ) -> bool {
        false
    }

    /// `SendTaskHeartbeat`: resets the heartbeat timer of the task with this token; false if unknown.
    pub fn send_task_heartbeat(&mut self, _token: &str) -> bool {
        false
    }

    /// `StopExecution`: aborts the execution (ExecutionAborted).
    pub fn stop(&mut self, _error: Option<String>, _cause: Option<String>) {}

    /// Pauses before entering any state with one of these names (the app's breakpoints).
    pub fn set_breakpoints(&mut self, _state_names: Vec<String>) {}

    /// The history recorded so far.
    pub fn events(&self) -> Vec<HistoryEvent> {
        Vec::new()
    }

    /// The current status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The result so far (final once the status is not `Running`).
    pub fn result(&self) -> ExecutionResult {
        ExecutionResult {
            status: self.status,
            output: None,
            error: None,
            cause: None,
            events: self.events(),
        }
    }
}

/// Runs an execution to completion, answering tasks synchronously.
pub fn run(
    program: &Program,
    input: Value,
    opts: &RunOptions,
    _tasks: &mut dyn TaskHandler,
) -> ExecutionResult {
    let exec = Execution::start(program, input, opts);
    exec.result()
}
