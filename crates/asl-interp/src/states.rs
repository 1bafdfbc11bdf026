//! The bodies of the eight state types (JSONPath and JSONata), task events and joins.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::exec::{
    Det, Execution, Failure, Flow, Join, Phase, Res, Scheduled, TaskWait, TimerKindPub, Vars,
    to_text,
};
use crate::host::{Integration, TaskAnswer, TaskRequest};
use crate::payload;
use crate::program::{Kind, PathField, ResultPathField, State};

/// 2023-11-15T00:00:00Z: executions started from then on have `$$.Execution.RedriveCount`.
const REDRIVE_LAUNCH_MS: i64 = 1_700_006_400_000;

/// 2024-11-01T00:00:00Z: from then on a distributed Map's exit follows its MapRunStarted event.
const MAP_RUN_CHAIN_CHANGE_MS: i64 = 1_730_419_200_000;

/// How a `Resource` is called and recorded.
#[derive(Debug, Clone)]
pub(crate) struct ResourceInfo {
    /// The `Resource` as written.
    pub arn: Arc<str>,
    pub integration: Integration,
    /// `resource` (the action, or the whole ARN for Lambda and activities) and
    /// `resourceType` (`lambda`, `sns`, `aws-sdk:s3`, …) of the history events.
    pub res: Res,
}

/// Classifies a Task `Resource` ARN.
pub(crate) fn resource_info(arn: &str) -> ResourceInfo {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    // arn:aws:states:::service:action[.suffix] or arn:aws:states:::aws-sdk:service:action
    if parts.len() >= 6 && parts[2] == "states" && parts[3].is_empty() && parts[4].is_empty() {
        let rest = &arn[arn.find(":::").map(|i| i + 3).unwrap_or(0)..];
        let (rtype, res): (Arc<str>, Arc<str>) = if let Some(sdk) = rest.strip_prefix("aws-sdk:") {
            match sdk.split_once(':') {
                Some((svc, act)) => (format!("aws-sdk:{svc}").into(), act.into()),
                None => ("aws-sdk".into(), sdk.into()),
            }
        } else {
            match rest.split_once(':') {
                Some((svc, act)) => (svc.into(), act.into()),
                None => (rest.into(), "".into()),
            }
        };
        let integration = if res.ends_with(".waitForTaskToken") {
            Integration::WaitForTaskToken
        } else if res.ends_with(".sync") || res.contains(".sync:") {
            Integration::Sync
        } else {
            Integration::RequestResponse
        };
        return ResourceInfo {
            arn: arn.into(),
            integration,
            res: Res {
                resource: res,
                resource_type: rtype,
            },
        };
    }
    if parts.len() >= 6 && parts[2] == "lambda" && parts[5].starts_with("function") {
        return ResourceInfo {
            arn: arn.into(),
            integration: Integration::LambdaArn,
            res: Res {
                resource: arn.into(),
                resource_type: "lambda".into(),
            },
        };
    }
    if parts.len() >= 6 && parts[2] == "states" && parts[5].starts_with("activity") {
        return ResourceInfo {
            arn: arn.into(),
            integration: Integration::Activity,
            res: Res {
                resource: arn.into(),
                resource_type: "activity".into(),
            },
        };
    }
    if !arn.starts_with("arn:") {
        // Placeholders such as `activity_arn` in recordings: treat like an activity when the
        // name says so, else as a Lambda function.
        let integration = if arn.contains("activity") {
            Integration::Activity
        } else {
            Integration::LambdaArn
        };
        return ResourceInfo {
            arn: arn.into(),
            integration,
            res: Res {
                resource: arn.into(),
                resource_type: "lambda".into(),
            },
        };
    }
    ResourceInfo {
        arn: arn.into(),
        integration: Integration::RequestResponse,
        res: Res {
            resource: arn.into(),
            resource_type: parts.get(2).copied().unwrap_or("").into(),
        },
    }
}

impl Execution {
    /// The error-message prefix AWS puts before runtime errors of a state.
    pub(crate) fn prefixed(&self, tid: usize, f: Failure) -> Failure {
        let t = &self.threads[tid];
        let cause = format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
            t.st().name,
            t.entered_id,
            f.cause.unwrap_or_default()
        );
        Failure {
            error: f.error,
            cause: Some(cause),
        }
    }

    /// Builds the context object (`$$`) for a thread's current state.
    pub(crate) fn context(&self, tid: usize, extra: Option<(&str, Value)>) -> Value {
        let t = &self.threads[tid];
        let st = t.st();
        let c = &self.opts.context;
        let mut state = Map::new();
        state.insert(
            "EnteredTime".into(),
            Value::String(crate::time::format_iso_millis(t.entered_ms)),
        );
        state.insert("Name".into(), Value::String(st.name.to_string()));
        if st.kind == Kind::Task {
            state.insert("RetryCount".into(), json!(t.retry_count));
        }
        let mut m = Map::new();
        let mut execution = json!({
            "Id": c.execution_id,
            "Input": &*self.exec_input(),
            "StartTime": c.start_time,
            "Name": c.execution_name,
            "RoleArn": c.role_arn,
        });
        // `RedriveCount` exists since redrive launched (2023-11-15), except for synchronous
        // Express executions (whose ARNs are `...:express:...`).
        if self.start_ms >= REDRIVE_LAUNCH_MS
            && !(self.opts.machine_type == crate::host::MachineType::Express
                && c.execution_id.contains(":express:"))
            && let Value::Object(e) = &mut execution
        {
            e.insert("RedriveCount".into(), json!(0));
        }
        m.insert("Execution".into(), execution);
        m.insert(
            "StateMachine".into(),
            json!({"Id": c.state_machine_id, "Name": c.state_machine_name}),
        );
        m.insert("State".into(), Value::Object(state));
        if let Some((k, v)) = extra {
            m.insert(k.to_string(), v);
        }
        Value::Object(m)
    }

    fn ctx_for(&self, tid: usize) -> Value {
        if self.threads[tid].st().uses_context {
            self.context(tid, None)
        } else {
            Value::Null
        }
    }

    /// Executes the body of the current state (after `...StateEntered`).
    pub(crate) fn run_body(&mut self, tid: usize) -> Flow {
        let machine = self.threads[tid].machine.clone();
        let st = &machine.states[self.threads[tid].state];
        if st.jsonata {
            return self.run_body_jsonata(tid, st);
        }
        let ctx = self.ctx_for(tid);
        let vars = self.threads[tid].vars.clone();
        let getv = |n: &str| vars.get(n);
        let raw = self.threads[tid].input.clone();
        // A Pass state's Parameters read the InputPath selection in place (no copy of it).
        if st.kind == Kind::Pass
            && st.result.is_none()
            && !st.params_single_dollar
            && let (Some(p), PathField::Path(ip)) = (&st.parameters, &st.input_path)
            && *ip.root() == asl_path::PathRoot::Input
        {
            let result = match ip.eval_ref(&raw) {
                Ok(sel) => payload::template(p, &sel, &ctx, &getv, &mut self.rng),
                Err(e) => Err(payload::eval_failure(e)),
            };
            return match result {
                Ok(v) => self.finish_jsonpath(tid, st, raw, Arc::new(v), &ctx, None),
                Err(f) => Flow::Fail(self.prefixed(tid, f)),
            };
        }
        let effective = match payload::select(&st.input_path, &raw, &ctx, &getv) {
            Ok(v) => v,
            Err(f) => return Flow::Fail(self.prefixed(tid, f)),
        };
        match st.kind {
            Kind::Pass => {
                let simple_out = matches!(st.result_path, ResultPathField::Dollar)
                    && matches!(st.output_path, PathField::Dollar)
                    && st.assign_tpl.is_none();
                let result = if let Some(r) = &st.result {
                    Arc::new(r.clone())
                } else if let Some(p) = &st.parameters {
                    if simple_out
                        && matches!(st.input_path, PathField::Dollar)
                        && st.params_single_dollar
                    {
                        // `{"x.$": "$"}` over the whole input: move the input in.
                        drop(effective);
                        let in_meta = self.threads[tid].input_meta.take();
                        let placeholder = Arc::new(Value::Null);
                        drop(std::mem::replace(&mut self.threads[tid].input, placeholder));
                        let tpl = st.raw.get("Parameters").unwrap_or(&Value::Null);
                        let output = self.wrap_moved(tid, tpl, raw, in_meta);
                        if let Some(m) = in_meta {
                            // The wrapper around the moved input (which it holds as `null`, 4).
                            let w =
                                payload::measure(&payload::fill_single_dollar(tpl, Value::Null));
                            let meta = payload::Meta {
                                lb: m.lb + w.lb - 4,
                                depth: w.depth.max(m.depth + 1),
                            };
                            self.out_meta = Some((Arc::as_ptr(&output) as usize, meta));
                        }
                        return Flow::Exit {
                            output,
                            next: st.next,
                            assigned: None,
                        };
                    }
                    let r = payload::template(p, &effective, &ctx, &getv, &mut self.rng);
                    // The input may be changed in place next: share it no longer.
                    drop(effective);
                    match r {
                        Ok(v) => Arc::new(v),
                        Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                    }
                } else if simple_out {
                    return Flow::Exit {
                        output: effective,
                        next: st.next,
                        assigned: None,
                    };
                } else {
                    effective
                };
                self.finish_jsonpath(tid, st, raw, result, &ctx, None)
            }
            Kind::Succeed => {
                let out = match payload::select(&st.output_path, &effective, &ctx, &getv) {
                    Ok(v) => v,
                    Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                };
                Flow::Exit {
                    output: out,
                    next: None,
                    assigned: None,
                }
            }
            Kind::Fail => {
                let error = self.fail_field(tid, st, "Error", &raw, &ctx, &getv);
                let cause = self.fail_field(tid, st, "Cause", &raw, &ctx, &getv);
                match (error, cause) {
                    (Ok(e), Ok(c)) => Flow::FailHard(Failure {
                        error: e.unwrap_or_default(),
                        cause: c,
                    }),
                    (Err(f), _) | (_, Err(f)) => Flow::FailHard(f),
                }
            }
            Kind::Choice => {
                let mut next = st.default;
                let mut assign = None;
                for b in &st.choices {
                    match self.eval_rule(tid, &b.rule, &effective, &ctx, &getv) {
                        Ok(true) => {
                            next = Some(b.next);
                            assign = b.assign_tpl.clone();
                            break;
                        }
                        Ok(false) => {}
                        Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                    }
                }
                let Some(next) = next else {
                    return Flow::Fail(Failure::new(
                        "States.NoChoiceMatched",
                        format!(
                            "No Choice Rules matched and no Default was specified in state '{}'",
                            st.name
                        ),
                    ));
                };
                let assign = assign.or_else(|| st.assign_tpl.clone());
                let assigned = match &assign {
                    Some(a) => match self.eval_assign_jsonpath(tid, a, &effective, &ctx) {
                        Ok(v) => Some(v),
                        Err(f) => return Flow::Fail(f),
                    },
                    None => None,
                };
                let out = match payload::select(&st.output_path, &effective, &ctx, &getv) {
                    Ok(v) => v,
                    Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                };
                self.apply_assigned(tid, assigned.as_ref());
                Flow::Exit {
                    output: out,
                    next: Some(next),
                    assigned,
                }
            }
            Kind::Wait => {
                let until = match self.wait_until_jsonpath(tid, st, &effective, &ctx, &getv) {
                    Ok(u) => u,
                    Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                };
                self.sleep_until(tid, until)
            }
            Kind::Task => {
                let (tctx, token) = self.task_ctx(tid, &ctx);
                let params = match &st.parameters {
                    Some(p) => {
                        match payload::template(p, &effective, &tctx, &getv, &mut self.rng) {
                            Ok(v) => Arc::new(v),
                            Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                        }
                    }
                    None => effective,
                };
                self.schedule_task(tid, st, params, &ctx, token)
            }
            Kind::Parallel => {
                let params = match &st.parameters {
                    Some(p) => match payload::template(p, &effective, &ctx, &getv, &mut self.rng) {
                        Ok(v) => Arc::new(v),
                        Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                    },
                    None => effective,
                };
                self.start_parallel(tid, st, params)
            }
            Kind::Map => self.start_map_jsonpath(tid, st, effective, &ctx),
        }
    }

    /// The context for a Task's Parameters: adds `Task.Token` for `.waitForTaskToken`.
    pub(crate) fn task_ctx(&mut self, tid: usize, ctx: &Value) -> (Value, Option<String>) {
        let st = self.threads[tid].st();
        let res = &*st.resource.arn;
        if res.ends_with(".waitForTaskToken") || res.contains(".sync") {
            let token = self.rng.uuid();
            let mut c = if ctx.is_null() {
                self.context(tid, None)
            } else {
                ctx.clone()
            };
            if let Value::Object(m) = &mut c {
                m.insert("Task".into(), json!({"Token": token}));
            }
            return (c, Some(token));
        }
        (ctx.clone(), None)
    }

    fn fail_field(
        &self,
        tid: usize,
        st: &State,
        key: &str,
        raw: &Arc<Value>,
        ctx: &Value,
        getv: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<Option<String>, Failure> {
        if let Some(v) = st.raw.get(key) {
            return Ok(v.as_str().map(str::to_string));
        }
        let pkey = format!("{key}Path");
        let Some(p) = st.raw.get(&pkey).and_then(Value::as_str) else {
            return Ok(None);
        };
        let value = if asl_path::intrinsic::is_call(p) {
            let mut rng = self.rng.clone();
            asl_path::intrinsic::parse(p)
                .map_err(|e| Failure::new("States.Runtime", e.message))
                .and_then(|c| {
                    asl_path::intrinsic::eval(&c, raw, ctx, getv, &mut rng)
                        .map_err(payload::eval_failure)
                })
        } else {
            asl_path::Path::parse(p)
                .map_err(|e| Failure::new("States.Runtime", e.message))
                .and_then(|path| path.eval(raw, ctx, getv).map_err(|_| {
                    Failure::new(
                        "States.Runtime",
                        format!(
                            "The JSONPath '{p}' specified for the field '{pkey}' could not be found in the input '{}'",
                            to_text(raw)
                        ),
                    )
                }))
        };
        match value {
            Ok(Value::String(s)) => Ok(Some(s)),
            Ok(other) => Ok(Some(to_text(&other))),
            Err(f) => Err(self.prefixed(tid, f)),
        }
    }

    /// ResultSelector, ResultPath, OutputPath, then exit (JSONPath).
    /// Fills a `{"x.$": "$"}` template (`tpl`) by moving `v` into it; the history snapshots
    /// sharing `v` keep it as the wrapper's member (see [`Execution::take_owned`]).
    fn wrap_moved(
        &mut self,
        tid: usize,
        tpl: &Value,
        v: Arc<Value>,
        meta: Option<payload::Meta>,
    ) -> Arc<Value> {
        let (owned, mut rewrite) = self.take_owned(tid, v, meta);
        let out = Arc::new(payload::fill_single_dollar(tpl, owned));
        if let Some(rw) = &mut rewrite {
            let name = payload::single_dollar_name(tpl).unwrap_or_default();
            rw.push(crate::snap::Undo::Unwrap {
                at: vec![asl_path::Location::Key(name.to_string())],
            });
        }
        self.finish_rewrite(rewrite, &out);
        out
    }

    fn finish_jsonpath(
        &mut self,
        tid: usize,
        st: &State,
        raw: Arc<Value>,
        result: Arc<Value>,
        ctx: &Value,
        assign_result: Option<&Value>,
    ) -> Flow {
        let vars = self.threads[tid].vars.clone();
        let getv = |n: &str| vars.get(n);
        let result = match &st.result_selector {
            Some(sel) if st.kind != Kind::Pass => {
                if st.selector_single_dollar {
                    // `{"x.$": "$"}`: the result moves into the wrapper.
                    let raw_sel = st.raw.get("ResultSelector").unwrap_or(&Value::Null);
                    self.wrap_moved(tid, raw_sel, result, None)
                } else {
                    match payload::template(sel, &result, ctx, &getv, &mut self.rng) {
                        Ok(v) => Arc::new(v),
                        Err(f) => return Flow::FailHard(self.prefixed(tid, f)),
                    }
                }
            }
            _ => result,
        };
        let assigned = match &st.assign_tpl {
            Some(a) => {
                let r = assign_result.unwrap_or(&result);
                match self.eval_assign_jsonpath(tid, a, r, ctx) {
                    Ok(v) => Some(v),
                    Err(f) => return Flow::Fail(f),
                }
            }
            None => None,
        };
        // ResultPath and OutputPath naming the same top-level field of an object input:
        // the output is the result itself.
        if let (ResultPathField::Path(rp), PathField::Path(op)) = (&st.result_path, &st.output_path)
            && rp.as_str() == op.as_str()
            && raw.is_object()
            && payload::is_single_key_path(rp.as_str())
        {
            self.apply_assigned(tid, assigned.as_ref());
            return Flow::Exit {
                output: result,
                next: st.next,
                assigned,
            };
        }
        // The combined value, owned when possible so that OutputPath can move out of it.
        // When the input is changed in place, `rewrite` records how to undo that for the
        // history snapshots sharing it, and `meta` follows the size and depth.
        let mut rewrite = None;
        // The same for the result when it moves into the input and the history shares it.
        let mut res_rewrite = None;
        let mut meta = None;
        let combined: Result<Value, Arc<Value>> = match &st.result_path {
            // The result is the output as it is, shared with the history that recorded it.
            ResultPathField::Dollar => Err(result),
            ResultPathField::Null => Err(raw),
            ResultPathField::Path(p) => {
                // The state input is not needed any more: take it over instead of copying it.
                let in_meta = self.threads[tid].input_meta.take();
                let placeholder = Arc::new(Value::Null);
                let old = std::mem::replace(&mut self.threads[tid].input, placeholder);
                drop(old);
                let (mut target, rw) = self.take_owned(tid, raw, in_meta);
                rewrite = rw;
                let result = if p.writes_into(&target) {
                    let (owned, rw) = self.take_owned(tid, result, None);
                    res_rewrite = rw;
                    owned
                } else {
                    Arc::unwrap_or_clone(result)
                };
                match p.set_recorded(&mut target, result) {
                    Ok(written) => {
                        meta = in_meta
                            .and_then(|m| payload::meta_after_write(m, &target, written.as_ref()));
                        if let Some(rw) = &mut res_rewrite {
                            let at = written.as_ref().map(|w| p.value_location(w));
                            rw.push(crate::snap::Undo::Unwrap {
                                at: at.unwrap_or_default(),
                            });
                        }
                        if let (Some(rw), Some(w)) = (&mut rewrite, written) {
                            rw.push(crate::snap::Undo::Put {
                                at: w.at,
                                old: w.old,
                            });
                        }
                    }
                    Err(e) => {
                        // The target is unchanged.
                        self.finish_rewrites(rewrite, res_rewrite, &Arc::new(target));
                        return Flow::FailHard(self.prefixed(tid, payload::eval_failure(e)));
                    }
                }
                Ok(target)
            }
        };
        let out = match (&st.output_path, combined) {
            (PathField::Dollar, Ok(v)) => {
                let out = Arc::new(v);
                self.finish_rewrites(rewrite, res_rewrite, &out);
                out
            }
            (PathField::Dollar, Err(a)) => a,
            (PathField::Path(p), Ok(v)) => match payload::take_simple(v, p.as_str()) {
                Ok(taken) => {
                    meta = meta.and_then(|m| payload::meta_after_take(m, &taken));
                    let out = Arc::new(taken.value);
                    let projected = crate::snap::Undo::Wrap {
                        outer: taken.rest,
                        at: taken.at,
                    };
                    match (rewrite, res_rewrite) {
                        (Some(mut rw), None) => {
                            rw.push(projected);
                            self.finish_rewrite(Some(rw), &out);
                        }
                        (rw, Some(res_rw)) => {
                            // Both undo to the combined value, which the projection undoes to.
                            let combined = Arc::new(crate::snap::Older::default());
                            let mut crw = crate::snap::Rewrite::new(combined.clone());
                            crw.push(projected);
                            self.finish_rewrite(Some(crw), &out);
                            res_rw.finish_on(crate::snap::Snap::Older(combined.clone()));
                            if let Some(rw) = rw {
                                rw.finish_on(crate::snap::Snap::Older(combined));
                            }
                        }
                        (None, None) => {}
                    }
                    out
                }
                Err(v) => {
                    meta = None;
                    let v = Arc::new(v);
                    self.finish_rewrites(rewrite, res_rewrite, &v);
                    match p.eval(&v, ctx, &getv) {
                        Ok(x) => Arc::new(x),
                        Err(e) => {
                            return Flow::FailHard(self.prefixed(tid, payload::eval_failure(e)));
                        }
                    }
                }
            },
            (field, combined) => {
                let a = match combined {
                    Ok(v) => Arc::new(v),
                    Err(a) => a,
                };
                self.finish_rewrites(rewrite, res_rewrite, &a);
                if !matches!(field, PathField::Dollar) {
                    meta = None;
                }
                match payload::select(field, &a, ctx, &getv) {
                    Ok(v) => v,
                    Err(f) => return Flow::FailHard(self.prefixed(tid, f)),
                }
            }
        };
        if let Some(m) = meta {
            self.out_meta = Some((Arc::as_ptr(&out) as usize, m));
        }
        self.apply_assigned(tid, assigned.as_ref());
        Flow::Exit {
            output: out,
            next: st.next,
            assigned,
        }
    }

    /// Stores assigned variables in the thread's scope.
    pub(crate) fn apply_assigned(&mut self, tid: usize, assigned: Option<&Value>) {
        if let Some(Value::Object(m)) = assigned {
            let vars = self.threads[tid].vars.clone();
            for (k, v) in m {
                vars.set(k, v.clone());
            }
        }
    }

    /// Evaluates a JSONPath-mode `Assign` template against `base` (not yet stored).
    pub(crate) fn eval_assign_jsonpath(
        &mut self,
        tid: usize,
        assign: &asl_path::Template,
        base: &Value,
        ctx: &Value,
    ) -> Result<Value, Failure> {
        let vars = self.threads[tid].vars.clone();
        let getv = |n: &str| vars.get(n);
        let ctx = if ctx.is_null() {
            self.context(tid, None)
        } else {
            ctx.clone()
        };
        let v = payload::template(assign, base, &ctx, &getv, &mut self.rng)
            .map_err(|f| self.prefixed(tid, f))?;
        self.check_assign_size(tid, &v)?;
        Ok(v)
    }

    /// AWS's variable quota: the variables one `Assign` writes are at most 256 KiB.
    pub(crate) fn check_assign_size(&self, tid: usize, v: &Value) -> Result<(), Failure> {
        if payload::exceeds(v, 256 * 1024) {
            return Err(self.prefixed(
                tid,
                Failure::new(
                    "States.DataLimitExceeded",
                    "The size of the variables assigned by this state exceeds the maximum of 256 KiB.",
                ),
            ));
        }
        Ok(())
    }

    fn eval_rule(
        &mut self,
        tid: usize,
        rule: &crate::choice::Rule,
        input: &Value,
        ctx: &Value,
        getv: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<bool, Failure> {
        use crate::choice::{Operand, Rule};
        match rule {
            Rule::And(rs) => {
                for r in rs {
                    if !self.eval_rule(tid, r, input, ctx, getv)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rs) => {
                for r in rs {
                    if self.eval_rule(tid, r, input, ctx, getv)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(r) => Ok(!self.eval_rule(tid, r, input, ctx, getv)?),
            Rule::Condition(c) => self.eval_condition(tid, c, input),
            Rule::Test {
                variable,
                op,
                operand,
            } => {
                let value = variable.eval(input, ctx, getv).ok();
                if value.is_none() && *op != crate::choice::Op::IsPresent {
                    return Err(Failure::new(
                        "States.Runtime",
                        format!(
                            "Invalid path '{}': The choice state's condition path references an invalid value.",
                            variable.as_str()
                        ),
                    ));
                }
                let rhs = match operand {
                    Operand::Literal(v) => v.clone(),
                    Operand::Path(p) => p.eval(input, ctx, getv).map_err(|_| {
                        Failure::new(
                            "States.Runtime",
                            format!(
                                "Invalid path '{}': The choice state's condition path references an invalid value.",
                                p.as_str()
                            ),
                        )
                    })?,
                };
                Ok(crate::choice::test(op, value.as_ref(), &rhs))
            }
        }
    }

    fn wait_until_jsonpath(
        &self,
        _tid: usize,
        st: &State,
        effective: &Value,
        ctx: &Value,
        getv: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<i64, Failure> {
        if let Some(s) = st.raw.get("Seconds") {
            let secs = s.as_f64().unwrap_or(0.0);
            return Ok(self.now.saturating_add((secs * 1000.0) as i64));
        }
        if let Some(ts) = st.raw.get("Timestamp").and_then(Value::as_str) {
            return match crate::choice::parse_timestamp(ts) {
                Some(ns) => Ok((ns / 1_000_000) as i64),
                None => Err(Failure::new(
                    "States.Runtime",
                    format!(
                        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {ts}"
                    ),
                )),
            };
        }
        if let Some(p) = st.raw.get("SecondsPath").and_then(Value::as_str) {
            let v = asl_path::Path::parse(p)
                .ok()
                .and_then(|path| path.eval(effective, ctx, getv).ok());
            let Some(v) = v else {
                return Err(Failure::new(
                    "States.Runtime",
                    format!("The SecondsPath parameter does not reference an input value: {p}"),
                ));
            };
            let Some(n) = v.as_i64().or_else(|| v.as_u64().map(|u| u as i64)) else {
                return Err(Failure::new(
                    "States.Runtime",
                    format!(
                        "The SecondsPath parameter cannot be parsed as a long value: {p} == {}",
                        to_text(&v)
                    ),
                ));
            };
            if n < 0 {
                return Err(Failure::new(
                    "States.Runtime",
                    format!("The SecondsPath parameter references a negative value: {p} == {n}"),
                ));
            }
            return Ok(self.now.saturating_add(n.saturating_mul(1000)));
        }
        if let Some(p) = st.raw.get("TimestampPath").and_then(Value::as_str) {
            let v = asl_path::Path::parse(p)
                .ok()
                .and_then(|path| path.eval(effective, ctx, getv).ok());
            let Some(v) = v else {
                return Err(Failure::new(
                    "States.Runtime",
                    format!("The TimestampPath parameter does not reference an input value: {p}"),
                ));
            };
            let parsed = v.as_str().and_then(crate::choice::parse_timestamp);
            return match parsed {
                Some(ns) => Ok((ns / 1_000_000) as i64),
                None => Err(Failure::new(
                    "States.Runtime",
                    format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {}",
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| to_text(&v))
                    ),
                )),
            };
        }
        Ok(self.now)
    }

    pub(crate) fn sleep_until(&mut self, tid: usize, until: i64) -> Flow {
        if until <= self.now {
            return self.wait_done(tid);
        }
        self.threads[tid].phase = Phase::Sleeping;
        self.add_timer(tid, until, TimerKindPub::Wake);
        Flow::Block
    }

    /// A Wait state's time has come: apply OutputPath and exit.
    pub(crate) fn wait_done(&mut self, tid: usize) -> Flow {
        let machine = self.threads[tid].machine.clone();
        let st = &machine.states[self.threads[tid].state];
        let raw = self.threads[tid].input.clone();
        if st.jsonata {
            return self.finish_jsonata(tid, st, &raw, None);
        }
        let ctx = self.ctx_for(tid);
        let vars = self.threads[tid].vars.clone();
        let getv = |n: &str| vars.get(n);
        let effective = match payload::select(&st.input_path, &raw, &ctx, &getv) {
            Ok(v) => v,
            Err(f) => return Flow::Fail(self.prefixed(tid, f)),
        };
        let assigned = match &st.assign_tpl {
            Some(a) => match self.eval_assign_jsonpath(tid, a, &effective, &ctx) {
                Ok(v) => Some(v),
                Err(f) => return Flow::Fail(f),
            },
            None => None,
        };
        match payload::select(&st.output_path, &effective, &ctx, &getv) {
            Ok(out) => {
                self.apply_assigned(tid, assigned.as_ref());
                Flow::Exit {
                    output: out,
                    next: st.next,
                    assigned,
                }
            }
            Err(f) => Flow::Fail(self.prefixed(tid, f)),
        }
    }

    /// Reads a numeric field: its constant (evaluated in JSONata states) or, failing that, its
    /// `...Path` variant evaluated against `input`. A value read through the path comes back with
    /// the path text, so callers can check it and name it in their error.
    fn field_or_path(
        &mut self,
        tid: usize,
        st: &State,
        key: &str,
        input: &Value,
        ctx: &Value,
    ) -> Result<Option<(Value, Option<String>)>, Failure> {
        if let Some(v) = st.raw.get(key) {
            if st.jsonata {
                let v = self.eval_jsonata_field(tid, key, v, input, None)?;
                return Ok(Some((v, None)));
            }
            return Ok(Some((v.clone(), None)));
        }
        let pkey = format!("{key}Path");
        let Some(p) = st.raw.get(&pkey).and_then(Value::as_str) else {
            return Ok(None);
        };
        let vars = self.threads[tid].vars.clone();
        let getv = |n: &str| vars.get(n);
        let v = asl_path::Path::parse(p)
            .map_err(|e| Failure::new("States.Runtime", e.message))
            .and_then(|path| path.eval(input, ctx, &getv).map_err(payload::eval_failure))
            .map_err(|f| self.prefixed(tid, f))?;
        Ok(Some((v, Some(p.to_string()))))
    }

    /// Reads a positive integer field or its `...Path` variant (TimeoutSeconds, HeartbeatSeconds).
    fn int_field(
        &mut self,
        tid: usize,
        st: &State,
        key: &str,
        input: &Value,
        ctx: &Value,
    ) -> Result<Option<i64>, Failure> {
        Ok(self
            .field_or_path(tid, st, key, input, ctx)?
            .and_then(|(v, _)| v.as_i64()))
    }

    /// Records TaskScheduled (or the Lambda/Activity variant) and asks the host to run the task.
    pub(crate) fn schedule_task(
        &mut self,
        tid: usize,
        st: &State,
        params: Arc<Value>,
        ctx: &Value,
        token: Option<String>,
    ) -> Flow {
        let info = st.resource.clone();
        if let Some(field) = invalid_parameter(&info, &params) {
            let f = Failure::new(
                "States.Runtime",
                format!(
                    "The Parameters '{}' could not be used to start the Task: [The value of the field '{field}' has an invalid format]",
                    to_text(&params)
                ),
            );
            return Flow::Fail(self.prefixed(tid, f));
        }
        let (timeout, heartbeat) = if st.has_task_timeouts {
            let raw = self.threads[tid].input.clone();
            let timeout = match self.int_field(tid, st, "TimeoutSeconds", &raw, ctx) {
                Ok(v) => v,
                Err(f) => return Flow::Fail(f),
            };
            let heartbeat = match self.int_field(tid, st, "HeartbeatSeconds", &raw, ctx) {
                Ok(v) => v,
                Err(f) => return Flow::Fail(f),
            };
            (timeout, heartbeat)
        } else {
            (None, None)
        };
        let token = if info.integration == Integration::WaitForTaskToken {
            token.or_else(|| find_token(&params))
        } else {
            None
        };
        // Credentials are a payload template (JSONPath) or JSONata fields over the state input.
        let credentials = match st.credentials.as_ref() {
            Some(c) if st.jsonata => {
                let raw = self.threads[tid].input.clone();
                Some(
                    self.eval_jsonata_field(tid, "Credentials", c, &raw, None)
                        .unwrap_or_else(|_| c.clone()),
                )
            }
            Some(c) => {
                let raw = self.threads[tid].input.clone();
                let vars = self.threads[tid].vars.clone();
                let getv = |n: &str| vars.get(n);
                Some(
                    payload::template_value(c, &raw, ctx, &getv, &mut self.rng)
                        .unwrap_or_else(|_| c.clone()),
                )
            }
            None => None,
        };
        let kind = match info.integration {
            Integration::LambdaArn => "LambdaFunctionScheduled",
            Integration::Activity => "ActivityScheduled",
            _ => "TaskScheduled",
        };
        let det = Det::Scheduled(Box::new(Scheduled {
            integration: info.integration,
            params: crate::exec::Snap::Val(params.clone()),
            res: info.res.clone(),
            region: self.region.clone(),
            credentials,
            timeout,
            heartbeat,
        }));
        self.emit(kind, det, true);
        let name = st.name.clone();
        let inv = self.invocations.entry(name.clone()).or_insert(0);
        let invocation = *inv;
        *inv += 1;
        let task_id = self.next_task_id();
        let t = &self.threads[tid];
        let req = TaskRequest {
            task_id,
            state_name: name.clone(),
            resource: info.arn.clone(),
            input: params.clone(),
            invocation,
            retry_count: t.retry_count,
            map_path: t.map_path.clone(),
            task_token: token.clone(),
            integration: info.integration,
        };
        let tw = TaskWait {
            task_id,
            integration: info.integration,
            res: info.res,
            token,
            submitted: false,
            started: false,
            timeout_at: timeout.map(|t| self.now.saturating_add(t.saturating_mul(1000))),
            heartbeat_secs: heartbeat,
            heartbeat_at: heartbeat.map(|h| self.now.saturating_add(h.saturating_mul(1000))),
            effective: params,
            worker: None,
        };
        self.issue_task(tid, req, tw);
        Flow::Block
    }

    /// Records `TaskStarted` (or the Lambda/Activity variant) for the thread's pending task.
    pub(crate) fn task_started_events(&mut self, tid: usize) {
        let (kind, det) = match &self.threads[tid].phase {
            Phase::Task(tw) | Phase::TaskAnswered(tw, _) => match tw.integration {
                Integration::LambdaArn => ("LambdaFunctionStarted", Det::None),
                Integration::Activity => (
                    "ActivityStarted",
                    Det::json(match &tw.worker {
                        Some(w) => json!({ "workerName": w }),
                        None => json!({}),
                    }),
                ),
                _ => ("TaskStarted", Det::Res(tw.res.clone())),
            },
            _ => return,
        };
        self.emit(kind, det, true);
    }

    /// Records `TaskSubmitted`.
    pub(crate) fn task_submitted_event(&mut self, tid: usize, submitted: Value) {
        let res = match &self.threads[tid].phase {
            Phase::Task(tw) => tw.res.clone(),
            _ => return,
        };
        self.emit(
            "TaskSubmitted",
            Det::Payload {
                key: "output",
                value: crate::exec::Snap::Val(Arc::new(submitted)),
                extra: None,
                res: Some(res),
            },
            true,
        );
    }

    /// A task answer arrived: record it and continue or fail the state.
    pub(crate) fn task_answered(
        &mut self,
        tid: usize,
        tw: Box<TaskWait>,
        answer: TaskAnswer,
    ) -> Flow {
        if !tw.started {
            let t = &mut self.threads[tid];
            t.phase = Phase::TaskAnswered(tw, TaskAnswer::Pending);
            self.task_started_events(tid);
            let t = &mut self.threads[tid];
            let Phase::TaskAnswered(tw2, _) = std::mem::replace(&mut t.phase, Phase::Done) else {
                return Flow::Block;
            };
            let mut tw2 = tw2;
            tw2.started = true;
            if !self.runnable.is_empty() {
                // Other threads record their task starts before this outcome, as on AWS.
                self.threads[tid].phase = Phase::TaskAnswered(tw2, answer);
                self.schedule(tid);
                return Flow::Block;
            }
            return self.task_answered(tid, tw2, answer);
        }
        match answer {
            TaskAnswer::Return(v) => self.task_returned(tid, tw, Arc::new(v)),
            TaskAnswer::Shared(v) => self.task_returned(tid, tw, v),
            TaskAnswer::Throw { error, cause } => {
                let f = Failure {
                    error: error.unwrap_or_default(),
                    cause,
                };
                self.task_failed_event(tid, &tw, f, false)
            }
            TaskAnswer::TimedOut { error, cause } => {
                // AWS reports timeouts without a cause, and an empty Cause to catchers.
                let f = Failure {
                    error: error.unwrap_or_else(|| "States.Timeout".to_string()),
                    cause: Some(cause.unwrap_or_default()),
                };
                self.task_failed_event(tid, &tw, f, true)
            }
            TaskAnswer::Submitted { then, .. } => self.task_answered(tid, tw, *then),
            TaskAnswer::Pending => {
                self.threads[tid].phase = Phase::Task(tw);
                Flow::Block
            }
        }
    }

    /// A task succeeded with `v`: check its size and depth, record it, and finish the state.
    fn task_returned(&mut self, tid: usize, tw: Box<TaskWait>, v: Arc<Value>) -> Flow {
        let machine = self.threads[tid].machine.clone();
        let st = &machine.states[self.threads[tid].state];
        let lambda = tw.integration == Integration::LambdaArn;
        let activity = tw.integration == Integration::Activity;
        let res = (!lambda && !activity).then(|| tw.res.clone());
        if !self.checked_results.iter().any(|c| Arc::ptr_eq(c, &v)) {
            if payload::too_deep(&v, payload::MAX_DEPTH) {
                let f = Failure::new(
                    "States.Runtime",
                    format!(
                        "The task result is nested more than {} levels deep.",
                        payload::MAX_DEPTH
                    ),
                );
                payload::dismantle(v);
                return self.task_failed_event(tid, &tw, f, false);
            }
            if payload::exceeds(&v, self.max_payload) {
                let f = Failure::new(
                    "States.DataLimitExceeded",
                    format!(
                        "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                        st.resource.arn
                    ),
                );
                return self.task_failed_event(tid, &tw, f, false);
            }
            // Shared with the host (a stored answer, which may come again): remember it.
            if Arc::strong_count(&v) > 1 && self.checked_results.len() < 16 {
                self.checked_results.push(v.clone());
            }
        }
        let kind = if lambda {
            "LambdaFunctionSucceeded"
        } else if activity {
            "ActivitySucceeded"
        } else {
            "TaskSucceeded"
        };
        self.emit(
            kind,
            Det::Payload {
                key: "output",
                value: crate::exec::Snap::Val(v.clone()),
                extra: None,
                res,
            },
            true,
        );
        let raw = self.threads[tid].input.clone();
        if st.jsonata {
            return self.finish_jsonata(tid, st, &raw, Some(&v));
        }
        let ctx = self.ctx_for(tid);
        self.finish_jsonpath(tid, st, raw, v, &ctx, None)
    }

    fn task_failed_event(
        &mut self,
        _tid: usize,
        tw: &TaskWait,
        f: Failure,
        timed_out: bool,
    ) -> Flow {
        let kind = match (tw.integration, timed_out) {
            (Integration::LambdaArn, false) => "LambdaFunctionFailed",
            (Integration::LambdaArn, true) => "LambdaFunctionTimedOut",
            (Integration::Activity, false) => "ActivityFailed",
            (Integration::Activity, true) => "ActivityTimedOut",
            (_, false) => "TaskFailed",
            (_, true) => "TaskTimedOut",
        };
        let mut m = Map::new();
        if let Some(c) = f.cause.as_ref().filter(|c| !(timed_out && c.is_empty())) {
            m.insert("cause".into(), Value::String(c.clone()));
        }
        if !f.error.is_empty() {
            m.insert("error".into(), Value::String(f.error.clone()));
        }
        if tw.integration != Integration::LambdaArn && tw.integration != Integration::Activity {
            tw.res.put(&mut m);
        }
        self.emit(kind, Det::json(Value::Object(m)), true);
        if !self.runnable.is_empty() {
            // Other threads record their outcomes before this failure is handled, as on AWS.
            self.threads[_tid].phase = Phase::Failing(f);
            self.schedule(_tid);
            return Flow::Block;
        }
        Flow::Fail(f)
    }

    /// Builds a catcher's output: `{"Error","Cause"}` placed by its ResultPath (or Output).
    pub(crate) fn apply_catcher(
        &mut self,
        tid: usize,
        ci: usize,
        f: &Failure,
    ) -> Result<(Arc<Value>, usize, Option<Value>), Failure> {
        let machine = self.threads[tid].machine.clone();
        let st = &machine.states[self.threads[tid].state];
        let c = &st.catch[ci];
        let mut err_obj = Map::new();
        err_obj.insert(
            "Error".into(),
            if f.error.is_empty() {
                Value::Null
            } else {
                Value::String(f.error.clone())
            },
        );
        err_obj.insert(
            "Cause".into(),
            f.cause.clone().map(Value::String).unwrap_or(Value::Null),
        );
        let err_val = Value::Object(err_obj);
        let raw = self.threads[tid].input.clone();
        if st.jsonata {
            return self.catcher_jsonata(tid, st, ci, &raw, err_val);
        }
        let assigned = match &c.assign_tpl {
            Some(a) => Some(self.eval_assign_jsonpath(tid, a, &err_val, &Value::Null)?),
            None => None,
        };
        let out = payload::apply_result_path(&c.result_path, &raw, err_val)
            .map_err(|f| self.prefixed(tid, f))?;
        self.apply_assigned(tid, assigned.as_ref());
        Ok((out, c.next, assigned))
    }

    /// Starts the branches of a Parallel state.
    pub(crate) fn start_parallel(&mut self, tid: usize, st: &State, input: Arc<Value>) -> Flow {
        self.emit("ParallelStateStarted", Det::None, true);
        let n = st.branches.len();
        let mut join = Box::new(Join {
            is_map: false,
            results: vec![None; n],
            shared: Vec::new(),
            remaining: n,
            children: Vec::with_capacity(n),
            inputs: Vec::new(),
            next_spawn: n,
            max_concurrency: 0,
            running: n,
            last_success_event: 0,
            failure: None,
            failed_count: 0,
            tolerated_count: None,
            tolerated_pct: None,
            distributed: false,
        });
        if n == 0 {
            self.threads[tid].phase = Phase::Joined(join);
            self.schedule(tid);
            return Flow::Block;
        }
        let map_path = self.threads[tid].map_path.clone();
        let vars = self.threads[tid].vars.clone();
        for (i, b) in st.branches.iter().enumerate() {
            let child = self.new_thread(
                b.clone(),
                b.start,
                input.clone(),
                Some((tid, i)),
                map_path.clone(),
                vars.child(true),
            );
            join.children.push(child);
            self.schedule(child);
        }
        self.threads[tid].phase = Phase::Children(join);
        Flow::Block
    }

    /// Starts a Map state in JSONPath mode.
    fn start_map_jsonpath(
        &mut self,
        tid: usize,
        st: &State,
        effective: Arc<Value>,
        ctx: &Value,
    ) -> Flow {
        let vars = self.threads[tid].vars.clone();
        let getv = |n: &str| vars.get(n);
        let has_reader = st.raw.contains_key("ItemReader");
        let base: Arc<Value> = if has_reader {
            match self.read_items(tid, st, &effective, ctx) {
                Ok(v) => Arc::new(v),
                Err(f) => return Flow::Fail(f),
            }
        } else {
            effective.clone()
        };
        let items_val: Value = match st.raw.get("ItemsPath").and_then(Value::as_str) {
            Some(p) if p != "$" && !has_reader => {
                match asl_path::Path::parse(p)
                    .map_err(|e| Failure::new("States.Runtime", e.message))
                    .and_then(|path| path.eval(&base, ctx, &getv).map_err(payload::eval_failure))
                {
                    Ok(v) => v,
                    Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                }
            }
            _ => (*base).clone(),
        };
        let items = match items_val {
            Value::Array(a) => a,
            other => {
                return Flow::Fail(self.prefixed(
                    tid,
                    Failure::new(
                        "States.Runtime",
                        format!(
                            "Map state input must be an array but was: {}",
                            to_text(&other)
                        ),
                    ),
                ));
            }
        };
        let distributed = st.branches.first().is_some_and(|m| m.distributed);
        if distributed && !has_reader {
            self.emit(
                "MapStateStarted",
                Det::json(json!({"length": items.len()})),
                true,
            );
        }
        let max_conc = match self.map_number(tid, st, "MaxConcurrency", &effective, ctx) {
            Ok(v) => v.map(|n| n as usize).unwrap_or(0),
            Err(f) => return Flow::Fail(f),
        };
        let tol_count = match self.map_number(tid, st, "ToleratedFailureCount", &effective, ctx) {
            Ok(v) => v,
            Err(f) => return Flow::Fail(f),
        };
        let tol_pct = match self.map_number(tid, st, "ToleratedFailurePercentage", &effective, ctx)
        {
            Ok(v) => v,
            Err(f) => return Flow::Fail(f),
        };
        if let Some(p) = tol_pct
            && !(0.0..=100.0).contains(&p)
        {
            {
                return Flow::Fail(self.prefixed(
                    tid,
                    Failure::new(
                        "States.Runtime",
                        "ToleratedFailurePercentage must be between 0 and 100.",
                    ),
                ));
            }
        }
        // Item selection: ItemSelector / Parameters with `$$.Map.Item`.
        let mut inputs = Vec::with_capacity(items.len());
        let selector = st.parameters.clone();
        for (i, item) in items.into_iter().enumerate() {
            match &selector {
                Some(sel) => {
                    let c = self.context(
                        tid,
                        Some(("Map", json!({"Item": {"Index": i, "Value": item}}))),
                    );
                    match payload::template(sel, &effective, &c, &getv, &mut self.rng) {
                        Ok(v) => inputs.push(Some(v)),
                        Err(f) => return Flow::Fail(self.prefixed(tid, f)),
                    }
                }
                None => inputs.push(Some(item)),
            }
        }
        let inputs = match self.batch_items(tid, st, inputs, &effective, ctx) {
            Ok(v) => v,
            Err(f) => return Flow::Fail(f),
        };
        self.launch_map(tid, st, inputs, max_conc, tol_count, tol_pct, effective)
    }

    fn map_number(
        &mut self,
        tid: usize,
        st: &State,
        key: &str,
        input: &Value,
        ctx: &Value,
    ) -> Result<Option<f64>, Failure> {
        let Some((v, path)) = self.field_or_path(tid, st, key, input, ctx)? else {
            return Ok(None);
        };
        let Some(p) = path else {
            return Ok(v.as_f64());
        };
        let pkey = format!("{key}Path");
        let ok = match key {
            "ToleratedFailurePercentage" => v
                .as_f64()
                .or_else(|| v.as_str().and_then(|t| t.parse::<f64>().ok())),
            _ => v
                .as_u64()
                .or_else(|| v.as_str().and_then(|t| t.parse::<u64>().ok()))
                .map(|n| n as f64),
        };
        match ok {
            Some(n) => Ok(Some(n)),
            None => Err(self.prefixed(
                tid,
                Failure::new(
                    "States.Runtime",
                    format!(
                        "The {pkey} field refers to value \"{}\" which is not a valid {}: {p}",
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| to_text(&v)),
                        if key == "ToleratedFailurePercentage" {
                            "float"
                        } else {
                            "integer"
                        }
                    ),
                ),
            )),
        }
    }

    /// Records `MapRunStarted` with a generated map run ARN.
    pub(crate) fn emit_map_run_started(&mut self, tid: usize, st: &State) {
        let uuid = self.rng.uuid();
        let arn = format!(
            "{}/{}:{}",
            self.opts
                .context
                .state_machine_id
                .replace(":stateMachine:", ":mapRun:"),
            st.raw
                .get("Label")
                .and_then(Value::as_str)
                .unwrap_or(&st.name),
            uuid
        );
        self.last_map_run_arn = Some(arn.clone());
        self.threads[tid].map_run_started = true;
        let id = self.emit(
            "MapRunStarted",
            Det::json(json!({ "mapRunArn": arn })),
            true,
        );
        if id != 0 {
            self.last_map_run_event = id;
        }
    }

    /// Spawns Map iterations for the given item inputs.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn launch_map(
        &mut self,
        tid: usize,
        st: &State,
        inputs: Vec<Option<Value>>,
        max_conc: usize,
        tol_count: Option<f64>,
        tol_pct: Option<f64>,
        _effective: Arc<Value>,
    ) -> Flow {
        let n = inputs.len();
        self.threads.reserve(n.min(100_000));
        self.events.reserve((n * 4).min(400_000));
        let distributed = st.branches.first().is_some_and(|m| m.distributed);
        if distributed {
            if !self.threads[tid].map_run_started {
                self.emit_map_run_started(tid, st);
            }
            self.threads[tid].map_run_started = false;
        } else {
            self.emit("MapStateStarted", Det::json(json!({"length": n})), true);
        }
        let join = Box::new(Join {
            is_map: true,
            results: vec![None; n],
            shared: Vec::new(),
            remaining: n,
            children: Vec::with_capacity(n),
            inputs,
            next_spawn: 0,
            max_concurrency: if max_conc == 0 { usize::MAX } else { max_conc },
            running: 0,
            last_success_event: 0,
            failure: None,
            failed_count: 0,
            tolerated_count: tol_count,
            tolerated_pct: tol_pct,
            distributed,
        });
        self.threads[tid].phase = Phase::Children(join);
        if n == 0 {
            let Phase::Children(j) = std::mem::replace(&mut self.threads[tid].phase, Phase::Done)
            else {
                return Flow::Block;
            };
            self.threads[tid].phase = Phase::Joined(j);
            self.schedule(tid);
            return Flow::Block;
        }
        self.spawn_iterations(tid);
        Flow::Block
    }

    /// Spawns as many pending Map iterations as the concurrency limit allows.
    fn spawn_iterations(&mut self, tid: usize) {
        let machine = self.threads[tid].machine.clone();
        let st = &machine.states[self.threads[tid].state];
        let Some(proc_m) = st.branches.first().cloned() else {
            return;
        };
        loop {
            let Phase::Children(j) = &mut self.threads[tid].phase else {
                return;
            };
            if j.next_spawn >= j.inputs.len()
                || j.running >= j.max_concurrency
                || j.failure.is_some()
            {
                return;
            }
            let i = j.next_spawn;
            j.next_spawn += 1;
            j.running += 1;
            let input = Arc::new(j.inputs[i].take().unwrap_or(Value::Null));
            let distributed = j.distributed;
            let map_path: Arc<[(Arc<str>, usize)]> = self.threads[tid]
                .map_path
                .iter()
                .cloned()
                .chain(std::iter::once((st.name.clone(), i)))
                .collect();
            let vars = if distributed {
                Vars::default().child(false)
            } else {
                self.threads[tid].vars.child(true)
            };
            let child = self.new_thread(
                proc_m.clone(),
                proc_m.start,
                input,
                Some((tid, i)),
                map_path,
                vars,
            );
            if !distributed {
                self.threads[child].iteration_start = Some((st.name.clone(), i));
            } else {
                self.threads[child].silent = true;
            }
            if let Phase::Children(j) = &mut self.threads[tid].phase {
                j.children.push(child);
            }
            self.schedule(child);
        }
    }

    /// A child thread (branch or iteration) ended; the parent's chain continues from the child's.
    pub(crate) fn child_done(
        &mut self,
        ptid: usize,
        index: usize,
        ctid: usize,
        outcome: Result<Arc<Value>, Failure>,
    ) {
        if self.child_done_inner(ptid, index, ctid, outcome)
            && let Some(p) = self.threads.get_mut(ptid)
        {
            p.cursor = self.cursor;
        }
    }

    fn child_done_inner(
        &mut self,
        ptid: usize,
        index: usize,
        ctid: usize,
        outcome: Result<Arc<Value>, Failure>,
    ) -> bool {
        if !self.threads[ptid].alive {
            return false;
        }
        let name = self.threads[ptid].st().name.clone();
        let Phase::Children(j) = &mut self.threads[ptid].phase else {
            return false;
        };
        if j.failure.is_some() {
            return false;
        }
        let is_map = j.is_map;
        let distributed = j.distributed;
        j.running = j.running.saturating_sub(1);
        match outcome {
            Ok(out) => {
                match Arc::try_unwrap(out) {
                    Ok(v) => j.results[index] = Some(v),
                    Err(value) => {
                        let events = self.events_sharing(ctid, &value);
                        if let Phase::Children(j) = &mut self.threads[ptid].phase {
                            j.shared.push(crate::exec::SharedResult {
                                index,
                                value,
                                events,
                            });
                        }
                    }
                }
                let Phase::Children(j) = &mut self.threads[ptid].phase else {
                    return false;
                };
                j.remaining = j.remaining.saturating_sub(1);
                if is_map && !distributed {
                    let id = self.emit(
                        "MapIterationSucceeded",
                        Det::Iteration {
                            index,
                            name: name.clone(),
                        },
                        false,
                    );
                    if let Phase::Children(j) = &mut self.threads[ptid].phase {
                        j.last_success_event = id;
                    }
                }
            }
            Err(f) => {
                j.failed_count += 1;
                j.remaining = j.remaining.saturating_sub(1);
                let total = j.results.len().max(1) as f64;
                let tolerated = is_map
                    && (j
                        .tolerated_count
                        .is_some_and(|c| j.failed_count as f64 <= c)
                        || j.tolerated_pct
                            .is_some_and(|p| j.failed_count as f64 * 100.0 / total <= p));
                if is_map && !distributed {
                    self.emit(
                        "MapIterationFailed",
                        Det::json(json!({"index": index, "name": &*name})),
                        false,
                    );
                }
                if tolerated {
                    if let Phase::Children(j) = &mut self.threads[ptid].phase {
                        j.results[index] = Some(json!({"Error": f.error, "Cause": f.cause}));
                    }
                } else {
                    let children = if let Phase::Children(j) = &mut self.threads[ptid].phase {
                        j.failure = Some(f.clone());
                        j.children.clone()
                    } else {
                        Vec::new()
                    };
                    if !is_map {
                        // AWS records the failed branch's Task state as aborted too.
                        let ct = &self.threads[ctid];
                        let st = ct.st();
                        if st.kind == Kind::Task && ct.entered_id != 0 {
                            let kind = st.aborted;
                            self.emit(kind, Det::None, false);
                        }
                    }
                    self.abort_children_events(
                        &children,
                        if is_map { Some(name.clone()) } else { None },
                    );
                    self.abort_children(&children);
                    let f = if is_map && distributed {
                        Failure::new(
                            "States.ExceedToleratedFailureThreshold",
                            "The specified tolerated failure threshold was exceeded",
                        )
                    } else {
                        f
                    };
                    if is_map && distributed {
                        self.emit(
                            "MapRunFailed",
                            Det::json(json!({"cause": f.cause, "error": f.error})),
                            true,
                        );
                    }
                    let t = &mut self.threads[ptid];
                    t.pending_failed_event = Some(if is_map {
                        "MapStateFailed"
                    } else {
                        "ParallelStateFailed"
                    });
                    t.phase = Phase::Done;
                    if self.handle_failure(ptid, f, true) {
                        self.schedule(ptid);
                    }
                    return true;
                }
            }
        }
        let done = matches!(&self.threads[ptid].phase, Phase::Children(j) if j.remaining == 0);
        if done {
            let Phase::Children(j) = std::mem::replace(&mut self.threads[ptid].phase, Phase::Done)
            else {
                return true;
            };
            self.threads[ptid].phase = Phase::Joined(j);
            self.schedule(ptid);
        } else if is_map {
            self.spawn_iterations(ptid);
        }
        true
    }

    /// All children succeeded: record the success and finish the state.
    pub(crate) fn joined(&mut self, tid: usize, join: Join) -> Flow {
        let machine = self.threads[tid].machine.clone();
        let st = &machine.states[self.threads[tid].state];
        if join.last_success_event != 0 {
            self.cursor = join.last_success_event;
        }
        if join.distributed {
            self.emit("MapRunSucceeded", Det::None, true);
        }
        self.emit(
            if join.is_map {
                "MapStateSucceeded"
            } else {
                "ParallelStateSucceeded"
            },
            Det::None,
            false,
        );
        // Since late 2024 AWS chains the exit of a distributed Map to its MapRunStarted event.
        if join.distributed
            && self.start_ms >= MAP_RUN_CHAIN_CHANGE_MS
            && self.last_map_run_event != 0
        {
            self.cursor = self.last_map_run_event;
        }
        let writer = st.raw.contains_key("ResultWriter");
        let (mut result, elems) = self.join_results(join.results, join.shared, !writer);
        if writer {
            result = self.write_results(tid, st, result);
        }
        let result = Arc::new(result);
        self.finish_rewrite(elems, &result);
        let raw = self.threads[tid].input.clone();
        if st.jsonata {
            return self.finish_jsonata(tid, st, &raw, Some(&result));
        }
        let ctx = self.ctx_for(tid);
        self.finish_jsonpath(tid, st, raw, result, &ctx, None)
    }

    /// Reads items for a distributed Map's ItemReader from the run options' S3 objects.
    pub(crate) fn read_items(
        &mut self,
        tid: usize,
        st: &State,
        effective: &Value,
        ctx: &Value,
    ) -> Result<Value, Failure> {
        crate::distributed::read_items(self, tid, st, effective, ctx)
    }

    fn batch_items(
        &mut self,
        tid: usize,
        st: &State,
        inputs: Vec<Option<Value>>,
        effective: &Value,
        ctx: &Value,
    ) -> Result<Vec<Option<Value>>, Failure> {
        crate::distributed::batch_items(self, tid, st, inputs, effective, ctx)
    }

    fn write_results(&mut self, tid: usize, st: &State, result: Value) -> Value {
        crate::distributed::write_results(self, tid, st, result)
    }
}

/// Checks the parameters of integrations whose request shape AWS validates before the call.
fn invalid_parameter(info: &ResourceInfo, params: &Value) -> Option<&'static str> {
    if &*info.res.resource_type == "apigateway"
        && let Some(h) = params.get("Headers")
    {
        let ok = h.as_object().is_some_and(|m| {
            m.values()
                .all(|v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
        });
        if !ok {
            return Some("Headers");
        }
    }
    None
}

/// Finds a task token placed in task parameters (for `.waitForTaskToken`).
fn find_token(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                if (k == "TaskToken" || k == "taskToken" || k == "Token") && val.is_string() {
                    return val.as_str().map(str::to_string);
                }
                if let Some(t) = find_token(val) {
                    return Some(t);
                }
            }
            None
        }
        Value::Array(a) => a.iter().find_map(find_token),
        _ => None,
    }
}

impl Kind {
    /// Whether the state type supports ResultPath.
    #[allow(dead_code)]
    pub fn has_result_path(self) -> bool {
        matches!(self, Kind::Pass | Kind::Task | Kind::Parallel | Kind::Map)
    }
}

#[allow(dead_code)]
fn _unused(_: PathField, _: ResultPathField) {}
