//! The simulation session: an `asl-interp` execution of the current definition, the chosen
//! test case and the breakpoints. It is session state and never enters history. The run
//! mode extends this; the designer only keeps it consistent with renames and deletions.

use std::collections::BTreeSet;

use serde_json::Value;

/// One simulation of the document.
#[derive(Debug, Default)]
pub struct SimulationSession {
    /// The running or finished execution, once started.
    pub execution: Option<asl_interp::Execution>,
    /// The execution input.
    pub input: Value,
    /// The selected test case (a key of the mocks' `TestCases`), if any.
    pub test_case: Option<String>,
    /// State names where the execution pauses.
    pub breakpoints: BTreeSet<String>,
    /// The document content hash the execution was started from, to tell when it is stale.
    pub started_from: Option<u64>,
}

impl SimulationSession {
    /// Creates a session that has not started yet.
    pub fn new(input: Value, test_case: Option<String>) -> SimulationSession {
        SimulationSession {
            input,
            test_case,
            ..SimulationSession::default()
        }
    }

    /// Adds or removes a breakpoint; returns true when it is now set.
    pub fn toggle_breakpoint(&mut self, state: &str) -> bool {
        if self.breakpoints.remove(state) {
            false
        } else {
            self.breakpoints.insert(state.to_owned());
            true
        }
    }

    /// Follows a state rename.
    pub fn rename_state(&mut self, from: &str, to: &str) {
        if self.breakpoints.remove(from) {
            self.breakpoints.insert(to.to_owned());
        }
    }

    /// Drops breakpoints on states that no longer exist.
    pub fn retain_states(&mut self, exists: impl Fn(&str) -> bool) {
        self.breakpoints.retain(|s| exists(s));
    }
}
