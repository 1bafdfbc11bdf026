//! Mocked task results: one model for Step Functions Local mock files, corpus mocks and host handlers.
//!
//! [`Mocks`] answers Task states from a table keyed by state name, after giving the host's
//! registered handlers a chance. The table comes from three sources:
//!
//! * a Step Functions Local `MockConfigFile.json` ([`MockConfig::parse`], then
//!   [`MockConfig::mocks`] for one test case): `MockedResponses` entries keyed `"0"`, `"1-2"`...,
//!   each `Return` or `Throw`, indexed by a per-state invocation counter that counts retries;
//! * the conformance corpus `mocks` object ([`Mocks::from_corpus`]): per state, a list of
//!   `Return`/`Throw`/`TimedOut`/`Submitted` answers in invocation order, matched by Map
//!   iteration index when `MapIterations` is given;
//! * a per-state map mixing both forms ([`Mocks::from_state_map`]), as saved in studio documents.
//!
//! A `Mocks` value serves one execution: counters advance as tasks are invoked. Call
//! [`Mocks::reset`] before reusing it for another execution.

use crate::host::{TaskAnswer, TaskHandler, TaskRequest};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The error name of a task with no mocked response.
pub const NOT_FOUND_ERROR: &str = "Mock.NotFound";
/// The error name of a task invoked more often than its mocked responses allow.
pub const EXHAUSTED_ERROR: &str = "Mock.Exhausted";

/// Whether a mocks value is a `MockConfigFile` (it has `StateMachines` or `MockedResponses`)
/// rather than a per-state map.
pub fn is_mock_config(v: &Value) -> bool {
    v.get("StateMachines").is_some() || v.get("MockedResponses").is_some()
}

/// A malformed mock file or an impossible selection, with a message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError {
    /// What is wrong and where (e.g. `MockedResponses.LambdaMock: key "2" ...`).
    pub message: String,
}

impl MockError {
    fn new(message: impl Into<String>) -> MockError {
        MockError {
            message: message.into(),
        }
    }
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MockError {}

/// What to do with a Task state that has neither a handler nor a mocked response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unmocked {
    /// The task fails with [`NOT_FOUND_ERROR`] and a cause naming the state.
    #[default]
    Fail,
    /// The task succeeds and returns its input unchanged.
    EchoInput,
}

/// Which tasks a host handler answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerMatch {
    /// Tasks of the state with this exact name.
    State(String),
    /// Tasks whose `Resource` matches this pattern; `*` matches any run of characters.
    Resource(String),
    /// Every task.
    Any,
}

impl HandlerMatch {
    fn matches(&self, req: &TaskRequest) -> bool {
        match self {
            HandlerMatch::State(name) => **name == *req.state_name,
            HandlerMatch::Resource(pattern) => glob_match(pattern, &req.resource),
            HandlerMatch::Any => true,
        }
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// A host handler: `None` lets the next handler, then the table, answer.
pub type Handler = Box<dyn FnMut(&TaskRequest) -> Option<TaskAnswer>>;

/// One answer of a per-state list, with the Map iterations it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    /// The answer.
    pub answer: TaskAnswer,
    /// The enclosing Map iterations (outermost first) the call was made in, when known.
    pub map_iterations: Option<Vec<(String, usize)>>,
    /// The call sits in a Parallel block whose order was not recorded.
    pub unordered: bool,
}

/// The mocked responses of one state.
#[derive(Debug, Clone, PartialEq)]
pub enum StateMocks {
    /// A MockConfig `MockedResponses` entry: inclusive invocation ranges, consecutive from 0.
    Ranges {
        /// The mocked-response name (kept for export).
        name: String,
        /// `(first, last, answer)` sorted by `first`.
        ranges: Vec<(u32, u32, TaskAnswer)>,
    },
    /// A list of answers, consumed in order (matched by Map iteration when given).
    List(Vec<ListEntry>),
}

/// A parsed Step Functions Local `MockConfigFile.json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockConfig {
    /// Machine name → test-case name → state name → mocked-response name.
    pub machines: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    /// Mocked-response name → its invocation ranges.
    pub responses: BTreeMap<String, Vec<(u32, u32, TaskAnswer)>>,
}

fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, MockError> {
    v.as_object()
        .ok_or_else(|| MockError::new(format!("{what} must be a JSON object")))
}

fn opt_string(v: Option<&Value>, what: &str) -> Result<Option<String>, MockError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(MockError::new(format!("{what} must be a string"))),
    }
}

/// Parses `{"Error": ..., "Cause": ...}`.
fn parse_throw(v: &Value, what: &str) -> Result<(Option<String>, Option<String>), MockError> {
    let obj = object(v, what)?;
    for k in obj.keys() {
        if k != "Error" && k != "Cause" {
            return Err(MockError::new(format!(
                "{what}: unknown field \"{k}\" (expected \"Error\" and \"Cause\")"
            )));
        }
    }
    Ok((
        opt_string(obj.get("Error"), &format!("{what}.Error"))?,
        opt_string(obj.get("Cause"), &format!("{what}.Cause"))?,
    ))
}

/// Parses one response: exactly one of `Return` or `Throw`; `extended` also allows
/// `TimedOut`, `Submitted` and the corpus fields `Request`, `MapIterations`, `Unordered`.
fn parse_answer(v: &Value, what: &str, extended: bool) -> Result<TaskAnswer, MockError> {
    let obj = object(v, what)?;
    for k in obj.keys() {
        let known = matches!(k.as_str(), "Return" | "Throw")
            || extended
                && matches!(
                    k.as_str(),
                    "TimedOut" | "Submitted" | "Request" | "MapIterations" | "Unordered"
                );
        if !known {
            let allowed = if extended {
                "\"Return\", \"Throw\", \"TimedOut\", \"Submitted\""
            } else {
                "\"Return\" or \"Throw\""
            };
            return Err(MockError::new(format!(
                "{what}: unknown field \"{k}\" (expected {allowed})"
            )));
        }
    }
    let answer = match (obj.get("Return"), obj.get("Throw")) {
        (Some(_), Some(_)) => {
            return Err(MockError::new(format!(
                "{what} has both \"Return\" and \"Throw\"; give exactly one"
            )));
        }
        // In a list, a call that never finished (e.g. aborted with its Parallel block)
        // is recorded with its request only, or with its submission only: it stays pending.
        (None, None)
            if extended && (obj.contains_key("Submitted") || obj.contains_key("Request")) =>
        {
            TaskAnswer::Pending
        }
        (None, None) => {
            return Err(MockError::new(format!(
                "{what} has neither \"Return\" nor \"Throw\"; give exactly one"
            )));
        }
        // Stored once, handed out as references at every call.
        (Some(r), None) => TaskAnswer::Shared(Arc::new(r.clone())),
        (None, Some(t)) => {
            let (error, cause) = parse_throw(t, &format!("{what}.Throw"))?;
            match obj.get("TimedOut") {
                None | Some(Value::Bool(false)) => TaskAnswer::Throw { error, cause },
                Some(Value::Bool(true)) => TaskAnswer::TimedOut { error, cause },
                Some(_) => {
                    return Err(MockError::new(format!(
                        "{what}.TimedOut must be true or false"
                    )));
                }
            }
        }
    };
    Ok(match obj.get("Submitted") {
        Some(s) => TaskAnswer::Submitted {
            submitted: s.clone(),
            then: Box::new(answer),
        },
        None => answer,
    })
}

/// Parses a MockedResponse object (`{"0": {...}, "1-2": {...}}`) into sorted, checked ranges.
fn parse_ranges(v: &Value, what: &str) -> Result<Vec<(u32, u32, TaskAnswer)>, MockError> {
    let obj = object(v, what)?;
    if obj.is_empty() {
        return Err(MockError::new(format!(
            "{what} is empty; give at least the invocation \"0\""
        )));
    }
    let mut ranges = Vec::new();
    for (key, resp) in obj {
        let bad_key = || {
            MockError::new(format!(
                "{what}: key \"{key}\" is not an invocation number (\"0\") or range (\"1-2\")"
            ))
        };
        let num = |s: &str| -> Result<u32, MockError> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_key());
            }
            s.parse::<u32>().map_err(|_| bad_key())
        };
        let (first, last) = match key.split_once('-') {
            Some((a, b)) => (num(a.trim())?, num(b.trim())?),
            None => {
                let n = num(key.trim())?;
                (n, n)
            }
        };
        if last < first {
            return Err(MockError::new(format!(
                "{what}: range \"{key}\" ends before it starts"
            )));
        }
        let answer = parse_answer(resp, &format!("{what}.\"{key}\""), false)?;
        ranges.push((first, last, answer));
    }
    ranges.sort_by_key(|r| r.0);
    let mut next = 0u32;
    for (first, last, _) in &ranges {
        if *first != next {
            let msg = if *first < next {
                format!("{what}: invocation {first} is given twice (ranges overlap)")
            } else {
                format!(
                    "{what}: invocation keys must be consecutive from 0, but invocation {next} is missing"
                )
            };
            return Err(MockError::new(msg));
        }
        next = last.saturating_add(1);
    }
    Ok(ranges)
}

fn parse_list(v: &[Value], what: &str) -> Result<Vec<ListEntry>, MockError> {
    let mut out = Vec::new();
    for (i, item) in v.iter().enumerate() {
        let what = format!("{what}[{i}]");
        let answer = parse_answer(item, &what, true)?;
        let map_iterations = match item.get("MapIterations") {
            None | Some(Value::Null) => None,
            Some(Value::Array(its)) => {
                let mut path = Vec::new();
                for it in its {
                    let name = it.get("Map").and_then(Value::as_str);
                    let index = it.get("Index").and_then(Value::as_u64);
                    match (name, index) {
                        (Some(n), Some(ix)) => path.push((n.to_string(), ix as usize)),
                        _ => {
                            return Err(MockError::new(format!(
                                "{what}.MapIterations: each item needs \"Map\" (string) and \"Index\" (integer)"
                            )));
                        }
                    }
                }
                Some(path)
            }
            Some(_) => {
                return Err(MockError::new(format!(
                    "{what}.MapIterations must be an array"
                )));
            }
        };
        let unordered = item
            .get("Unordered")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        out.push(ListEntry {
            answer,
            map_iterations,
            unordered,
        });
    }
    Ok(out)
}

impl MockConfig {
    /// Parses and validates a MockConfigFile JSON text.
    pub fn from_text(text: &str) -> Result<MockConfig, MockError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| MockError::new(format!("the mock file is not valid JSON: {e}")))?;
        MockConfig::parse(&v)
    }

    /// Parses and validates a MockConfigFile value.
    pub fn parse(v: &Value) -> Result<MockConfig, MockError> {
        let root = object(v, "the mock file")?;
        for k in root.keys() {
            if k != "StateMachines" && k != "MockedResponses" {
                return Err(MockError::new(format!(
                    "the mock file has an unknown top-level field \"{k}\" (expected \"StateMachines\" and \"MockedResponses\")"
                )));
            }
        }
        let mut cfg = MockConfig::default();
        if let Some(responses) = root.get("MockedResponses") {
            for (name, r) in object(responses, "MockedResponses")? {
                let ranges = parse_ranges(r, &format!("MockedResponses.{name}"))?;
                cfg.responses.insert(name.clone(), ranges);
            }
        }
        if let Some(machines) = root.get("StateMachines") {
            for (machine, m) in object(machines, "StateMachines")? {
                let what = format!("StateMachines.{machine}");
                let m = object(m, &what)?;
                for k in m.keys() {
                    if k != "TestCases" {
                        return Err(MockError::new(format!(
                            "{what}: unknown field \"{k}\" (expected \"TestCases\")"
                        )));
                    }
                }
                let mut cases = BTreeMap::new();
                if let Some(tcs) = m.get("TestCases") {
                    for (case, states) in object(tcs, &format!("{what}.TestCases"))? {
                        let what = format!("{what}.TestCases.{case}");
                        let mut map = BTreeMap::new();
                        for (state, resp) in object(states, &what)? {
                            let resp = resp.as_str().ok_or_else(|| {
                                MockError::new(format!(
                                    "{what}.{state} must be the name of a mocked response"
                                ))
                            })?;
                            if !cfg.responses.contains_key(resp) {
                                return Err(MockError::new(format!(
                                    "{what}.{state} refers to the mocked response \"{resp}\", which MockedResponses does not define"
                                )));
                            }
                            map.insert(state.clone(), resp.to_string());
                        }
                        cases.insert(case.clone(), map);
                    }
                }
                cfg.machines.insert(machine.clone(), cases);
            }
        }
        Ok(cfg)
    }

    /// The file as JSON again (`StateMachines`, `MockedResponses`), for saving after edits.
    /// Parsing the result gives back an equal `MockConfig`.
    pub fn to_value(&self) -> Value {
        let machines: Map<String, Value> = self
            .machines
            .iter()
            .map(|(m, cases)| {
                let cases: Map<String, Value> = cases
                    .iter()
                    .map(|(c, states)| {
                        let states: Map<String, Value> = states
                            .iter()
                            .map(|(s, r)| (s.clone(), Value::String(r.clone())))
                            .collect();
                        (c.clone(), Value::Object(states))
                    })
                    .collect();
                (m.clone(), json!({ "TestCases": cases }))
            })
            .collect();
        let responses: Map<String, Value> = self
            .responses
            .iter()
            .map(|(name, ranges)| (name.clone(), ranges_to_json(ranges)))
            .collect();
        json!({ "StateMachines": machines, "MockedResponses": responses })
    }

    /// Every `(machine, test case)` pair, in name order.
    pub fn test_cases(&self) -> Vec<(String, String)> {
        self.machines
            .iter()
            .flat_map(|(m, cases)| cases.keys().map(move |c| (m.clone(), c.clone())))
            .collect()
    }

    /// The mocks of one test case. `machine` picks the state machine; without it (or when
    /// the file has no machine of that name but exactly one machine has the test case), the
    /// machine holding `test_case` is used.
    pub fn mocks(&self, machine: Option<&str>, test_case: &str) -> Result<Mocks, MockError> {
        let holders: Vec<&String> = self
            .machines
            .iter()
            .filter(|(_, cases)| cases.contains_key(test_case))
            .map(|(m, _)| m)
            .collect();
        let chosen = match machine {
            Some(m) if self.machines.contains_key(m) => m.to_string(),
            _ if holders.len() == 1 => holders[0].clone(),
            _ if holders.is_empty() => {
                let known: Vec<String> = self
                    .test_cases()
                    .into_iter()
                    .map(|(m, c)| format!("{m}#{c}"))
                    .collect();
                return Err(MockError::new(format!(
                    "the mock file has no test case \"{test_case}\" (it has: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            }
            _ => {
                let names: Vec<&str> = holders.iter().map(|s| s.as_str()).collect();
                return Err(MockError::new(format!(
                    "the test case \"{test_case}\" exists for several state machines ({}); choose one",
                    names.join(", ")
                )));
            }
        };
        let case = self
            .machines
            .get(&chosen)
            .and_then(|cases| cases.get(test_case))
            .ok_or_else(|| {
                MockError::new(format!(
                    "the state machine \"{chosen}\" has no test case \"{test_case}\""
                ))
            })?;
        let mut mocks = Mocks::new();
        for (state, resp) in case {
            let ranges = self.responses.get(resp).cloned().unwrap_or_default();
            mocks.states.insert(
                state.clone(),
                StateMocks::Ranges {
                    name: resp.clone(),
                    ranges,
                },
            );
        }
        Ok(mocks)
    }
}

/// Answers Task states from host handlers, then from a table of mocked responses.
pub struct Mocks {
    states: BTreeMap<String, StateMocks>,
    counters: BTreeMap<String, u32>,
    used: BTreeMap<String, Vec<bool>>,
    handlers: Vec<(HandlerMatch, Handler)>,
    /// What unmocked tasks do.
    pub unmocked: Unmocked,
    /// The worker name activity tasks report (`ActivityStarted.workerName`), if any.
    pub worker_name: Option<String>,
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocks")
            .field("states", &self.states)
            .field("counters", &self.counters)
            .field("handlers", &self.handlers.len())
            .field("unmocked", &self.unmocked)
            .finish()
    }
}

impl Default for Mocks {
    fn default() -> Self {
        Mocks::new()
    }
}

fn answer_to_json(answer: &TaskAnswer) -> Value {
    match answer {
        TaskAnswer::Return(v) => json!({ "Return": v }),
        TaskAnswer::Shared(v) => json!({ "Return": **v }),
        TaskAnswer::Throw { error, cause } | TaskAnswer::TimedOut { error, cause } => {
            let mut t = Map::new();
            let error = match (answer, error) {
                (TaskAnswer::TimedOut { .. }, None) => Some("States.Timeout".to_string()),
                (_, e) => e.clone(),
            };
            if let Some(e) = error {
                t.insert("Error".into(), Value::String(e));
            }
            if let Some(c) = cause {
                t.insert("Cause".into(), Value::String(c.clone()));
            }
            json!({ "Throw": t })
        }
        TaskAnswer::Submitted { then, .. } => answer_to_json(then),
        TaskAnswer::Pending => json!({ "Throw": {"Error": EXHAUSTED_ERROR, "Cause": "pending"} }),
    }
}

/// A MockedResponse object: `{"0": {...}, "1-2": {...}}`.
fn ranges_to_json(ranges: &[(u32, u32, TaskAnswer)]) -> Value {
    let mut r = Map::new();
    for (first, last, answer) in ranges {
        let key = if first == last {
            first.to_string()
        } else {
            format!("{first}-{last}")
        };
        r.insert(key, answer_to_json(answer));
    }
    Value::Object(r)
}

impl Mocks {
    /// An empty table: every task is unmocked.
    pub fn new() -> Mocks {
        Mocks {
            states: BTreeMap::new(),
            counters: BTreeMap::new(),
            used: BTreeMap::new(),
            handlers: Vec::new(),
            unmocked: Unmocked::Fail,
            worker_name: None,
        }
    }

    /// Names the worker that takes activity tasks (recorded in `ActivityStarted`).
    pub fn with_worker_name(mut self, name: impl Into<String>) -> Mocks {
        self.worker_name = Some(name.into());
        self
    }

    /// Reads a corpus case's `mocks` object: per state, a list of answers.
    pub fn from_corpus(v: &Value) -> Result<Mocks, MockError> {
        Mocks::from_state_map(v)
    }

    /// Reads a per-state map whose values are either lists of answers (corpus form) or
    /// MockConfig `MockedResponses` objects keyed by invocation (`"0"`, `"1-2"`).
    pub fn from_state_map(v: &Value) -> Result<Mocks, MockError> {
        let mut mocks = Mocks::new();
        if v.is_null() {
            return Ok(mocks);
        }
        for (state, m) in object(v, "mocks")? {
            let what = format!("mocks.{state}");
            let sm = match m {
                Value::Array(items) => StateMocks::List(parse_list(items, &what)?),
                Value::Object(_) => StateMocks::Ranges {
                    name: state.clone(),
                    ranges: parse_ranges(m, &what)?,
                },
                _ => {
                    return Err(MockError::new(format!(
                        "{what} must be a list of responses or an object keyed by invocation (\"0\", \"1-2\")"
                    )));
                }
            };
            mocks.states.insert(state.clone(), sm);
        }
        Ok(mocks)
    }

    /// Reads mocks in either form a user writes them: a Step Functions Local `MockConfigFile`
    /// (with `StateMachines` or `MockedResponses`), whose `test_case` is run (without one, the
    /// file's only test case; `machine` picks the state machine, see [`MockConfig::mocks`]), or
    /// a per-state map ([`Mocks::from_state_map`], which has no test cases to pick).
    /// `choose` says how the caller names a test case (`--test-case`), for the error of a file
    /// with several test cases and none named.
    pub fn from_json(
        v: &Value,
        machine: Option<&str>,
        test_case: Option<&str>,
        choose: &str,
    ) -> Result<Mocks, MockError> {
        if !is_mock_config(v) {
            return Mocks::from_state_map(v);
        }
        let cfg = MockConfig::parse(v)?;
        let case = match test_case {
            Some(c) => c.to_string(),
            None => match cfg.test_cases().as_slice() {
                [(_, only)] => only.clone(),
                [] => return Err(MockError::new("the mock file has no test cases")),
                all => {
                    let names: Vec<String> = all.iter().map(|(m, c)| format!("{m}#{c}")).collect();
                    return Err(MockError::new(format!(
                        "the mock file has several test cases ({}); choose one with {choose}",
                        names.join(", ")
                    )));
                }
            },
        };
        cfg.mocks(machine, &case)
    }

    /// Sets the policy for unmocked tasks.
    pub fn with_unmocked(mut self, policy: Unmocked) -> Mocks {
        self.unmocked = policy;
        self
    }

    /// Registers a host handler, tried (in registration order) before the table.
    pub fn with_handler(mut self, matcher: HandlerMatch, handler: Handler) -> Mocks {
        self.handlers.push((matcher, handler));
        self
    }

    /// Sets the mocked responses of one state.
    pub fn set_state(&mut self, state: &str, mocks: StateMocks) {
        self.states.insert(state.to_string(), mocks);
    }

    /// The mocked responses per state.
    pub fn states(&self) -> &BTreeMap<String, StateMocks> {
        &self.states
    }

    /// Forgets the invocations made so far, so the table can serve a new execution.
    pub fn reset(&mut self) {
        self.counters.clear();
        self.used.clear();
    }

    /// Exports the table as a MockConfigFile with one test case. Host handlers are not
    /// exported; timeouts become `Throw` (MockConfigFile has no timeout form) and
    /// `Submitted` answers keep only their final outcome.
    pub fn to_mock_config(&self, machine_name: &str, test_case: &str) -> Value {
        let mut case = Map::new();
        let mut responses = Map::new();
        for (state, sm) in &self.states {
            let (name, ranges): (String, Vec<(u32, u32, TaskAnswer)>) = match sm {
                StateMocks::Ranges { name, ranges } => (name.clone(), ranges.clone()),
                StateMocks::List(entries) => {
                    let mut ranges: Vec<(u32, u32, TaskAnswer)> = Vec::new();
                    for (i, e) in entries.iter().enumerate() {
                        let i = i as u32;
                        match ranges.last_mut() {
                            Some(last) if last.2 == e.answer => last.1 = i,
                            _ => ranges.push((i, i, e.answer.clone())),
                        }
                    }
                    (state.clone(), ranges)
                }
            };
            if ranges.is_empty() {
                continue;
            }
            let mut unique = name.clone();
            let mut n = 2;
            while responses.contains_key(&unique) {
                unique = format!("{name}{n}");
                n += 1;
            }
            case.insert(state.clone(), Value::String(unique.clone()));
            responses.insert(unique, ranges_to_json(&ranges));
        }
        json!({
            "StateMachines": { machine_name: { "TestCases": { test_case: case } } },
            "MockedResponses": responses
        })
    }

    fn not_found(req: &TaskRequest) -> TaskAnswer {
        TaskAnswer::Throw {
            error: Some(NOT_FOUND_ERROR.to_string()),
            cause: Some(format!(
                "No mocked response for Task state '{}' (Resource '{}'). Add a mocked response for this state to the test case.",
                req.state_name, req.resource
            )),
        }
    }

    fn answer_from_table(&mut self, req: &TaskRequest) -> Option<TaskAnswer> {
        let sm = self.states.get(&*req.state_name)?;
        // Looked up by reference: the name is copied once, on the state's first call.
        let invocation = match self.counters.get_mut(&*req.state_name) {
            Some(c) => {
                *c += 1;
                *c - 1
            }
            None => {
                self.counters.insert(String::from(&*req.state_name), 1);
                0
            }
        };
        Some(match sm {
            StateMocks::Ranges { name, ranges } => ranges
                .iter()
                .find(|(a, b, _)| *a <= invocation && invocation <= *b)
                .map(|(_, _, ans)| ans.clone())
                .unwrap_or_else(|| {
                    let defined = ranges.last().map(|r| r.1).unwrap_or(0);
                    TaskAnswer::Throw {
                        error: Some(EXHAUSTED_ERROR.to_string()),
                        cause: Some(format!(
                            "Task state '{}' was invoked for the {} time (invocation {invocation}, counted from 0 with retries), but its mocked response '{name}' defines only invocations 0-{defined}.",
                            req.state_name,
                            ordinal(invocation + 1)
                        )),
                    }
                }),
            StateMocks::List(entries) => {
                let used = self
                    .used
                    .entry(String::from(&*req.state_name))
                    .or_insert_with(|| vec![false; entries.len()]);
                let by_iteration = (!req.map_path.is_empty())
                    .then(|| {
                        (0..entries.len()).find(|&i| {
                            !used[i]
                                && entries[i]
                                    .map_iterations
                                    .as_deref()
                                    .is_some_and(|m| same_map_path(m, &req.map_path))
                        })
                    })
                    .flatten();
                match by_iteration.or_else(|| (0..entries.len()).find(|&i| !used[i])) {
                    Some(i) => {
                        used[i] = true;
                        entries[i].answer.clone()
                    }
                    None => TaskAnswer::Throw {
                        error: Some(EXHAUSTED_ERROR.to_string()),
                        cause: Some(format!(
                            "Task state '{}' was invoked for the {} time (invocation {invocation}, counted from 0 with retries), but only {} mocked response(s) are given for it.",
                            req.state_name,
                            ordinal(invocation + 1),
                            entries.len()
                        )),
                    },
                }
            }
        })
    }
}

/// Whether a mock's `MapIterations` names the request's enclosing iterations.
fn same_map_path(mock: &[(String, usize)], req: &[(Arc<str>, usize)]) -> bool {
    mock.len() == req.len()
        && mock
            .iter()
            .zip(req)
            .all(|((a, i), (b, j))| a.as_str() == &**b && i == j)
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl TaskHandler for Mocks {
    fn worker_name(&mut self, _req: &TaskRequest) -> Option<String> {
        self.worker_name.clone()
    }

    fn invoke(&mut self, req: &TaskRequest) -> TaskAnswer {
        for (matcher, handler) in &mut self.handlers {
            if matcher.matches(req)
                && let Some(answer) = handler(req)
            {
                return answer;
            }
        }
        if let Some(answer) = self.answer_from_table(req) {
            return answer;
        }
        match self.unmocked {
            Unmocked::Fail => Mocks::not_found(req),
            Unmocked::EchoInput => TaskAnswer::Return((*req.input).clone()),
        }
    }
}

/// What a saved test case expects of its execution; absent fields are not checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    /// `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    pub status: Option<String>,
    /// The execution output (JSON, numbers compared by value).
    pub output: Option<Value>,
    /// The error name (a JSON string, or `null` for none).
    pub error: Option<Value>,
    /// The cause (a JSON string, or `null` for none).
    pub cause: Option<Value>,
    /// The names of the states entered, in history order.
    pub path: Option<Vec<String>>,
}

impl Expect {
    /// Expects a successful execution and nothing else.
    pub fn success() -> Expect {
        Expect {
            status: Some("SUCCEEDED".to_string()),
            ..Expect::default()
        }
    }

    /// Reads an `expect` object (`status`, `output`, `error`, `cause`, `path`).
    pub fn parse(v: &Value) -> Result<Expect, MockError> {
        let obj = object(v, "expect")?;
        for k in obj.keys() {
            if !matches!(k.as_str(), "status" | "output" | "error" | "cause" | "path") {
                return Err(MockError::new(format!(
                    "expect has an unknown field \"{k}\" (expected status, output, error, cause, path)"
                )));
            }
        }
        let path = match obj.get("path") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| MockError::new("expect.path must list state names"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => return Err(MockError::new("expect.path must be an array")),
        };
        Ok(Expect {
            status: opt_string(obj.get("status"), "expect.status")?,
            output: obj.get("output").cloned(),
            error: obj.get("error").cloned(),
            cause: obj.get("cause").cloned(),
            path,
        })
    }

    /// Checks an execution result; `Err` says what differs, in one line.
    pub fn check(&self, result: &crate::ExecutionResult) -> Result<(), String> {
        let status = result.status.as_aws();
        if let Some(want) = &self.status
            && want != status
        {
            let detail = match (&result.error, &result.cause) {
                (Some(e), Some(c)) => format!(" ({e}: {c})"),
                (Some(e), None) => format!(" ({e})"),
                _ => String::new(),
            };
            return Err(format!("expected status {want}, got {status}{detail}"));
        }
        let text = |s: &Option<String>| s.clone().map(Value::String).unwrap_or(Value::Null);
        let fields = [
            (
                "output",
                &self.output,
                result.output.clone().unwrap_or(Value::Null),
            ),
            ("error", &self.error, text(&result.error)),
            ("cause", &self.cause, text(&result.cause)),
        ];
        for (name, want, got) in fields {
            if let Some(want) = want
                && let Some((at, w, g)) = first_difference(want, &got, &format!("/{name}"))
            {
                return Err(format!("{name} differs at {at}: expected {w}, got {g}"));
            }
        }
        if let Some(want) = &self.path {
            let got = states_entered(result);
            if *want != got {
                return Err(format!(
                    "expected path [{}], got [{}]",
                    want.join(", "),
                    got.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The names of the states entered, in history order.
pub fn states_entered(result: &crate::ExecutionResult) -> Vec<String> {
    result
        .events
        .iter()
        .filter(|e| e.kind.ends_with("StateEntered"))
        .filter_map(|e| e.details.get("name").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// The first place where two JSON values differ (numbers by value, key order ignored):
/// `(path, expected, actual)`, with `(missing)`/`(absent)` for keys on one side only.
pub fn first_difference(
    expected: &Value,
    actual: &Value,
    path: &str,
) -> Option<(String, String, String)> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let at = format!("{path}/{k}");
                match a.get(k) {
                    None => return Some((at, ev.to_string(), "(missing)".into())),
                    Some(av) => {
                        if let Some(d) = first_difference(ev, av, &at) {
                            return Some(d);
                        }
                    }
                }
            }
            a.iter()
                .find(|(k, _)| !e.contains_key(*k))
                .map(|(k, av)| (format!("{path}/{k}"), "(absent)".into(), av.to_string()))
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .find_map(|(i, (ev, av))| first_difference(ev, av, &format!("{path}/{i}"))),
        (Value::Number(e), Value::Number(a)) => {
            let same = match (e.as_i64(), a.as_i64(), e.as_u64(), a.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => e.as_f64() == a.as_f64(),
            };
            (!same).then(|| (path.to_string(), expected.to_string(), actual.to_string()))
        }
        (e, a) => (e != a).then(|| (path.to_string(), e.to_string(), a.to_string())),
    }
}

/// One named test case saved with a studio document.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// The test case's name.
    pub name: String,
    /// The execution input (default `{}`).
    pub input: Value,
    /// A corpus-style `context` object for [`crate::RunOptions::from_corpus_context`], if any.
    pub context: Option<Value>,
    /// What unmocked tasks do.
    pub unmocked: Unmocked,
    /// The per-state mocks as saved (see [`Mocks::from_state_map`]).
    pub mocks: Value,
    /// What the execution must give.
    pub expect: Expect,
}

impl TestCase {
    /// The mocks of this test case, ready to answer one execution.
    pub fn build_mocks(&self) -> Result<Mocks, MockError> {
        Ok(Mocks::from_state_map(&self.mocks)?.with_unmocked(self.unmocked))
    }
}

/// A studio document (version 1): a definition with named test cases. Other top-level
/// fields (layout, notes) belong to the app and are ignored here.
#[derive(Debug, Clone, PartialEq)]
pub struct StudioDocument {
    /// The document's name, if given.
    pub name: Option<String>,
    /// The state machine definition.
    pub definition: Value,
    /// The saved test cases.
    pub test_cases: Vec<TestCase>,
}

impl StudioDocument {
    /// Whether a JSON value looks like a studio document rather than a plain definition.
    pub fn is_document(v: &Value) -> bool {
        v.get("definition").is_some() || v.get("testCases").is_some()
    }

    /// Reads a studio document; mocks are checked when a test case is run
    /// ([`TestCase::build_mocks`]), so one bad test case does not hide the others.
    pub fn parse(v: &Value) -> Result<StudioDocument, MockError> {
        let obj = object(v, "a studio document")?;
        match obj.get("version") {
            None => {}
            Some(n) if n.as_u64() == Some(1) => {}
            Some(n) => {
                return Err(MockError::new(format!(
                    "unsupported document version {n} (version 1 is supported)"
                )));
            }
        }
        let definition = obj
            .get("definition")
            .filter(|d| d.is_object())
            .cloned()
            .ok_or_else(|| MockError::new("the document has no \"definition\" object"))?;
        let cases = obj
            .get("testCases")
            .and_then(Value::as_array)
            .ok_or_else(|| MockError::new("\"testCases\" must be an array"))?;
        let mut test_cases = Vec::new();
        for (i, c) in cases.iter().enumerate() {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| MockError::new(format!("testCases[{i}] has no \"name\"")))?;
            let in_case = |e: MockError| MockError::new(format!("test case \"{name}\": {e}"));
            let unmocked = match c.get("unmocked") {
                None => Unmocked::Fail,
                Some(Value::String(s)) if s == "fail" => Unmocked::Fail,
                Some(Value::String(s)) if s == "echo" => Unmocked::EchoInput,
                Some(_) => {
                    return Err(in_case(MockError::new(
                        "\"unmocked\" must be \"fail\" or \"echo\"",
                    )));
                }
            };
            let context = match c.get("context") {
                None | Some(Value::Null) => None,
                Some(v) if v.is_object() => Some(v.clone()),
                Some(_) => {
                    return Err(in_case(MockError::new("\"context\" must be an object")));
                }
            };
            let expect = match c.get("expect") {
                None => Expect::success(),
                Some(e) => Expect::parse(e).map_err(in_case)?,
            };
            test_cases.push(TestCase {
                input: c.get("input").cloned().unwrap_or(Value::Object(Map::new())),
                context,
                unmocked,
                mocks: c.get("mocks").cloned().unwrap_or(Value::Null),
                expect,
                name,
            });
        }
        Ok(StudioDocument {
            name: obj.get("name").and_then(Value::as_str).map(str::to_string),
            definition,
            test_cases,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::Integration;

    fn req(state: &str, map_path: Vec<(String, usize)>) -> TaskRequest {
        TaskRequest {
            task_id: 0,
            state_name: state.into(),
            resource: "arn:aws:states:::lambda:invoke".into(),
            input: json!({"in": 1}).into(),
            invocation: 0,
            retry_count: 0,
            map_path: map_path.into_iter().map(|(m, i)| (m.into(), i)).collect(),
            task_token: None,
            integration: Integration::RequestResponse,
        }
    }

    fn error_of(a: &TaskAnswer) -> Option<&str> {
        match a {
            TaskAnswer::Throw { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    #[test]
    fn ranges_count_invocations_and_exhaust() {
        let cfg = MockConfig::parse(&json!({
            "StateMachines": {"M": {"TestCases": {"T": {"A": "R"}}}},
            "MockedResponses": {"R": {
                "0": {"Return": 1},
                "1-2": {"Throw": {"Error": "E", "Cause": "c"}}
            }}
        }))
        .expect("valid file");
        let mut m = cfg.mocks(None, "T").expect("test case");
        let answers: Vec<TaskAnswer> = (0..4).map(|_| m.invoke(&req("A", vec![]))).collect();
        assert_eq!(answers[0], TaskAnswer::Return(json!(1)));
        assert_eq!(error_of(&answers[1]), Some("E"));
        assert_eq!(error_of(&answers[2]), Some("E"));
        assert_eq!(error_of(&answers[3]), Some(EXHAUSTED_ERROR));
        assert_eq!(
            error_of(&m.invoke(&req("B", vec![]))),
            Some(NOT_FOUND_ERROR)
        );
        m.reset();
        assert_eq!(m.invoke(&req("A", vec![])), TaskAnswer::Return(json!(1)));
    }

    #[test]
    fn lists_match_map_iterations() {
        let mut m = Mocks::from_corpus(&json!({"A": [
            {"Return": 0, "MapIterations": [{"Map": "M", "Index": 0}]},
            {"Return": 1, "MapIterations": [{"Map": "M", "Index": 1}]}
        ]}))
        .expect("valid mocks");
        let path = |i| vec![("M".to_string(), i)];
        assert_eq!(m.invoke(&req("A", path(1))), TaskAnswer::Return(json!(1)));
        assert_eq!(m.invoke(&req("A", path(0))), TaskAnswer::Return(json!(0)));
    }

    #[test]
    fn handlers_come_first() {
        let mut m = Mocks::new()
            .with_unmocked(Unmocked::EchoInput)
            .with_handler(
                HandlerMatch::Resource("arn:aws:states:::lambda:*".into()),
                Box::new(|r: &TaskRequest| {
                    (&*r.state_name == "A").then(|| TaskAnswer::Return(json!("h")))
                }),
            );
        assert_eq!(m.invoke(&req("A", vec![])), TaskAnswer::Return(json!("h")));
        assert_eq!(
            m.invoke(&req("B", vec![])),
            TaskAnswer::Return(json!({"in": 1}))
        );
    }

    #[test]
    fn differences() {
        let cases = [
            (json!({"a": 1.0, "b": [1]}), json!({"b": [1], "a": 1}), None),
            (json!({"a": 1}), json!({}), Some(("/a", "1", "(missing)"))),
            (
                json!({}),
                json!({"z": null}),
                Some(("/z", "(absent)", "null")),
            ),
            (json!([1, 2]), json!([1, 3]), Some(("/1", "2", "3"))),
            (json!([1]), json!([1, 2]), Some(("", "[1]", "[1,2]"))),
            (json!("x"), json!(null), Some(("", "\"x\"", "null"))),
        ];
        for (e, a, want) in cases {
            let got = first_difference(&e, &a, "");
            let got = got
                .as_ref()
                .map(|(p, x, y)| (p.as_str(), x.as_str(), y.as_str()));
            assert_eq!(got, want, "{e} vs {a}");
        }
    }

    #[test]
    fn documents() {
        let bad = [
            (json!([]), "a studio document must be a JSON object"),
            (
                json!({"version": 2, "definition": {}, "testCases": []}),
                "unsupported document version 2 (version 1 is supported)",
            ),
            (
                json!({"testCases": []}),
                "the document has no \"definition\" object",
            ),
            (json!({"definition": {}}), "\"testCases\" must be an array"),
            (
                json!({"definition": {}, "testCases": [{"name": "t", "expect": {"state": 1}}]}),
                "test case \"t\": expect has an unknown field \"state\" (expected status, output, error, cause, path)",
            ),
            (
                json!({"definition": {}, "testCases": [{"name": "t", "unmocked": "skip"}]}),
                "test case \"t\": \"unmocked\" must be \"fail\" or \"echo\"",
            ),
        ];
        for (doc, want) in bad {
            assert_eq!(
                StudioDocument::parse(&doc).map(|_| ()),
                Err(MockError::new(want)),
                "{doc}"
            );
        }
        let doc = StudioDocument::parse(&json!({
            "definition": {"StartAt": "A"}, "layout": {"x": 1},
            "testCases": [{"name": "t", "mocks": {"A": [{"Return": 1}]}}]
        }))
        .expect("valid document");
        assert_eq!(doc.test_cases[0].expect, Expect::success());
        assert_eq!(doc.test_cases[0].input, json!({}));
        let mut m = doc.test_cases[0].build_mocks().expect("valid mocks");
        assert_eq!(m.invoke(&req("A", vec![])), TaskAnswer::Return(json!(1)));
    }

    #[test]
    fn globs() {
        let cases = [
            ("a*c", "abc", true),
            ("a*c", "ab", false),
            ("*", "", true),
            ("x", "x", true),
            ("*:lambda:*", "arn:aws:states:::lambda:invoke", true),
            ("a*b*c", "acb", false),
        ];
        for (p, t, want) in cases {
            assert_eq!(glob_match(p, t), want, "{p} {t}");
        }
    }
}
