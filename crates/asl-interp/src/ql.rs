//! JSONata mode: `{% %}` fields, `$states`, Arguments/Output/Assign and QueryEvaluationError.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::exec::{Det, Execution, Failure, Flow, to_text};
use crate::program::{Kind, State};

/// The error name of every JSONata evaluation failure.
pub(crate) const QEE: &str = "States.QueryEvaluationError";

/// A JSONata-mode failure with the field location recorded in `EvaluationFailed`.
pub(crate) struct QlError {
    pub failure: Failure,
    pub location: Option<String>,
    /// Whether `EvaluationFailed` follows the state's entered event (value checks) rather than
    /// the event before it (expression failures).
    pub after_entered: bool,
}

struct JEnv<'a> {
    rng: &'a mut crate::rng::Rng,
    now: i64,
}

impl jsonata::Env for JEnv<'_> {
    fn random_f64(&mut self) -> f64 {
        self.rng.next_f64()
    }
    fn uuid(&mut self) -> String {
        self.rng.uuid()
    }
    fn now_millis(&self) -> i64 {
        self.now
    }
}

/// Returns the expression inside `{% ... %}`, if the string is one.
pub(crate) fn jsonata_expr(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner.trim())
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What `$states` holds for one evaluation.
pub(crate) struct StatesVars<'a> {
    pub input: &'a Value,
    pub result: Option<&'a Value>,
    pub error_output: Option<&'a Value>,
}

impl Execution {
    fn ql_fail(&self, tid: usize, location: Option<&str>, cause: String) -> QlError {
        QlError {
            failure: self.prefixed(tid, Failure::new(QEE, cause)),
            location: location.map(str::to_string),
            after_entered: false,
        }
    }

    /// Evaluates one expression string with `$states` and the thread's variables bound.
    fn eval_expr(
        &mut self,
        tid: usize,
        location: &str,
        expr: &str,
        sv: &StatesVars,
        ctx: &Value,
    ) -> Result<Value, QlError> {
        let compiled = match self.jsonata_cache.get(expr) {
            Some(c) => c.clone(),
            None => match jsonata::compile(expr) {
                Ok(c) => {
                    let c = Arc::new(c);
                    self.jsonata_cache.insert(expr.to_string(), c.clone());
                    c
                }
                Err(e) => {
                    return Err(self.ql_fail(tid, Some(location), format!(
                        "The JSONata expression '{expr}' specified for the field '{location}' threw an error during evaluation. {}",
                        e.message
                    )));
                }
            },
        };
        // `$states` and the variables are borrowed, not copied: an evaluation costs what it
        // navigates, whatever the size of the input.
        let mut states: Vec<(&str, &Value)> = vec![("input", sv.input), ("context", ctx)];
        if let Some(r) = sv.result {
            states.push(("result", r));
        }
        if let Some(e) = sv.error_output {
            states.push(("errorOutput", e));
        }
        let frames = self.threads[tid].vars.lock_frames();
        let mut bindings = jsonata::Bindings::new();
        for f in &frames {
            bindings.extend_from_map(f);
        }
        bindings.insert_object("states", &states);
        let mut env = JEnv {
            rng: &mut self.rng,
            now: self.now,
        };
        let outcome = compiled.evaluate_outcome(None, &bindings, &mut env);
        drop(frames);
        match outcome {
            Ok(jsonata::Outcome::Value(v)) => Ok(v),
            Ok(jsonata::Outcome::Function) => Err(self.ql_fail(
                tid,
                Some(location),
                format!(
                    "The JSONata expression '{expr}' specified for the field '{location}' returned an unsupported result type."
                ),
            )),
            Ok(jsonata::Outcome::Undefined) => Err(self.ql_fail(
                tid,
                Some(location),
                format!(
                    "The JSONata expression '{expr}' specified for the field '{location}' returned nothing (undefined)."
                ),
            )),
            Err(e) => Err(self.ql_fail(
                tid,
                Some(location),
                format!(
                    "The JSONata expression '{expr}' specified for the field '{location}' threw an error during evaluation. {}",
                    e.message
                ),
            )),
        }
    }

    /// Evaluates a field value: `{% %}` strings are expressions, objects and arrays recurse.
    pub(crate) fn eval_value(
        &mut self,
        tid: usize,
        location: &str,
        v: &Value,
        sv: &StatesVars,
        ctx: &Value,
    ) -> Result<Value, QlError> {
        match v {
            Value::String(s) => match jsonata_expr(s) {
                Some(e) => self.eval_expr(tid, location, e, sv, ctx),
                None => Ok(v.clone()),
            },
            Value::Object(m) => {
                let mut out = Map::with_capacity(m.len());
                for (k, x) in m {
                    let loc = format!("{location}/{k}");
                    out.insert(k.clone(), self.eval_value(tid, &loc, x, sv, ctx)?);
                }
                Ok(Value::Object(out))
            }
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, x) in a.iter().enumerate() {
                    let loc = format!("{location}/{i}");
                    out.push(self.eval_value(tid, &loc, x, sv, ctx)?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// Records `EvaluationFailed` (chained like AWS: to the event before the state entry).
    fn evaluation_failed(&mut self, tid: usize, e: &QlError) {
        let t = &self.threads[tid];
        let name = t.st().name.to_string();
        let entered = t.entered_id;
        if let Some(ev) = self.events.get(entered.saturating_sub(1) as usize)
            && !e.after_entered
            && ev.id == entered
            && self.cursor == entered
        {
            self.cursor = ev.prev;
        }
        let mut m = Map::new();
        if let Some(c) = &e.failure.cause {
            m.insert("cause".into(), Value::String(c.clone()));
        }
        m.insert("error".into(), Value::String(e.failure.error.clone()));
        if let Some(l) = &e.location {
            m.insert("location".into(), Value::String(l.clone()));
        }
        m.insert("state".into(), Value::String(name));
        self.emit("EvaluationFailed", Det::json(Value::Object(m)), true);
    }

    fn ql_flow(&mut self, tid: usize, st: &State, e: QlError) -> Flow {
        self.evaluation_failed(tid, &e);
        match st.kind {
            Kind::Map => self.threads[tid].pending_failed_event = Some("MapStateFailed"),
            Kind::Parallel => self.threads[tid].pending_failed_event = Some("ParallelStateFailed"),
            _ => {}
        }
        Flow::Fail(e.failure)
    }

    /// The JSONata context object value for `$states.context`.
    fn ql_ctx(&self, tid: usize) -> Value {
        self.context(tid, None)
    }

    /// Executes a JSONata-mode state body.
    pub(crate) fn run_body_jsonata(&mut self, tid: usize, st: &State) -> Flow {
        match self.body_jsonata(tid, st) {
            Ok(f) => f,
            Err(e) => self.ql_flow(tid, st, e),
        }
    }

    fn body_jsonata(&mut self, tid: usize, st: &State) -> Result<Flow, QlError> {
        let raw = self.threads[tid].input.clone();
        let ctx = self.ql_ctx(tid);
        let sv = StatesVars {
            input: &raw,
            result: None,
            error_output: None,
        };
        match st.kind {
            Kind::Pass | Kind::Succeed => Ok(self.finish_jsonata(tid, st, &raw, None)),
            Kind::Fail => {
                let error = match st.raw.get("Error") {
                    Some(v) => Some(self.eval_value(tid, "Error", v, &sv, &ctx)?),
                    None => None,
                };
                let cause = match st.raw.get("Cause") {
                    Some(v) => Some(self.eval_value(tid, "Cause", v, &sv, &ctx)?),
                    None => None,
                };
                let s = |v: Option<Value>| {
                    v.map(|v| match v {
                        Value::String(s) => s,
                        other => to_text(&other),
                    })
                };
                Ok(Flow::FailHard(Failure {
                    error: s(error).unwrap_or_default(),
                    cause: s(cause),
                }))
            }
            Kind::Choice => {
                let mut chosen = None;
                for (i, b) in st.choices.iter().enumerate() {
                    let crate::choice::Rule::Condition(c) = &b.rule else {
                        continue;
                    };
                    let v =
                        self.eval_value(tid, &format!("Choices/{i}/Condition"), c, &sv, &ctx)?;
                    match v {
                        Value::Bool(true) => {
                            chosen = Some(i);
                            break;
                        }
                        Value::Bool(false) => {}
                        other => {
                            return Err(self.ql_fail(
                                tid,
                                Some("Condition"),
                                format!(
                                    "The JSONata expression specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {}",
                                    type_name(&other),
                                    to_text(&other)
                                ),
                            ));
                        }
                    }
                }
                let (next, output, assign) = match chosen {
                    Some(i) => {
                        let b = &st.choices[i];
                        (
                            b.next,
                            b.output.clone().or_else(|| st.output.clone()),
                            b.assign.clone().or_else(|| st.assign.clone()),
                        )
                    }
                    None => match st.default {
                        Some(d) => (d, st.output.clone(), st.assign.clone()),
                        None => {
                            return Ok(Flow::Fail(Failure::new(
                                "States.NoChoiceMatched",
                                format!(
                                    "No Choice Rules matched and no Default was specified in state '{}'",
                                    st.name
                                ),
                            )));
                        }
                    },
                };
                self.output_and_assign(
                    tid,
                    &raw,
                    None,
                    None,
                    output.as_ref(),
                    assign.as_ref(),
                    Some(next),
                )
            }
            Kind::Wait => {
                let until = if let Some(s) = st.raw.get("Seconds") {
                    let v = self.eval_value(tid, "Seconds", s, &sv, &ctx)?;
                    let Some(n) = v.as_i64().filter(|n| *n >= 0) else {
                        return Err(self.ql_fail(
                            tid,
                            Some("Seconds"),
                            format!(
                                "The JSONata expression specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '{}' for value: {}",
                                type_name(&v),
                                to_text(&v)
                            ),
                        ));
                    };
                    self.now.saturating_add(n.saturating_mul(1000))
                } else if let Some(s) = st.raw.get("Timestamp") {
                    let v = self.eval_value(tid, "Timestamp", s, &sv, &ctx)?;
                    let text = v
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| to_text(&v));
                    match crate::choice::parse_timestamp(&text) {
                        Some(ns) => (ns / 1_000_000) as i64,
                        None => {
                            let mut e = self.ql_fail(
                                tid,
                                Some("Timestamp"),
                                format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                            );
                            e.after_entered = true;
                            return Err(e);
                        }
                    }
                } else {
                    self.now
                };
                Ok(self.sleep_until(tid, until))
            }
            Kind::Task => {
                let (tctx, token) = self.task_ctx(tid, &ctx);
                let args = match &st.arguments {
                    Some(a) => self.eval_value(tid, "Arguments", a, &sv, &tctx)?,
                    None => (*raw).clone(),
                };
                Ok(self.schedule_task(tid, st, Arc::new(args), &tctx, token))
            }
            Kind::Parallel => {
                let args = match &st.arguments {
                    Some(a) => Arc::new(self.eval_value(tid, "Arguments", a, &sv, &ctx)?),
                    None => raw.clone(),
                };
                Ok(self.start_parallel(tid, st, args))
            }
            Kind::Map => self.start_map_jsonata(tid, st, &raw, &ctx),
        }
    }

    fn start_map_jsonata(
        &mut self,
        tid: usize,
        st: &State,
        raw: &Arc<Value>,
        ctx: &Value,
    ) -> Result<Flow, QlError> {
        let sv = StatesVars {
            input: raw,
            result: None,
            error_output: None,
        };
        let has_reader = st.raw.contains_key("ItemReader");
        let items_val = if has_reader {
            crate::distributed::read_items(self, tid, st, raw, ctx).map_err(|f| QlError {
                failure: f,
                location: None,
                after_entered: true,
            })?
        } else if let Some(items) = st.raw.get("Items") {
            let expr = items.as_str().and_then(jsonata_expr).map(str::to_string);
            let v = self.eval_value(tid, "Items", items, &sv, ctx)?;
            if !v.is_array() {
                let e = expr.unwrap_or_else(|| to_text(items));
                return Err(self.ql_fail(
                    tid,
                    Some("Items"),
                    format!(
                        "The JSONata expression '{e}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {}",
                        type_name(&v),
                        to_text(&v)
                    ),
                ));
            }
            v
        } else {
            (**raw).clone()
        };
        let items = match items_val {
            Value::Array(a) => a,
            other => {
                return Err(self.ql_fail(
                    tid,
                    None,
                    format!(
                        "Map state input must be an array but was: {}",
                        to_text(&other)
                    ),
                ));
            }
        };
        if st.branches.first().is_some_and(|m| m.distributed) && !has_reader {
            self.emit(
                "MapStateStarted",
                crate::exec::Det::json(json!({"length": items.len()})),
                true,
            );
        }
        let num = |ex: &mut Execution, key: &str| -> Result<Option<f64>, QlError> {
            match st.raw.get(key) {
                Some(v) => {
                    let r = ex.eval_value(tid, key, v, &sv, ctx)?;
                    Ok(r.as_f64())
                }
                None => Ok(None),
            }
        };
        let max_conc = num(self, "MaxConcurrency")?
            .map(|n| n as usize)
            .unwrap_or(0);
        let tol_count = num(self, "ToleratedFailureCount")?;
        let tol_pct = num(self, "ToleratedFailurePercentage")?;
        let mut inputs = Vec::with_capacity(items.len());
        let selector = st.raw.get("ItemSelector").cloned();
        for (i, item) in items.into_iter().enumerate() {
            match &selector {
                Some(sel) => {
                    let c = self.context(
                        tid,
                        Some(("Map", json!({"Item": {"Index": i, "Value": item}}))),
                    );
                    let v = self.eval_value(tid, "ItemSelector", sel, &sv, &c)?;
                    inputs.push(Some(v));
                }
                None => inputs.push(Some(item)),
            }
        }
        let inputs =
            crate::distributed::batch_items(self, tid, st, inputs, raw, ctx).map_err(|f| {
                QlError {
                    failure: f,
                    location: None,
                    after_entered: true,
                }
            })?;
        Ok(self.launch_map(tid, st, inputs, max_conc, tol_count, tol_pct, raw.clone()))
    }

    /// Output/Assign and exit for a JSONata-mode state (`result` is the task/branch/map result).
    pub(crate) fn finish_jsonata(
        &mut self,
        tid: usize,
        st: &State,
        raw: &Arc<Value>,
        result: Option<&Value>,
    ) -> Flow {
        let out = self.output_and_assign(
            tid,
            raw,
            result,
            None,
            st.output.as_ref(),
            st.assign.as_ref(),
            st.next,
        );
        match out {
            Ok(f) => f,
            Err(e) => self.ql_flow(tid, st, e),
        }
    }

    /// Evaluates Assign and Output against the same (state-entry) variables, then stores the variables.
    #[allow(clippy::too_many_arguments)]
    fn output_and_assign(
        &mut self,
        tid: usize,
        raw: &Arc<Value>,
        result: Option<&Value>,
        error_output: Option<&Value>,
        output: Option<&Value>,
        assign: Option<&Value>,
        next: Option<usize>,
    ) -> Result<Flow, QlError> {
        let ctx = self.ql_ctx(tid);
        let sv = StatesVars {
            input: raw,
            result,
            error_output,
        };
        let assigned = match assign {
            Some(a) => Some(self.eval_value(tid, "Assign", a, &sv, &ctx)?),
            None => None,
        };
        if let Some(a) = &assigned {
            self.check_assign_size(tid, a).map_err(|f| QlError {
                failure: f,
                location: Some("Assign".into()),
                after_entered: true,
            })?;
        }
        let out = match output {
            Some(o) => Arc::new(self.eval_value(tid, "Output", o, &sv, &ctx)?),
            None => match (result, error_output) {
                (Some(r), _) => Arc::new(r.clone()),
                (None, Some(e)) => Arc::new(e.clone()),
                (None, None) => raw.clone(),
            },
        };
        if let Some(Value::Object(m)) = &assigned {
            let vars = self.threads[tid].vars.clone();
            for (k, v) in m {
                vars.set(k, v.clone());
            }
        }
        Ok(Flow::Exit {
            output: out,
            next,
            assigned,
        })
    }

    /// Evaluates one JSONata-mode field value (a `{% %}` string or a literal).
    pub(crate) fn eval_jsonata_field(
        &mut self,
        tid: usize,
        field: &str,
        v: &Value,
        input: &Value,
        result: Option<&Value>,
    ) -> Result<Value, Failure> {
        let ctx = self.ql_ctx(tid);
        let sv = StatesVars {
            input,
            result,
            error_output: None,
        };
        self.eval_value(tid, field, v, &sv, &ctx)
            .map_err(|e| e.failure)
    }

    /// A catcher in JSONata mode: Output defaults to `$states.errorOutput`.
    pub(crate) fn catcher_jsonata(
        &mut self,
        tid: usize,
        st: &State,
        ci: usize,
        raw: &Arc<Value>,
        err: Value,
    ) -> Result<(Arc<Value>, usize, Option<Value>), Failure> {
        let c = st.catch[ci].clone();
        match self.output_and_assign(
            tid,
            raw,
            None,
            Some(&err),
            c.output.as_ref(),
            c.assign.as_ref(),
            Some(c.next),
        ) {
            Ok(Flow::Exit {
                output, assigned, ..
            }) => Ok((output, c.next, assigned)),
            Ok(_) => Ok((Arc::new(err), c.next, None)),
            Err(e) => {
                self.evaluation_failed(tid, &e);
                Err(e.failure)
            }
        }
    }

    /// A JSONata `Condition` inside a JSONPath-mode Choice (not allowed by AWS; evaluated anyway).
    pub(crate) fn eval_condition(
        &mut self,
        tid: usize,
        c: &Value,
        input: &Value,
    ) -> Result<bool, Failure> {
        let v = self.eval_jsonata_field(tid, "Condition", c, input, None)?;
        Ok(v == Value::Bool(true))
    }
}
