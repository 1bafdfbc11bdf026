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

/// The test cases saved with a document, run as `asl test` runs them, with their coverage.
///
/// A document keeps its test cases in [`Settings::tests`](crate::Settings) as the
/// `testCases` array of a studio document ([`asl_interp::mock::StudioDocument`]): `name`,
/// `input`, `mocks` (per-state), `unmocked`, `expect`. The studio adds one field,
/// `mockTestCase`: the name of a test case of the document's MockConfigFile
/// ([`Settings::test_cases`](crate::Settings)) whose responses become the case's mocks when
/// the document is exported ([`studio_document`]) or run ([`run_test_cases`]).
pub mod tests {
    use std::collections::BTreeSet;

    use asl_interp::mock::{StudioDocument, states_entered};
    use asl_interp::{ExecutionResult, HistoryEvent, RunOptions};
    use serde_json::{Map, Value, json};

    use crate::document::{MachineType, Settings};

    /// The outcome of one test case.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CaseOutcome {
        /// The test case's name.
        pub name: String,
        /// Whether every expectation held.
        pub passed: bool,
        /// Why it failed (one line), when it did.
        pub reason: Option<String>,
        /// The execution status (`SUCCEEDED`, `FAILED`...), or `ERROR` when it could not run.
        pub status: String,
    }

    /// The outcomes of all test cases and what they covered together.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct TestReport {
        /// One outcome per test case, in document order.
        pub cases: Vec<CaseOutcome>,
        /// The states entered by at least one test case.
        pub states: BTreeSet<String>,
        /// The transitions taken, as the graph's `(data-from, data-to)` edge ends.
        pub edges: BTreeSet<(String, String)>,
    }

    impl TestReport {
        /// How many test cases passed.
        pub fn passed(&self) -> usize {
            self.cases.iter().filter(|c| c.passed).count()
        }
    }

    /// The per-state mocks of a MockConfigFile test case (`{state: {"0": ..., "1-2": ...}}`),
    /// or `None` when the file has no such test case. The machine named `machine` is
    /// preferred; otherwise the first machine holding the test case.
    pub fn mock_file_case(mock_config: &Value, machine: &str, case: &str) -> Option<Value> {
        let machines = mock_config.get("StateMachines")?.as_object()?;
        let cases = machines
            .get(machine)
            .and_then(|m| m.get("TestCases")?.get(case))
            .or_else(|| {
                machines
                    .values()
                    .find_map(|m| m.get("TestCases")?.get(case))
            })?
            .as_object()?;
        let responses = mock_config.get("MockedResponses");
        let mut out = Map::new();
        for (state, name) in cases {
            let response = name
                .as_str()
                .and_then(|n| responses?.get(n))
                .cloned()
                .unwrap_or_else(|| json!({}));
            out.insert(state.clone(), response);
        }
        Some(Value::Object(out))
    }

    /// One saved test case made ready for `asl test`: `mockTestCase` replaced by the mocks it
    /// names (explicit `mocks` entries win) and the machine type put in its `context`.
    pub fn resolve_case(case: &Value, settings: &Settings) -> Value {
        let Some(obj) = case.as_object() else {
            return case.clone();
        };
        let mut out = obj.clone();
        if let Some(name) = out.remove("mockTestCase").as_ref().and_then(Value::as_str) {
            let mut mocks = mock_file_case(&settings.test_cases, &settings.name, name)
                .unwrap_or_else(|| {
                    // A missing mock test case must fail the case, not run it unmocked.
                    json!({ "__missing": format!("the mock file has no test case \"{name}\"") })
                });
            if let (Some(m), Some(explicit)) = (
                mocks.as_object_mut(),
                obj.get("mocks").and_then(Value::as_object),
            ) {
                for (k, v) in explicit {
                    m.insert(k.clone(), v.clone());
                }
            }
            out.insert("mocks".into(), mocks);
        }
        if settings.machine_type == MachineType::Express {
            let context = out
                .entry("context")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(c) = context.as_object_mut() {
                c.insert("stateMachineType".into(), json!("EXPRESS"));
            }
        }
        Value::Object(out)
    }

    /// The studio document `asl test` reads: the definition with the resolved test cases.
    pub fn studio_document(definition: &Value, settings: &Settings) -> Value {
        let cases: Vec<Value> = settings
            .tests
            .as_array()
            .map(|a| a.iter().map(|c| resolve_case(c, settings)).collect())
            .unwrap_or_default();
        let mut doc = Map::new();
        doc.insert("version".into(), json!(1));
        if !settings.name.is_empty() {
            doc.insert("name".into(), json!(settings.name));
        }
        doc.insert("definition".into(), definition.clone());
        doc.insert("testCases".into(), Value::Array(cases));
        Value::Object(doc)
    }

    /// Runs every test case of a studio document and gathers their coverage.
    pub fn run_test_cases(document: &Value) -> Result<TestReport, String> {
        let doc = StudioDocument::parse(document).map_err(|e| e.to_string())?;
        let program = asl_interp::compile(&doc.definition).map_err(|e| {
            format!(
                "the definition cannot run: {} (at {})",
                e.message, e.pointer
            )
        })?;
        let mut report = TestReport::default();
        for case in &doc.test_cases {
            let missing = case
                .mocks
                .get("__missing")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let mocks = match missing {
                Some(m) => Err(m),
                None => case.build_mocks().map_err(|e| e.to_string()),
            };
            let express = case
                .context
                .as_ref()
                .and_then(|c| c.get("stateMachineType"))
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("EXPRESS"));
            let refused = if express {
                express_refusal(&doc.definition)
            } else {
                None
            };
            let outcome = match mocks {
                _ if refused.is_some() => CaseOutcome {
                    name: case.name.clone(),
                    passed: false,
                    reason: refused,
                    status: "ERROR".into(),
                },
                Err(e) => CaseOutcome {
                    name: case.name.clone(),
                    passed: false,
                    reason: Some(format!("bad mocks: {e}")),
                    status: "ERROR".into(),
                },
                Ok(mut mocks) => {
                    let opts = case
                        .context
                        .as_ref()
                        .map(RunOptions::from_corpus_context)
                        .unwrap_or_default();
                    let result = asl_interp::run(&program, case.input.clone(), &opts, &mut mocks);
                    let (states, edges) = coverage(&result.events);
                    report.states.extend(states);
                    report.edges.extend(edges);
                    let check = case.expect.check(&result);
                    CaseOutcome {
                        name: case.name.clone(),
                        passed: check.is_ok(),
                        reason: check.err(),
                        status: result.status.as_aws().to_owned(),
                    }
                }
            };
            report.cases.push(outcome);
        }
        Ok(report)
    }

    /// Why AWS would not create this definition as an Express state machine (`.sync`,
    /// `.waitForTaskToken` and activities are Standard-only), as `CreateStateMachine`
    /// answers: `None` when it can be Express.
    pub fn express_refusal(definition: &Value) -> Option<String> {
        let text = serde_json::to_string(definition).ok()?;
        let opts = asl_core::ValidateOptions {
            machine_type: Some(asl_core::MachineType::Express),
        };
        let (_, diags) = asl_core::check_with(&text, asl_core::Format::Json, &opts);
        let d = diags.iter().find(|d| d.code == "ASL603")?;
        Some(format!(
            "InvalidDefinition: {} (at {})",
            d.message, d.pointer
        ))
    }

    /// The expectations a finished execution meets, to save it as a test case: its status,
    /// path, and its output (or error and cause).
    pub fn expect_of(result: &ExecutionResult) -> Value {
        let mut e = Map::new();
        e.insert("status".into(), json!(result.status.as_aws()));
        match &result.output {
            Some(o) => {
                e.insert("output".into(), o.clone());
            }
            None => {
                if let Some(err) = &result.error {
                    e.insert("error".into(), json!(err));
                }
                if let Some(cause) = &result.cause {
                    e.insert("cause".into(), json!(cause));
                }
            }
        }
        e.insert("path".into(), json!(states_entered(result)));
        Value::Object(e)
    }

    /// The states entered and the transitions taken in a history. A transition goes from a
    /// state's `*StateExited` to the `*StateEntered` whose `previousEventId` it is; the first
    /// state comes from `__start`, the first state of a branch or iteration from `__branch`,
    /// and a state that ends its scope (exits with nothing entered after it, or a Fail state)
    /// goes to `__end` or `__branch_end`: both ends are recorded, since only one exists in
    /// the graph for that state.
    pub fn coverage(events: &[HistoryEvent]) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
        let mut states = BTreeSet::new();
        let mut edges = BTreeSet::new();
        let mut exited: std::collections::HashMap<u64, String> = Default::default();
        let mut followed: BTreeSet<u64> = BTreeSet::new();
        let mut first = true;
        let name_of = |e: &HistoryEvent| {
            e.details
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        for e in events {
            if e.kind.ends_with("StateEntered") {
                let Some(name) = name_of(e) else { continue };
                match exited.get(&e.previous_event_id) {
                    Some(from) => {
                        followed.insert(e.previous_event_id);
                        edges.insert((from.clone(), name.clone()));
                    }
                    None if first => {
                        edges.insert(("__start".into(), name.clone()));
                    }
                    None => {
                        edges.insert(("__branch".into(), name.clone()));
                    }
                }
                first = false;
                if e.kind == "FailStateEntered" {
                    edges.insert((name.clone(), "__end".into()));
                    edges.insert((name.clone(), "__branch_end".into()));
                }
                states.insert(name);
            } else if e.kind.ends_with("StateExited")
                && let Some(name) = name_of(e)
            {
                exited.insert(e.id, name);
            }
        }
        for (id, name) in &exited {
            if !followed.contains(id) {
                edges.insert((name.clone(), "__end".into()));
                edges.insert((name.clone(), "__branch_end".into()));
            }
        }
        (states, edges)
    }
}
