//! Runs the `intrinsic_functions__*` conformance cases whose definition is a chain of Pass
//! states through `eval_template` and compares with the recorded Pass state outputs.
//!
//! The per-case results are a golden file (`test_data/corpus/intrinsic_results.txt`);
//! regenerate it with `UPDATE_EXPECT=1 cargo test -p asl-path --test corpus`.

use std::path::Path as FsPath;

use asl_path::intrinsic::SeededEnv;
use asl_path::{Path, ReferencePath, eval_template};
use serde_json::{Value, json};

const CASES: &str = "/work/shared/conformance/cases";

#[test]
fn intrinsic_corpus() {
    let dir = FsPath::new(CASES);
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("intrinsic_functions__") && n.ends_with(".json"))
            .collect(),
        // The corpus lives outside the repository; without it there is nothing to compare.
        Err(_) => return,
    };
    names.sort();
    let mut report = String::new();
    let (mut pass, mut fail, mut skip) = (0, 0, 0);
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        let case: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let id = name.trim_end_matches(".json");
        match run_case(&case) {
            Outcome::Skip(why) => {
                skip += 1;
                report.push_str(&format!("SKIP {id}: {why}\n"));
            }
            Outcome::Pass => {
                pass += 1;
                report.push_str(&format!("PASS {id}\n"));
            }
            Outcome::Fail(why) => {
                fail += 1;
                report.push_str(&format!("FAIL {id}: {why}\n"));
            }
        }
    }
    report.push_str(&format!("\n{pass} passed, {fail} failed, {skip} skipped\n"));
    check_golden("test_data/corpus/intrinsic_results.txt", &report);
}

enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

fn run_case(case: &Value) -> Outcome {
    let def = &case["definition"];
    if def.get("QueryLanguage").is_some() {
        return Outcome::Skip("JSONata".into());
    }
    let states = def["States"].as_object();
    let Some(states) = states else {
        return Outcome::Skip("no States".into());
    };
    for (name, st) in states {
        if st["Type"] != "Pass" {
            return Outcome::Skip(format!("state {name} is not a Pass state"));
        }
        if st.get("QueryLanguage").is_some() {
            return Outcome::Skip("JSONata".into());
        }
    }
    let expected: Vec<&Value> = case["expected"]["events"]
        .as_array()
        .map(|evs| {
            evs.iter()
                .filter(|e| e["type"] == "PassStateExited")
                .map(|e| &e["stateExitedEventDetails"]["output"])
                .collect()
        })
        .unwrap_or_default();
    let input = case["input"].clone();
    let ctx = &case["context"];
    let mut current = input.clone();
    let mut state_name = def["StartAt"].as_str().unwrap_or_default().to_string();
    let mut env = SeededEnv::new(7);
    let vars = |_: &str| None;
    for (step, want) in expected.iter().enumerate() {
        let Some(st) = states.get(&state_name) else {
            return Outcome::Fail(format!("no state {state_name}"));
        };
        let context = json!({
            "Execution": {
                "Id": ctx["Execution"]["Id"], "Input": input, "Name": ctx["Execution"]["Name"],
                "RoleArn": ctx["Execution"]["RoleArn"], "StartTime": ctx["Execution"]["StartTime"],
            },
            "StateMachine": ctx["StateMachine"],
            "State": { "Name": state_name, "EnteredTime": ctx["Execution"]["StartTime"], "RetryCount": 0 },
        });
        let result = match run_pass(st, &current, &context, &vars, &mut env) {
            Ok(v) => v,
            Err(e) => return Outcome::Fail(format!("step {step}: {e}")),
        };
        let rules = &case["expected"]["normalize"];
        let got = normalize(&result, rules);
        let wildcards: Vec<&str> = rules
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["type"] == "unknown-value")
            .filter_map(|r| r["replacement"].as_str())
            .collect();
        if !same(&got, want, &wildcards) {
            return Outcome::Fail(format!("step {step}: got {got}, want {want}"));
        }
        current = result;
        match st["Next"].as_str() {
            Some(n) => state_name = n.to_string(),
            None => break,
        }
    }
    if expected.is_empty() {
        Outcome::Skip("no PassStateExited events".into())
    } else {
        Outcome::Pass
    }
}

/// A minimal Pass state: InputPath, Parameters or Result, ResultPath, OutputPath.
fn run_pass(
    st: &Value,
    input: &Value,
    context: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut SeededEnv,
) -> Result<Value, asl_path::EvalError> {
    let effective = match st.get("InputPath").and_then(Value::as_str) {
        Some(p) => Path::parse(p)
            .map_err(|e| syntax(&e))?
            .eval(input, context, vars)?,
        None => input.clone(),
    };
    let result = if let Some(params) = st.get("Parameters") {
        eval_template(params, &effective, context, vars, env)?
    } else if let Some(r) = st.get("Result") {
        r.clone()
    } else {
        effective.clone()
    };
    let mut output = input.clone();
    match st.get("ResultPath") {
        Some(Value::String(p)) => ReferencePath::parse(p)
            .map_err(|e| syntax(&e))?
            .set(&mut output, result)?,
        Some(Value::Null) => {}
        _ => output = result,
    }
    match st.get("OutputPath").and_then(Value::as_str) {
        Some(p) => Path::parse(p)
            .map_err(|e| syntax(&e))?
            .eval(&output, context, vars),
        None => Ok(output),
    }
}

fn syntax(e: &asl_path::SyntaxError) -> asl_path::EvalError {
    asl_path::EvalError {
        error: "Syntax".into(),
        cause: e.to_string(),
        kind: asl_path::EvalErrorKind::Intrinsic,
    }
}

/// Applies the recording's normalisation to our output: ARN partition and region, and the
/// case's `jsonpath` rules that address Pass state outputs.
fn normalize(v: &Value, rules: &Value) -> Value {
    let text = serde_json::to_string(v).unwrap_or_default();
    let text = text
        .replace("arn:aws:", "arn:<partition>:")
        .replace("us-east-1", "<region>");
    let mut v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    for rule in rules.as_array().into_iter().flatten() {
        let path = rule["path"].as_str().unwrap_or_default();
        if let Some(rest) = path.split("stateExitedEventDetails.output").nth(1) {
            let pointer: String = rest
                .split('.')
                .filter(|k| !k.is_empty())
                .map(|k| format!("/{k}"))
                .collect();
            if let Some(target) = v.pointer_mut(&pointer) {
                *target = rule["replacement"].clone();
            }
        }
    }
    v
}

/// JSON equality where numbers compare by value; an expected string listed in `wildcards`
/// matches any string (a generated UUID must still look like a version-4 UUID).
fn same(a: &Value, b: &Value, wildcards: &[&str]) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) if wildcards.contains(&y.as_str()) => {
            y != "generated-uuid" || is_uuid_v4(x)
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b, wildcards))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, wildcards)))
        }
        _ => a == b,
    }
}

fn check_golden(rel: &str, actual: &str) {
    let path = FsPath::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).ok();
        }
        std::fs::write(&path, actual).ok();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "golden file {rel} differs; rerun with UPDATE_EXPECT=1 to update.\n--- actual ---\n{actual}"
    );
}

fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        && s.chars()
            .filter(|&c| c != '-')
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}
