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
    run_topic(
        |n| n.starts_with("intrinsic_functions__"),
        "test_data/corpus/intrinsic_results.txt",
    );
}

/// Every other case whose machine is a chain of JSONPath Pass states (InputPath, Parameters,
/// Result, ResultPath, OutputPath); cases with other state types are not listed.
#[test]
fn pass_chain_corpus() {
    run_topic(
        |n| !n.starts_with("intrinsic_functions__"),
        "test_data/corpus/pass_chain_results.txt",
    );
}

fn run_topic(select: impl Fn(&str) -> bool, golden: &str) {
    let dir = FsPath::new(CASES);
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| select(n) && n.ends_with(".json"))
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
            Outcome::Skip(_) if golden.contains("pass_chain") => skip += 1,
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
    check_golden(golden, &report);
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
    let mut assigned = serde_json::Map::new();
    for (step, want) in expected.iter().enumerate() {
        let snapshot = assigned.clone();
        let vars = move |name: &str| snapshot.get(name).cloned();
        let Some(st) = states.get(&state_name) else {
            return Outcome::Fail(format!("no state {state_name}"));
        };
        let context = json!({
            "Execution": {
                "Id": ctx["Execution"]["Id"], "Input": input, "Name": ctx["Execution"]["Name"],
                "RoleArn": ctx["Execution"]["RoleArn"], "StartTime": ctx["Execution"]["StartTime"],
                "RedriveCount": 0,
            },
            "StateMachine": ctx["StateMachine"],
            "State": { "Name": state_name, "EnteredTime": ctx["Execution"]["StartTime"] },
        });
        let (result, output) = match run_pass(st, &current, &context, &vars, &mut env) {
            Ok(v) => v,
            Err(e) => return Outcome::Fail(format!("step {step}: {e}")),
        };
        if let Some(assign) = st.get("Assign") {
            match eval_template(assign, &result, &context, &vars, &mut env) {
                Ok(Value::Object(m)) => assigned.extend(m),
                Ok(_) => {}
                Err(e) => return Outcome::Fail(format!("step {step}: Assign: {e}")),
            }
        }
        let result = output;
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
/// Returns the state result (what `$` means in `Assign`) and the state output.
fn run_pass(
    st: &Value,
    input: &Value,
    context: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut SeededEnv,
) -> Result<(Value, Value), asl_path::EvalError> {
    let effective = match st.get("InputPath") {
        Some(Value::String(p)) => Path::parse(p)
            .map_err(|e| syntax(&e))?
            .eval(input, context, vars)?,
        Some(Value::Null) => json!({}),
        _ => input.clone(),
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
            .set(&mut output, result.clone())?,
        Some(Value::Null) => {}
        _ => output = result.clone(),
    }
    let output = match st.get("OutputPath") {
        Some(Value::String(p)) => Path::parse(p)
            .map_err(|e| syntax(&e))?
            .eval(&output, context, vars)?,
        Some(Value::Null) => json!({}),
        _ => output,
    };
    Ok((result, output))
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
    replace_dates(&mut v);
    for rule in rules.as_array().into_iter().flatten() {
        let key = match (
            rule["type"].as_str(),
            rule["path"].as_str(),
            rule["key"].as_str(),
        ) {
            (Some("key"), _, Some(k)) => Some(k),
            (Some("jsonpath"), Some(p), _) if p.starts_with("$..") && !p[3..].contains('.') => {
                Some(&p[3..])
            }
            _ => None,
        };
        if let Some(key) = key {
            replace_key(&mut v, key, &rule["replacement"]);
        }
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
        (Value::String(x), Value::String(y)) if y.starts_with("<uuid:") => is_uuid_v4(x),
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

/// Every path, reference path, intrinsic call and payload template in the corpus definitions
/// must parse (JSONata-only fields are ignored).
#[test]
fn corpus_paths_parse() {
    let Ok(rd) = std::fs::read_dir(CASES) else {
        return;
    };
    let mut names: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    let mut report = String::new();
    let mut counts = [0usize; 4];
    for file in names {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let case: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let id = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut stack = vec![&case["definition"]];
        while let Some(v) = stack.pop() {
            let Value::Object(m) = v else {
                if let Value::Array(a) = v {
                    stack.extend(a);
                }
                continue;
            };
            for (k, x) in m {
                let s = x.as_str().filter(|s| !s.starts_with("{%"));
                match (k.as_str(), s) {
                    ("ResultPath", Some(s)) => {
                        counts[0] += 1;
                        if let Err(e) = ReferencePath::parse(s) {
                            report.push_str(&format!("{id}: ResultPath {s:?}: {e}\n"));
                        }
                    }
                    (k, Some(s))
                        if k == "Variable" || (k.ends_with("Path") && k != "ResultPath") =>
                    {
                        counts[1] += 1;
                        if let Err(e) = asl_path::Expr::parse(s) {
                            report.push_str(&format!("{id}: {k} {s:?}: {e}\n"));
                        }
                    }
                    ("Parameters" | "ResultSelector" | "ItemSelector" | "Credentials", _) => {
                        counts[2] += 1;
                        for (ptr, e) in asl_path::check_template(x) {
                            report.push_str(&format!("{id}: {k}{ptr}: {e}\n"));
                        }
                    }
                    _ => {}
                }
                if x.is_object() || x.is_array() {
                    stack.push(x);
                }
            }
        }
        counts[3] += 1;
    }
    report.push_str(&format!(
        "\n{} definitions: {} reference paths, {} paths, {} templates checked\n",
        counts[3], counts[0], counts[1], counts[2]
    ));
    check_golden("test_data/corpus/parse_results.txt", &report);
}

/// Replaces every ISO-8601 date-time string with `date`, as the recording did.
fn replace_dates(v: &mut Value) {
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            if b.len() >= 19 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' {
                *s = "date".into();
            }
        }
        Value::Array(a) => a.iter_mut().for_each(replace_dates),
        Value::Object(m) => m.values_mut().for_each(replace_dates),
        _ => {}
    }
}

fn replace_key(v: &mut Value, key: &str, replacement: &Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(|x| replace_key(x, key, replacement)),
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == key {
                    *x = replacement.clone();
                } else {
                    replace_key(x, key, replacement);
                }
            }
        }
        _ => {}
    }
}
