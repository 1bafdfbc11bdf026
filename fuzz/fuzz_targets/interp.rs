//! Fuzz target for the interpreter: bytes become a definition, an execution input and a
//! sequence of task answers (Return / Throw / TimedOut / Submitted / Pending); the definition is
//! compiled and run with a capped history, and nothing may panic.
//!
//! Two modes, chosen by the first byte:
//! - a printable first byte: the whole input is a text case, read leniently (serde_json, else the
//!   never-failing `asl_core::parse` as JSON or YAML). A case object with a `definition` key
//!   (the conformance corpus shape: `definition`, `input`, `mocks`, `context`, plus an optional
//!   `answers` list) supplies all parts; any other value is the definition itself.
//! - a control byte (< 0x20): the rest drives `arbitrary::Unstructured`, which picks one of a
//!   few seeded machine shapes, mutates it with ASL keys and values from a vocabulary, and
//!   generates the input and the answers.

#![no_main]

use arbitrary::{Result as AResult, Unstructured};
use asl_interp::mock::Mocks;
use asl_interp::{MachineType, RunOptions, TaskAnswer, TaskHandler, TaskRequest};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

/// The history cap: every execution ends (or stalls) after at most this many events.
const MAX_EVENTS: usize = 400;

fuzz_target!(|data: &[u8]| {
    let Some(&first) = data.first() else {
        return;
    };
    let case = if first < 0x20 {
        let mut u = Unstructured::new(&data[1..]);
        match structured_case(&mut u) {
            Ok(c) => c,
            Err(_) => return,
        }
    } else {
        text_case(data)
    };
    run_case(case);
});

struct Case {
    definition: Value,
    input: Value,
    mocks: Option<Mocks>,
    answers: Vec<TaskAnswer>,
    opts: RunOptions,
}

/// Answers a task from the corpus-style mocks when they name the state, else from the fuzzed
/// answer sequence (cycling), else by echoing the input.
struct FuzzHandler {
    mocks: Option<Mocks>,
    answers: Vec<TaskAnswer>,
    next: usize,
}

impl TaskHandler for FuzzHandler {
    fn invoke(&mut self, req: &TaskRequest) -> TaskAnswer {
        if let Some(m) = &mut self.mocks
            && m.states().contains_key(&*req.state_name)
        {
            return m.invoke(req);
        }
        if self.answers.is_empty() {
            return TaskAnswer::Return((*req.input).clone());
        }
        let a = self.answers[self.next % self.answers.len()].clone();
        self.next += 1;
        a
    }
}

fn run_case(case: Case) {
    let stats = stats_enabled();
    let Ok(program) = asl_interp::compile(&case.definition) else {
        if stats {
            eprintln!("interp-stats: compile error");
        }
        return;
    };
    let mut handler = FuzzHandler {
        mocks: case.mocks,
        answers: case.answers,
        next: 0,
    };
    let result = asl_interp::run(&program, case.input, &case.opts, &mut handler);
    // The history must stay within the cap (plus the closing events) and convert to AWS JSON.
    assert!(
        result.events.len() <= MAX_EVENTS + 64,
        "history has {} events, cap {}",
        result.events.len(),
        MAX_EVENTS
    );
    for e in &result.events {
        let _ = e.to_aws_json();
    }
    if stats {
        eprintln!(
            "interp-stats: {} after {} events",
            result.status.as_aws(),
            result.events.len()
        );
    }
}

/// `ASL_FUZZ_STATS=1` prints one line per input (compile error, or final status and history
/// length), to check what a corpus exercises: `ASL_FUZZ_STATS=1 cargo fuzz run ... -runs=0`.
fn stats_enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ASL_FUZZ_STATS").is_some())
}

// ---------------------------------------------------------------------------------------------
// Text mode.

fn text_case(data: &[u8]) -> Case {
    let text = String::from_utf8_lossy(data);
    let value = serde_json::from_str::<Value>(&text)
        .unwrap_or_else(|_| asl_core::parse(&text, asl_core::detect_format(&text)).into_value());
    let mut opts = RunOptions::default();
    opts.max_events = Some(MAX_EVENTS);
    opts.seed = data
        .iter()
        .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(b as u64));
    if value.get("definition").is_some() {
        if let Some(ctx) = value.get("context") {
            opts = RunOptions::from_corpus_context(ctx);
            opts.max_events = Some(MAX_EVENTS);
        }
        let mocks = value.get("mocks").and_then(|m| Mocks::from_corpus(m).ok());
        let answers = value
            .get("answers")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(answer_from_json).collect())
            .unwrap_or_default();
        Case {
            definition: value["definition"].clone(),
            input: value.get("input").cloned().unwrap_or_else(|| json!({})),
            mocks,
            answers,
            opts,
        }
    } else {
        Case {
            definition: value,
            input: json!({}),
            mocks: None,
            answers: vec![
                TaskAnswer::Return(json!({"Payload": {"ok": true}})),
                TaskAnswer::Throw {
                    error: Some("Lambda.Unknown".into()),
                    cause: Some("boom".into()),
                },
            ],
            opts,
        }
    }
}

fn answer_from_json(v: &Value) -> TaskAnswer {
    let s = |x: Option<&Value>| x.and_then(Value::as_str).map(str::to_string);
    if let Some(r) = v.get("Return") {
        return TaskAnswer::Return(r.clone());
    }
    if let Some(t) = v.get("Throw") {
        return TaskAnswer::Throw {
            error: s(t.get("Error")),
            cause: s(t.get("Cause")),
        };
    }
    if let Some(t) = v.get("TimedOut") {
        return TaskAnswer::TimedOut {
            error: s(t.get("Error")),
            cause: s(t.get("Cause")),
        };
    }
    if let Some(sub) = v.get("Submitted") {
        let then = v
            .get("Then")
            .map_or(TaskAnswer::Return(json!({})), answer_from_json);
        return TaskAnswer::Submitted {
            submitted: sub.clone(),
            then: Box::new(then),
        };
    }
    if v.as_str() == Some("Pending") {
        return TaskAnswer::Pending;
    }
    TaskAnswer::Return(v.clone())
}

// ---------------------------------------------------------------------------------------------
// Structured mode.

const SHAPES: &[&str] = &[
    r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"B"},"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":2,"BackoffRate":2.0}],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"C"}],"End":true},"C":{"Type":"Fail","Error":"E","Cause":"c"}}}"#,
    r#"{"StartAt":"Choose","States":{"Choose":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Wait"},{"And":[{"Variable":"$.s","IsPresent":true},{"Variable":"$.s","StringMatches":"a*"}],"Next":"Done"}],"Default":"Bad"},"Wait":{"Type":"Wait","SecondsPath":"$.n","Next":"Done"},"Done":{"Type":"Succeed"},"Bad":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}}}"#,
    r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ToleratedFailurePercentage":50,"ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:111111111111:function:f","End":true}}},"ResultSelector":{"n.$":"States.ArrayLength($)"},"End":true}}}"#,
    r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"MessageBody.$":"$$.Task.Token"},"HeartbeatSeconds":5,"TimeoutSeconds":10,"End":true}}},{"StartAt":"Y","States":{"Y":{"Type":"Pass","Parameters":{"f.$":"States.Format('{} {}', $.a, $.b)","h.$":"States.Hash($.a, 'SHA-256')","u.$":"States.UUID()"},"End":true}}}],"Catch":[{"ErrorEquals":["States.Timeout","States.TaskFailed"],"Next":"F"}],"Next":"S"},"S":{"Type":"Succeed"},"F":{"Type":"Fail"}}}"#,
    r#"{"QueryLanguage":"JSONata","StartAt":"J","States":{"J":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f","Payload":"{% $states.input %}"},"Assign":{"count":"{% $count($states.input.items) %}"},"Output":"{% $states.result.Payload %}","Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3,"JitterStrategy":"FULL","MaxDelaySeconds":5}],"Next":"K"},"K":{"Type":"Choice","Choices":[{"Condition":"{% $count > 1 %}","Next":"L"}],"Default":"L"},"L":{"Type":"Pass","Output":{"all":"{% $states.input %}","c":"{% $count %}"},"End":true}}}"#,
    r#"{"StartAt":"Run","TimeoutSeconds":100,"States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:111111111111:stateMachine:x","Input.$":"$"},"ResultPath":"$.out","OutputPath":"$.out","Next":"Loop"},"Loop":{"Type":"Choice","Choices":[{"Variable":"$.again","BooleanEquals":true,"Next":"Run"}],"Default":"End"},"End":{"Type":"Pass","End":true}}}"#,
    r#"{"StartAt":"D","States":{"D":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}},"ItemBatcher":{"MaxItemsPerBatch":2},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}}"#,
];

const KEYS: &[&str] = &[
    "Type",
    "Next",
    "End",
    "Resource",
    "Parameters",
    "Arguments",
    "Output",
    "Assign",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "ResultSelector",
    "Result",
    "Retry",
    "Catch",
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Choices",
    "Default",
    "Variable",
    "StringEquals",
    "StringMatches",
    "NumericLessThan",
    "NumericEqualsPath",
    "TimestampGreaterThan",
    "IsPresent",
    "IsNumeric",
    "And",
    "Or",
    "Not",
    "Condition",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Items",
    "ItemsPath",
    "ItemSelector",
    "ItemProcessor",
    "Iterator",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailureCount",
    "Branches",
    "StartAt",
    "States",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "QueryLanguage",
    "Error",
    "Cause",
    "ErrorPath",
    "CausePath",
    "Comment",
    "ProcessorConfig",
    "Mode",
    "ExecutionType",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "Label",
    "Credentials",
    "Payload.$",
    "x.$",
    "v",
    "items",
];

const STRINGS: &[&str] = &[
    "A",
    "B",
    "C",
    "Choose",
    "M",
    "T",
    "P",
    "X",
    "J",
    "K",
    "L",
    "Run",
    "End",
    "Nope",
    "Pass",
    "Task",
    "Choice",
    "Wait",
    "Succeed",
    "Fail",
    "Parallel",
    "Map",
    "JSONata",
    "JSONPath",
    "INLINE",
    "DISTRIBUTED",
    "EXPRESS",
    "STANDARD",
    "FULL",
    "NONE",
    "$",
    "$.a",
    "$.b",
    "$.n",
    "$.items",
    "$.items[0]",
    "$.items[*].v",
    "$..a",
    "$.a[1:3]",
    "$.a[?(@.x > 1)]",
    "$$",
    "$$.Execution.Id",
    "$$.Execution.StartTime",
    "$$.State.RetryCount",
    "$$.Map.Item.Value",
    "$$.Task.Token",
    "$count",
    "$x",
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.Runtime",
    "States.HeartbeatTimeout",
    "Lambda.Unknown",
    "States.Format('{}-{}', $.a, $.b)",
    "States.StringToJson($.s)",
    "States.JsonToString($)",
    "States.Array($.a, 1, 'x')",
    "States.ArrayPartition($.items, 2)",
    "States.ArrayContains($.items, 1)",
    "States.ArrayRange(1, 9, 2)",
    "States.ArrayGetItem($.items, 0)",
    "States.ArrayLength($.items)",
    "States.ArrayUnique($.items)",
    "States.Base64Encode($.s)",
    "States.Base64Decode($.s)",
    "States.Hash($.s, 'MD5')",
    "States.JsonMerge($.a, $.b, false)",
    "States.MathRandom(1, 10)",
    "States.MathAdd($.n, 1)",
    "States.StringSplit($.s, ',')",
    "States.UUID()",
    "{% $states.input %}",
    "{% $states.input.items %}",
    "{% $states.result %}",
    "{% $states.errorOutput %}",
    "{% $states.context.Execution.Name %}",
    "{% $count($states.input) %}",
    "{% $sum($states.input.items) %}",
    "{% $range(0, 4) %}",
    "{% $partition([1,2,3], 2) %}",
    "{% $hash('a', 'SHA-1') %}",
    "{% $random() %}",
    "{% $uuid() %}",
    "{% $parse('{\"a\":1}') %}",
    "{% $states.input.n > 1 %}",
    "{% $string($states.input) & 'x' %}",
    "{% $x := 1 %}",
    "{% %}",
    "{% $states.input.a.b.c %}",
    "{% $map($states.input.items, function($v) { $v * 2 }) %}",
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "arn:aws:lambda:us-east-1:111111111111:function:f",
    "arn:aws:states:::sqs:sendMessage",
    "arn:aws:states:::states:startExecution.sync",
    "arn:aws:states:::batch:submitJob.sync",
    "arn:aws:states:us-east-1:111111111111:activity:a",
    "arn:aws:states:::s3:getObject",
    "arn:aws:states:::s3:listObjectsV2",
    "2024-01-01T00:00:00Z",
    "2024-02-30T25:61:00Z",
    "1970-01-01T00:00:00.000+01:00",
    "9999-12-31T23:59:59Z",
    "a,b,c",
    "eyJhIjoxfQ==",
    "{\"a\":[1,2]}",
    "",
];

const NUMBERS: &[f64] = &[
    0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    3.0,
    60.0,
    99999999.0,
    1e10,
    -1e300,
    1e308,
    2147483648.0,
    9007199254740993.0,
    1.5e-10,
];

fn pick<'a, T>(u: &mut Unstructured, xs: &'a [T]) -> AResult<&'a T> {
    Ok(&xs[u.choose_index(xs.len())?])
}

fn gen_value(u: &mut Unstructured, depth: u32) -> AResult<Value> {
    let kind = u.int_in_range(0..=if depth >= 4 { 5 } else { 7 })?;
    Ok(match kind {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.int_in_range(-3i64..=10)?),
        3 => {
            let n = if u.arbitrary()? {
                *pick(u, NUMBERS)?
            } else {
                u.arbitrary::<f64>()?
            };
            if n.is_finite() {
                json!(n)
            } else if u.arbitrary()? {
                json!(u.arbitrary::<i64>()?)
            } else {
                json!(u.arbitrary::<u64>()?)
            }
        }
        4 => Value::String(pick(u, STRINGS)?.to_string()),
        5 => Value::String(u.arbitrary::<String>()?),
        6 => {
            let n = u.int_in_range(0..=4)?;
            let mut a = Vec::new();
            for _ in 0..n {
                a.push(gen_value(u, depth + 1)?);
            }
            Value::Array(a)
        }
        _ => {
            let n = u.int_in_range(0..=4)?;
            let mut m = Map::new();
            for _ in 0..n {
                let k = pick(u, KEYS)?.to_string();
                m.insert(k, gen_value(u, depth + 1)?);
            }
            Value::Object(m)
        }
    })
}

fn escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

/// JSON pointers of every object and array in `v`.
fn containers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                containers(c, format!("{at}/{}", escape(k)), out);
            }
            out.push(at);
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                containers(c, format!("{at}/{i}"), out);
            }
            out.push(at);
        }
        _ => {}
    }
}

fn mutate(u: &mut Unstructured, def: &mut Value) -> AResult<()> {
    let mut ptrs = Vec::new();
    containers(def, String::new(), &mut ptrs);
    let ptr = pick(u, &ptrs)?.clone();
    let op = u.int_in_range(0..=3)?;
    let new_value = gen_value(u, 1)?;
    let key = pick(u, KEYS)?.to_string();
    let Some(target) = def.pointer_mut(&ptr) else {
        return Ok(());
    };
    match (target, op) {
        (Value::Object(m), 0) => {
            m.shift_remove(&key);
        }
        (Value::Object(m), 1) if !m.is_empty() => {
            // Replace an existing member's value.
            let i = u.choose_index(m.len())?;
            if let Some(v) = m.values_mut().nth(i) {
                *v = new_value;
            }
        }
        (Value::Object(m), _) => {
            m.insert(key, new_value);
        }
        (Value::Array(a), 0) if !a.is_empty() => {
            let i = u.choose_index(a.len())?;
            a.remove(i);
        }
        (Value::Array(a), 1) if !a.is_empty() => {
            // Duplicate an element (more Choices, Branches, Retriers).
            let i = u.choose_index(a.len())?;
            let dup = a[i].clone();
            a.push(dup);
        }
        (Value::Array(a), _) => a.push(new_value),
        _ => {}
    }
    Ok(())
}

fn gen_answer(u: &mut Unstructured) -> AResult<TaskAnswer> {
    let err = |u: &mut Unstructured| -> AResult<Option<String>> {
        Ok(if u.arbitrary()? {
            Some(pick(u, STRINGS)?.to_string())
        } else {
            None
        })
    };
    Ok(match u.int_in_range(0..=5)? {
        0 | 1 => TaskAnswer::Return(gen_value(u, 0)?),
        2 => TaskAnswer::Throw {
            error: err(u)?,
            cause: err(u)?,
        },
        3 => TaskAnswer::TimedOut {
            error: err(u)?,
            cause: err(u)?,
        },
        4 => {
            let submitted = gen_value(u, 1)?;
            let then = if u.arbitrary()? {
                TaskAnswer::Return(gen_value(u, 1)?)
            } else {
                TaskAnswer::Throw {
                    error: err(u)?,
                    cause: err(u)?,
                }
            };
            TaskAnswer::Submitted {
                submitted,
                then: Box::new(then),
            }
        }
        _ => TaskAnswer::Pending,
    })
}

fn structured_case(u: &mut Unstructured) -> AResult<Case> {
    let shape = *pick(u, SHAPES)?;
    let mut definition: Value = serde_json::from_str(shape).expect("seed shapes are valid JSON");
    let n = u.int_in_range(0..=8)?;
    for _ in 0..n {
        mutate(u, &mut definition)?;
    }
    let input = if u.arbitrary()? {
        // An input that the shapes read: a, b, n, s, items, again.
        json!({
            "a": gen_value(u, 2)?,
            "b": gen_value(u, 2)?,
            "n": gen_value(u, 3)?,
            "s": gen_value(u, 3)?,
            "items": gen_value(u, 1)?,
            "again": u.arbitrary::<bool>()?,
        })
    } else {
        gen_value(u, 0)?
    };
    let mut answers = Vec::new();
    for _ in 0..u.int_in_range(0..=6)? {
        answers.push(gen_answer(u)?);
    }
    let mut opts = RunOptions::default();
    opts.max_events = Some(MAX_EVENTS);
    opts.seed = u.arbitrary()?;
    if u.arbitrary()? {
        opts.machine_type = MachineType::Express;
    }
    if u.arbitrary()? {
        opts.max_payload_bytes = Some(u.int_in_range(0..=4096)?);
    }
    if u.arbitrary()? {
        opts.s3_objects.push(asl_interp::S3Object {
            bucket: "b".into(),
            key: "k".into(),
            body: gen_value(u, 0)?.to_string(),
        });
    }
    Ok(Case {
        definition,
        input,
        mocks: None,
        answers,
        opts,
    })
}
