//! `asl test`: runs the test cases saved with a studio document (or a mock file's test cases).
//!
//! A studio document is the JSON file the app saves: the definition plus named test cases,
//! each with an input, mocks and expectations (`asl_interp::mock::StudioDocument`). See
//! `docs/conformance.md` ("Test cases").

use crate::run::{check_definition, machine_name_of, read_definition, read_json, run_guarded};
use asl_interp::RunOptions;
use asl_interp::mock::{Expect, MockConfig, Mocks, StudioDocument};
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

/// One runnable test case.
struct Runnable {
    name: String,
    input: Value,
    mocks: Result<Mocks, String>,
    context: Option<Value>,
    expect: Expect,
}

/// The test cases of a mock file for a plain state machine.
fn mock_file_cases(
    machine_path: &str,
    mocks_path: &str,
    input: &Value,
    expect: Option<&Value>,
) -> Result<Vec<Runnable>, String> {
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
            Some(e) => Expect::parse(e).map_err(|e| format!("--expect \"{case}\": {e}"))?,
            None => Expect::success(),
        };
        let name = if cfg.machines.len() > 1 {
            format!("{machine}#{case}")
        } else {
            case.clone()
        };
        out.push(Runnable {
            name,
            input: input.clone(),
            mocks: cfg.mocks(Some(&machine), &case).map_err(|e| e.to_string()),
            context: None,
            expect,
        });
    }
    Ok(out)
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
    // Writes ignore errors: a closed pipe (`| head`) must not panic.
    let mut out = std::io::stdout().lock();
    for doc in &docs {
        let (definition, cases) = match load(doc, mocks_path.as_deref(), &input, expect.as_ref()) {
            Ok(x) => x,
            Err(e) => {
                let _ = writeln!(out, "ERROR {doc}: {e}");
                broken += 1;
                continue;
            }
        };
        for case in cases {
            match run_case(&definition, case.input, case.mocks, case.context.as_ref())
                .and_then(|r| case.expect.check(&r))
            {
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
) -> Result<(Value, Vec<Runnable>), String> {
    let text = std::fs::read_to_string(doc).map_err(|e| format!("cannot read it: {e}"))?;
    let as_json: Option<Value> = serde_json::from_str(&text).ok();
    if let Some(value) = as_json.filter(StudioDocument::is_document) {
        let document = StudioDocument::parse(&value).map_err(|e| e.to_string())?;
        check_definition(&document.definition, doc)?;
        let cases = document
            .test_cases
            .iter()
            .map(|c| Runnable {
                name: c.name.clone(),
                input: c.input.clone(),
                mocks: c.build_mocks().map_err(|e| e.to_string()),
                context: c.context.clone(),
                expect: c.expect.clone(),
            })
            .collect();
        return Ok((document.definition, cases));
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
) -> Result<asl_interp::ExecutionResult, String> {
    let mut mocks = mocks.map_err(|e| format!("bad mocks: {e}"))?;
    let opts = context
        .map(RunOptions::from_corpus_context)
        .unwrap_or_default();
    run_guarded(definition, input, &opts, &mut mocks)
}
