//! Compilation of a definition (`serde_json::Value`) into the interpreter's program form.
//!
//! Compilation resolves state names to indices, parses paths once and sorts out the
//! fields every state type needs; rarely used fields stay in the state's raw JSON object.

use std::collections::HashMap;
use std::sync::Arc;

use asl_path::{Path, ReferencePath, Template};
use serde_json::{Map, Value};

use crate::choice::{self, Rule};

/// A definition that cannot be run, with a JSON pointer to the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What is wrong.
    pub message: String,
    /// A JSON pointer into the definition, e.g. `/States/A/Next`.
    pub pointer: String,
}

/// A compiled state machine; cloning is cheap (shared).
#[derive(Debug, Clone)]
pub struct Program {
    pub(crate) root: Arc<Machine>,
}

impl Program {
    /// The top-level `TimeoutSeconds`, if any.
    pub(crate) fn root_timeout(&self) -> Option<i64> {
        self.root.timeout_seconds
    }

    /// The names of all states, including nested ones, in definition order.
    pub fn state_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        fn walk(m: &Machine, out: &mut Vec<String>) {
            for s in &m.states {
                out.push(s.name.to_string());
                for b in &s.branches {
                    walk(b, out);
                }
            }
        }
        walk(&self.root, &mut out);
        out
    }
}

/// A list of states with a start state: the top level, a Parallel branch or a Map processor.
#[derive(Debug)]
pub(crate) struct Machine {
    pub states: Vec<State>,
    pub start: usize,
    /// Whether the processor runs as a distributed Map (affects variable scoping).
    pub distributed: bool,
    /// The machine's `TimeoutSeconds`.
    pub timeout_seconds: Option<i64>,
}

/// The eight state types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

/// `InputPath` / `OutputPath`: absent (`$`), `null`, or a path.
#[derive(Debug, Clone)]
pub(crate) enum PathField {
    Dollar,
    Null,
    Path(Path),
}

/// `ResultPath`: absent (`$`), `null` (discard), or a reference path.
#[derive(Debug, Clone)]
pub(crate) enum ResultPathField {
    Dollar,
    Null,
    Path(ReferencePath),
}

/// One `Retry` entry.
#[derive(Debug, Clone)]
pub(crate) struct Retrier {
    pub errors: Vec<String>,
    pub interval: f64,
    pub max_attempts: i64,
    pub backoff: f64,
    pub max_delay: Option<f64>,
    pub jitter_full: bool,
}

/// One `Catch` entry.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub(crate) struct Catcher {
    pub errors: Vec<String>,
    pub next: usize,
    pub result_path: ResultPathField,
    pub output: Option<Value>,
    pub assign: Option<Value>,
    pub assign_tpl: Option<Arc<Template>>,
}

/// One Choice rule with its target.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub(crate) struct ChoiceBranch {
    pub rule: Rule,
    pub next: usize,
    pub assign: Option<Value>,
    pub output: Option<Value>,
    pub assign_tpl: Option<Arc<Template>>,
}

/// A compiled state.
#[derive(Debug)]
#[allow(dead_code)]
pub(crate) struct State {
    pub name: Arc<str>,
    pub kind: Kind,
    pub entered: &'static str,
    pub exited: &'static str,
    pub aborted: &'static str,
    pub next: Option<usize>,
    pub jsonata: bool,
    pub raw: Map<String, Value>,
    pub input_path: PathField,
    pub output_path: PathField,
    pub parameters: Option<Arc<Template>>,
    pub result_selector: Option<Arc<Template>>,
    pub assign_tpl: Option<Arc<Template>>,
    pub result_path: ResultPathField,
    pub assign: Option<Value>,
    pub output: Option<Value>,
    pub arguments: Option<Value>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub choices: Vec<ChoiceBranch>,
    pub default: Option<usize>,
    pub branches: Vec<Arc<Machine>>,
    /// Whether any field of the state mentions the context object (`$$` or `$states.context`).
    pub uses_context: bool,
    /// Pass `Result`.
    pub result: Option<Value>,
    /// Whether `Parameters` is `{"x.$": "$", <constants>}` (moved instead of evaluated).
    pub params_single_dollar: bool,
    /// Whether `ResultSelector` is `{"x.$": "$", <constants>}`.
    pub selector_single_dollar: bool,
    /// Whether the state has `TimeoutSeconds`, `HeartbeatSeconds` or their `...Path` variants.
    pub has_task_timeouts: bool,
    /// The Task `Resource`, classified once (empty for other state types).
    pub resource: crate::states::ResourceInfo,
    /// The Task `Credentials` field.
    pub credentials: Option<Value>,
}

fn err(message: impl Into<String>, pointer: &str) -> CompileError {
    CompileError {
        message: message.into(),
        pointer: pointer.to_string(),
    }
}

/// Compiles a definition.
pub fn compile(definition: &Value) -> Result<Program, CompileError> {
    let jsonata = definition.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
    let root = compile_machine(definition, "", jsonata, false)?;
    Ok(Program {
        root: Arc::new(root),
    })
}

fn compile_machine(
    def: &Value,
    pointer: &str,
    jsonata: bool,
    distributed: bool,
) -> Result<Machine, CompileError> {
    let Some(obj) = def.as_object() else {
        return Err(err("a state machine must be a JSON object", pointer));
    };
    let Some(states) = obj.get("States").and_then(Value::as_object) else {
        return Err(err(
            "\"States\" is missing or not an object",
            &format!("{pointer}/States"),
        ));
    };
    let Some(start) = obj.get("StartAt").and_then(Value::as_str) else {
        return Err(err(
            "\"StartAt\" is missing or not a string",
            &format!("{pointer}/StartAt"),
        ));
    };
    let index: HashMap<&str, usize> = states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let resolve = |name: &Value, ptr: String| -> Result<usize, CompileError> {
        name.as_str()
            .and_then(|n| index.get(n).copied())
            .ok_or_else(|| err(format!("no state named {name}"), &ptr))
    };
    let start = resolve(
        &Value::String(start.to_string()),
        format!("{pointer}/StartAt"),
    )?;
    let mut out = Vec::with_capacity(states.len());
    for (name, sdef) in states {
        let sp = format!(
            "{pointer}/States/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        let Some(s) = sdef.as_object() else {
            return Err(err("a state must be a JSON object", &sp));
        };
        let ty = s.get("Type").and_then(Value::as_str).unwrap_or("");
        let (kind, entered, exited, aborted) = match ty {
            "Pass" => (
                Kind::Pass,
                "PassStateEntered",
                "PassStateExited",
                "PassStateAborted",
            ),
            "Task" => (
                Kind::Task,
                "TaskStateEntered",
                "TaskStateExited",
                "TaskStateAborted",
            ),
            "Choice" => (
                Kind::Choice,
                "ChoiceStateEntered",
                "ChoiceStateExited",
                "ChoiceStateAborted",
            ),
            "Wait" => (
                Kind::Wait,
                "WaitStateEntered",
                "WaitStateExited",
                "WaitStateAborted",
            ),
            "Succeed" => (
                Kind::Succeed,
                "SucceedStateEntered",
                "SucceedStateExited",
                "SucceedStateAborted",
            ),
            "Fail" => (
                Kind::Fail,
                "FailStateEntered",
                "FailStateExited",
                "FailStateAborted",
            ),
            "Parallel" => (
                Kind::Parallel,
                "ParallelStateEntered",
                "ParallelStateExited",
                "ParallelStateAborted",
            ),
            "Map" => (
                Kind::Map,
                "MapStateEntered",
                "MapStateExited",
                "MapStateAborted",
            ),
            _ => {
                return Err(err(
                    format!("unknown state type {ty:?}"),
                    &format!("{sp}/Type"),
                ));
            }
        };
        let state_jsonata = match s.get("QueryLanguage").and_then(Value::as_str) {
            Some("JSONata") => true,
            Some("JSONPath") => false,
            _ => jsonata,
        };
        let next = match s.get("Next") {
            Some(n) => Some(resolve(n, format!("{sp}/Next"))?),
            None => None,
        };
        let path_field = |key: &str| -> Result<PathField, CompileError> {
            match s.get(key) {
                None => Ok(PathField::Dollar),
                Some(Value::Null) => Ok(PathField::Null),
                Some(Value::String(p)) if p == "$" => Ok(PathField::Dollar),
                Some(Value::String(p)) => Path::parse(p)
                    .map(PathField::Path)
                    .map_err(|e| err(e.message, &format!("{sp}/{key}"))),
                Some(_) => Err(err("a path must be a string", &format!("{sp}/{key}"))),
            }
        };
        let (input_path, output_path) = if state_jsonata {
            (PathField::Dollar, PathField::Dollar)
        } else {
            (path_field("InputPath")?, path_field("OutputPath")?)
        };
        let result_path = if state_jsonata {
            ResultPathField::Dollar
        } else {
            result_path_field(s.get("ResultPath"), &format!("{sp}/ResultPath"))?
        };
        let mut retry = Vec::new();
        if let Some(rs) = s.get("Retry").and_then(Value::as_array) {
            for r in rs {
                retry.push(Retrier {
                    errors: string_list(r.get("ErrorEquals")),
                    interval: r
                        .get("IntervalSeconds")
                        .and_then(Value::as_f64)
                        .unwrap_or(1.0),
                    max_attempts: r.get("MaxAttempts").and_then(Value::as_i64).unwrap_or(3),
                    backoff: r.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0),
                    max_delay: r.get("MaxDelaySeconds").and_then(Value::as_f64),
                    jitter_full: r.get("JitterStrategy").and_then(Value::as_str) == Some("FULL"),
                });
            }
        }
        let mut catch = Vec::new();
        if let Some(cs) = s.get("Catch").and_then(Value::as_array) {
            for (i, c) in cs.iter().enumerate() {
                let cp = format!("{sp}/Catch/{i}");
                let next = resolve(c.get("Next").unwrap_or(&Value::Null), format!("{cp}/Next"))?;
                let result_path = if state_jsonata {
                    ResultPathField::Dollar
                } else {
                    result_path_field(c.get("ResultPath"), &format!("{cp}/ResultPath"))?
                };
                catch.push(Catcher {
                    errors: string_list(c.get("ErrorEquals")),
                    next,
                    result_path,
                    output: c.get("Output").cloned(),
                    assign: c.get("Assign").filter(|a| !is_empty_object(a)).cloned(),
                    assign_tpl: tpl(c.get("Assign").filter(|a| !is_empty_object(a))),
                });
            }
        }
        let mut choices = Vec::new();
        let mut default = None;
        if kind == Kind::Choice {
            if let Some(cs) = s.get("Choices").and_then(Value::as_array) {
                for (i, c) in cs.iter().enumerate() {
                    let cp = format!("{sp}/Choices/{i}");
                    let next =
                        resolve(c.get("Next").unwrap_or(&Value::Null), format!("{cp}/Next"))?;
                    let rule = choice::compile_rule(c, state_jsonata).map_err(|m| err(m, &cp))?;
                    choices.push(ChoiceBranch {
                        rule,
                        next,
                        assign: c.get("Assign").filter(|a| !is_empty_object(a)).cloned(),
                        output: c.get("Output").cloned(),
                        assign_tpl: tpl(c.get("Assign").filter(|a| !is_empty_object(a))),
                    });
                }
            }
            if let Some(d) = s.get("Default") {
                default = Some(resolve(d, format!("{sp}/Default"))?);
            }
        }
        let mut branches = Vec::new();
        if kind == Kind::Parallel
            && let Some(bs) = s.get("Branches").and_then(Value::as_array)
        {
            {
                for (i, b) in bs.iter().enumerate() {
                    let bj = b
                        .get("QueryLanguage")
                        .and_then(Value::as_str)
                        .map(|q| q == "JSONata");
                    branches.push(Arc::new(compile_machine(
                        b,
                        &format!("{sp}/Branches/{i}"),
                        bj.unwrap_or(state_jsonata),
                        false,
                    )?));
                }
            }
        }
        if kind == Kind::Map {
            let (key, proc_def) = match (s.get("ItemProcessor"), s.get("Iterator")) {
                (Some(p), _) => ("ItemProcessor", p),
                (None, Some(p)) => ("Iterator", p),
                (None, None) => {
                    return Err(err("a Map state needs an ItemProcessor", &sp));
                }
            };
            let distributed = proc_def
                .pointer("/ProcessorConfig/Mode")
                .and_then(Value::as_str)
                == Some("DISTRIBUTED");
            let pj = proc_def
                .get("QueryLanguage")
                .and_then(Value::as_str)
                .map(|q| q == "JSONata");
            branches.push(Arc::new(compile_machine(
                proc_def,
                &format!("{sp}/{key}"),
                pj.unwrap_or(state_jsonata),
                distributed,
            )?));
        }
        let uses_context = mentions_context(sdef);
        out.push(State {
            name: Arc::from(name.as_str()),
            kind,
            entered,
            exited,
            aborted,
            next,
            jsonata: state_jsonata,
            raw: s.clone(),
            input_path,
            output_path,
            parameters: if state_jsonata {
                None
            } else {
                tpl(s.get("Parameters").or_else(|| s.get("ItemSelector")))
            },
            result_selector: tpl(s.get("ResultSelector")),
            assign_tpl: tpl(s.get("Assign").filter(|a| !is_empty_object(a))),
            result_path,
            assign: s.get("Assign").filter(|a| !is_empty_object(a)).cloned(),
            output: s.get("Output").cloned(),
            arguments: s.get("Arguments").cloned(),
            retry,
            catch,
            choices,
            default,
            branches,
            uses_context,
            has_task_timeouts: sdef.as_object().is_some_and(|m| {
                m.keys()
                    .any(|k| k.starts_with("TimeoutSeconds") || k.starts_with("HeartbeatSeconds"))
            }),
            result: s.get("Result").cloned(),
            credentials: s.get("Credentials").cloned(),
            resource: crate::states::resource_info(
                s.get("Resource").and_then(Value::as_str).unwrap_or(""),
            ),
            params_single_dollar: s
                .get("Parameters")
                .is_some_and(crate::payload::single_dollar_field),
            selector_single_dollar: s
                .get("ResultSelector")
                .is_some_and(crate::payload::single_dollar_field),
        });
    }
    Ok(Machine {
        states: out,
        start,
        distributed,
        timeout_seconds: obj.get("TimeoutSeconds").and_then(Value::as_i64),
    })
}

fn result_path_field(v: Option<&Value>, ptr: &str) -> Result<ResultPathField, CompileError> {
    match v {
        None => Ok(ResultPathField::Dollar),
        Some(Value::Null) => Ok(ResultPathField::Null),
        Some(Value::String(p)) if p == "$" => Ok(ResultPathField::Dollar),
        Some(Value::String(p)) => ReferencePath::parse(p)
            .map(ResultPathField::Path)
            .map_err(|e| err(e.message, ptr)),
        Some(_) => Err(err("ResultPath must be a string or null", ptr)),
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a state's JSON (excluding nested machines) mentions the context object.
fn mentions_context(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("$$") || s.contains("$states") || s.contains("context"),
        Value::Array(a) => a.iter().any(mentions_context),
        Value::Object(o) => o.iter().any(|(k, v)| {
            k != "Branches"
                && k != "ItemProcessor"
                && k != "Iterator"
                && (k.contains("$$") || mentions_context(v))
        }),
        _ => false,
    }
}

fn is_empty_object(v: &Value) -> bool {
    v.as_object().is_some_and(Map::is_empty)
}

fn tpl(v: Option<&Value>) -> Option<Arc<Template>> {
    v.map(|v| Arc::new(Template::compile(v)))
}
