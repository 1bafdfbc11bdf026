//! `asl test`: runs the test cases saved with a studio document (or a mock file's test cases).
//!
//! A studio document is the JSON file the app saves: the definition plus named test cases,
//! each with an input, mocks and expectations. See `docs/conformance.md` ("Test cases").

use crate::conformance::compare::Matcher;
use crate::run::{check_definition, machine_name_of, read_definition, read_json, run_guarded};
use asl_interp::mock::{MockConfig, Mocks, Unmocked};
use asl_interp::{ExecutionResult, RunOptions};
use serde_json::{Map, Value};
use std::io::Write;

const HELP: &str = "\
asl test DOCUMENT... [--mocks MOCKCONFIG.json [--input FILE] [--expect EXPECT.json]]

Runs named test cases and prints one line per test case, then `N passed, N failed`.

A DOCUMENT is either a studio document (JSON with \"definition\" and \"testCases\"; the
format is described in docs/conformance.md, section \"Test cases\"), or a plain state
machine (JSON or YAML) run with every test case of the --mocks file. Without --expect a
mock-file test case passes when the execution succeeds; --expect gives a JSON object
{\"<test case>\": {\"status\", \"output\", \"error\", \"cause\", \"path\"}} to check instead,
and --input the execution input of those test cases (default {}).

Exit codes: 0 all passed, 1 a test case failed, 2 unusable arguments or documents.";

/// What a test case expects; absent fields are not checked.
#[derive(Debug, Clone, Default)]
struct Expect {
    status: Option<String>,
    output: Option<Value>,
    error: Option<Value>,
    cause: Option<Value>,
    path: Option<Vec<String>>,
}

/// One runnable test case.
struct TestCase {
    name: String,
    input: Value,
    mocks: Result<Mocks, String>,
    context: Option<Value>,
    expect: Expect,
}

fn parse_expect(v: Option<&Value>, what: &str) -> Result<Expect, String> {
    let Some(v) = v else {
        return Ok(Expect {
            status: Some("SUCCEEDED".into()),
            ..Expect::default()
        });
    };
    let obj = v
        .as_object()
        .ok_or_else(|| format!("{what}.expect must be an object"))?;
    for k in obj.keys() {
        if !matches!(k.as_str(), "status" | "output" | "error" | "cause" | "path") {
            return Err(format!(
                "{what}.expect has an unknown field \"{k}\" (expected status, output, error, cause, path)"
            ));
        }
    }
    let status = match obj.get("status") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(format!("{what}.expect.status must be a string")),
    };
    let path = match obj.get("path") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("{what}.expect.path must list state names"))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(format!("{what}.expect.path must be an array")),
    };
    Ok(Expect {
        status,
        output: obj.get("output").cloned(),
        error: obj.get("error").cloned(),
        cause: obj.get("cause").cloned(),
        path,
    })
}

fn parse_unmocked(v: Option<&Value>, what: &str) -> Result<Unmocked, String> {
    match v.and_then(Value::as_str) {
        None if v.is_none() => Ok(Unmocked::Fail),
        Some("fail") => Ok(Unmocked::Fail),
        Some("echo") => Ok(Unmocked::EchoInput),
        _ => Err(format!("{what}.unmocked must be \"fail\" or \"echo\"")),
    }
}

/// Reads a studio document: its definition and test cases.
fn read_document(doc: &Value, origin: &str) -> Result<(Value, Vec<TestCase>), String> {
    let obj = doc
        .as_object()
        .ok_or_else(|| format!("{origin}: a studio document must be a JSON object"))?;
    match obj.get("version") {
        None => {}
        Some(v) if v.as_u64() == Some(1) => {}
        Some(v) => {
            return Err(format!(
                "{origin}: unsupported document version {v} (this asl reads version 1)"
            ));
        }
    }
    let definition = obj
        .get("definition")
        .filter(|d| d.is_object())
        .cloned()
        .ok_or_else(|| format!("{origin}: the document has no \"definition\" object"))?;
    check_definition(&definition, origin)?;
    let cases = obj
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{origin}: \"testCases\" must be an array"))?;
    let mut out = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let what = format!("{origin}: testCases[{i}]");
        let name = c
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("{what} has no \"name\""))?;
        let what = format!("{origin}: test case \"{name}\"");
        let unmocked = parse_unmocked(c.get("unmocked"), &what)?;
        let mocks = Mocks::from_state_map(c.get("mocks").unwrap_or(&Value::Null))
            .map(|m| m.with_unmocked(unmocked))
            .map_err(|e| e.to_string());
        let context = match c.get("context") {
            None | Some(Value::Null) => None,
            Some(v) if v.is_object() => Some(v.clone()),
            Some(_) => return Err(format!("{what}: \"context\" must be an object")),
        };
        out.push(TestCase {
            name,
            input: c.get("input").cloned().unwrap_or(Value::Object(Map::new())),
            mocks,
            context,
            expect: parse_expect(c.get("expect"), &what)?,
        });
    }
    Ok((definition, out))
}

/// The test cases of a mock file for a plain state machine.
fn mock_file_cases(
    machine_path: &str,
    mocks_path: &str,
    input: &Value,
    expect: Option<&Value>,
) -> Result<Vec<TestCase>, String> {
    let value = read_json(mocks_path, "mock file")?;
    let cfg = MockConfig::parse(&value).map_err(|e| format!("{mocks_path}: {e}"))?;
    let hint = machine_name_of(machine_path);
    let pairs: Vec<(String, String)> = if cfg.machines.contains_key(&hint) {
        cfg.test_cases()
            .into_iter()
            .filter(|(m, _)| *m == hint)
            .collect()
    } else {
        cfg.test_cases()
    };
    if pairs.is_empty() {
        return Err(format!("{mocks_path}: the mock file has no test cases"));
    }
    let mut out = Vec::new();
    for (machine, case) in pairs {
        let expect = match expect.and_then(|e| e.get(&case)) {
            Some(e) => parse_expect(Some(e), &format!("--expect \"{case}\""))?,
            None => Expect {
                status: Some("SUCCEEDED".into()),
                ..Expect::default()
            },
        };
        let name = if cfg.machines.len() > 1 {
            format!("{machine}#{case}")
        } else {
            case.clone()
        };
        out.push(TestCase {
            name,
            input: input.clone(),
            mocks: cfg.mocks(Some(&machine), &case).map_err(|e| e.to_string()),
            context: None,
            expect,
        });
    }
    Ok(out)
}

/// The names of the states entered, in history order.
fn path_of(result: &ExecutionResult) -> Vec<String> {
    result
        .events
        .iter()
        .filter(|e| e.kind.ends_with("StateEntered"))
        .filter_map(|e| e.details.get("name").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// Checks a result against the expectations; `Err` says what differs.
fn check(result: &ExecutionResult, expect: &Expect) -> Result<(), String> {
    let status = result.status.as_aws();
    let describe_failure = || match (&result.error, &result.cause) {
        (Some(e), Some(c)) => format!(" ({e}: {c})"),
        (Some(e), None) => format!(" ({e})"),
        _ => String::new(),
    };
    if let Some(want) = &expect.status
        && want != status
    {
        return Err(format!(
            "expected status {want}, got {status}{}",
            describe_failure()
        ));
    }
    let opt = |s: &Option<String>| s.clone().map(Value::String).unwrap_or(Value::Null);
    let fields = [
        (
            "output",
            &expect.output,
            result.output.clone().unwrap_or(Value::Null),
        ),
        ("error", &expect.error, opt(&result.error)),
        ("cause", &expect.cause, opt(&result.cause)),
    ];
    for (name, want, got) in fields {
        if let Some(want) = want
            && let Err(d) = Matcher::default().compare(want, &got, &format!("/{name}"))
        {
            return Err(format!(
                "{name} differs at {}: expected {}, got {}",
                d.path, d.expected, d.actual
            ));
        }
    }
    if let Some(want) = &expect.path {
        let got = path_of(result);
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

pub(crate) fn run(args: Vec<String>) -> u8 {
    let mut docs = Vec::new();
    let mut mocks_path: Option<String> = None;
    let mut expect_path: Option<String> = None;
    let mut input_path: Option<String> = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--mocks" | "--expect" | "--input" => {
                let Some(v) = it.next() else {
                    eprintln!("asl test: {a} needs a file\n\n{HELP}");
                    return 2;
                };
                match a.as_str() {
                    "--mocks" => mocks_path = Some(v),
                    "--expect" => expect_path = Some(v),
                    _ => input_path = Some(v),
                }
            }
            "-h" | "--help" => {
                println!("{HELP}");
                return 0;
            }
            s if s.starts_with("--") => {
                eprintln!("asl test: unknown option `{s}`\n\n{HELP}");
                return 2;
            }
            _ => docs.push(a),
        }
    }
    if docs.is_empty() {
        eprintln!("asl test: no DOCUMENT given\n\n{HELP}");
        return 2;
    }
    let expect = match &expect_path {
        Some(p) => match read_json(p, "expectations") {
            Ok(v) if v.is_object() => Some(v),
            Ok(_) => {
                eprintln!("asl test: {p} must be a JSON object keyed by test case");
                return 2;
            }
            Err(e) => {
                eprintln!("asl test: {e}");
                return 2;
            }
        },
        None => None,
    };
    let input = match &input_path {
        Some(p) => match read_json(p, "input") {
            Ok(v) => v,
            Err(e) => {
                eprintln!("asl test: {e}");
                return 2;
            }
        },
        None => Value::Object(Map::new()),
    };
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    let mut out = std::io::stdout().lock();
    for doc in &docs {
        let loaded = load(doc, mocks_path.as_deref(), &input, expect.as_ref());
        let (definition, cases) = match loaded {
            Ok(x) => x,
            Err(e) => {
                let _ = writeln!(out, "ERROR {doc}: {e}");
                broken += 1;
                continue;
            }
        };
        for case in cases {
            let outcome = run_case(&definition, case.input, case.mocks, case.context.as_ref())
                .and_then(|r| check(&r, &case.expect));
            match outcome {
                Ok(()) => {
                    passed += 1;
                    let _ = writeln!(out, "PASS {doc} › {}", case.name);
                }
                Err(e) => {
                    failed += 1;
                    let _ = writeln!(out, "FAIL {doc} › {}: {e}", case.name);
                }
            }
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    if broken > 0 {
        2
    } else if failed > 0 {
        1
    } else {
        0
    }
}

fn load(
    doc: &str,
    mocks_path: Option<&str>,
    input: &Value,
    expect: Option<&Value>,
) -> Result<(Value, Vec<TestCase>), String> {
    let text = std::fs::read_to_string(doc).map_err(|e| format!("cannot read it: {e}"))?;
    let as_json: Option<Value> = serde_json::from_str(&text).ok();
    let is_document = as_json
        .as_ref()
        .is_some_and(|v| v.get("testCases").is_some() || v.get("definition").is_some());
    if is_document {
        let value = as_json.unwrap_or_default();
        return read_document(&value, doc);
    }
    let Some(mocks_path) = mocks_path else {
        return Err(
            "not a studio document (no \"definition\"/\"testCases\"); to test a plain state machine give --mocks MOCKCONFIG.json"
                .into(),
        );
    };
    let definition = read_definition(doc)?;
    let cases = mock_file_cases(doc, mocks_path, input, expect)?;
    Ok((definition, cases))
}

fn run_case(
    definition: &Value,
    input: Value,
    mocks: Result<Mocks, String>,
    context: Option<&Value>,
) -> Result<ExecutionResult, String> {
    let mut mocks = mocks.map_err(|e| format!("bad mocks: {e}"))?;
    let opts = context
        .map(RunOptions::from_corpus_context)
        .unwrap_or_default();
    run_guarded(definition, input, &opts, &mut mocks)
}
