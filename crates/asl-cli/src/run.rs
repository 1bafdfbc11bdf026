//! `asl run`: runs a state machine once and prints its result (and history) as JSON.
//!
//! Tasks are answered from a Step Functions Local mock file test case; without one every
//! task fails with `Mock.NotFound`, naming the state, so the missing mocks are obvious.

use asl_interp::mock::{Mocks, Unmocked, is_mock_config};
use asl_interp::{ExecutionResult, RunOptions, compile};
use serde_json::{Map, Value};
use std::io::Write;
use std::path::Path;

const HELP: &str = "\
asl run MACHINE [--input FILE] [--mocks MOCKCONFIG.json --test-case NAME] [--context FILE]
        [--history] [--unmocked fail|echo]

Runs the state machine MACHINE (JSON or YAML) once and prints one JSON object:
{\"status\", \"output\", \"error\", \"cause\"} and, with --history, \"events\" (the
GetExecutionHistory events). The exit code is 0 whatever the execution's status.

    --input FILE       the execution input (JSON; `-` reads standard input); default {}
    --mocks FILE       a Step Functions Local MockConfigFile.json, or a per-state map
                       ({\"State\": [{\"Return\": ...}, ...]}, as in studio documents)
    --test-case NAME   the test case of the mock file (optional if it has only one)
    --context FILE     a JSON object like a corpus case's `context` (Execution, StateMachine,
                       stateMachineType, s3Objects)
    --history          also print the history events
    --unmocked POLICY  what tasks without a mock do: `fail` (default, error Mock.NotFound)
                       or `echo` (return their input)

Exit codes: 0 ran, 2 unusable arguments or an invalid definition.";

/// Reads a JSON file (or standard input for `-`), with a readable error.
pub(crate) fn read_json(path: &str, what: &str) -> Result<Value, String> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read {what} from standard input: {e}"))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} {path}: {e}"))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{what} {path} is not valid JSON: {e}"))
}

/// Checks a definition value with the validator; error diagnostics become one message.
pub(crate) fn check_definition(value: &Value, origin: &str) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let (_, diags) = asl_core::check(&text, asl_core::Format::Json);
    report_diagnostics(&diags, origin)
}

fn report_diagnostics(diags: &[asl_core::Diagnostic], origin: &str) -> Result<(), String> {
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == asl_core::Severity::Error)
        .map(|d| {
            format!(
                "{origin}: error {} at {}: {}",
                d.code,
                if d.pointer.is_empty() {
                    "/"
                } else {
                    &d.pointer
                },
                d.message
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// Reads a definition file (JSON or YAML) and validates it.
pub(crate) fn read_definition(path: &str) -> Result<Value, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read machine {path}: {e}"))?;
    let (parse, diags) = asl_core::check(&text, asl_core::detect_format(&text));
    report_diagnostics(&diags, path)?;
    if !parse.value().is_object() {
        return Err(format!("{path}: the state machine is not an object"));
    }
    Ok(parse.into_value())
}

/// The result object that `asl run` prints.
pub(crate) fn result_json(result: &ExecutionResult, history: bool) -> Value {
    let mut m = Map::new();
    let opt = |s: &Option<String>| s.clone().map(Value::String).unwrap_or(Value::Null);
    m.insert(
        "status".into(),
        Value::String(result.status.as_aws().into()),
    );
    m.insert(
        "output".into(),
        result.output.clone().unwrap_or(Value::Null),
    );
    m.insert("error".into(), opt(&result.error));
    m.insert("cause".into(), opt(&result.cause));
    if history {
        m.insert(
            "events".into(),
            Value::Array(result.events.iter().map(|e| e.to_aws_json()).collect()),
        );
    }
    Value::Object(m)
}

/// Runs a compiled definition with panics turned into an error message.
pub(crate) fn run_guarded(
    definition: &Value,
    input: Value,
    opts: &RunOptions,
    mocks: &mut Mocks,
) -> Result<ExecutionResult, String> {
    let program = compile(definition).map_err(|e| {
        format!(
            "the definition cannot run: {} (at {})",
            e.message, e.pointer
        )
    })?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        asl_interp::run(&program, input, opts, mocks)
    }))
    .map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("internal error: the interpreter panicked: {msg}")
    })
}

/// Picks the test case of a mock file for a machine; `None` test case means "the only one".
pub(crate) fn mocks_from_file(
    path: &str,
    machine_hint: Option<&str>,
    test_case: Option<&str>,
) -> Result<Mocks, String> {
    let value = read_json(path, "mock file")?;
    // A per-state map (the compact form of studio documents and corpus cases) has no
    // test cases: it is the mocks of one run.
    if let Some(case) = test_case
        && value.is_object()
        && !is_mock_config(&value)
    {
        return Err(format!(
            "{path} is a per-state mock map without test cases; drop --test-case {case}"
        ));
    }
    Mocks::from_json(&value, machine_hint, test_case, "--test-case")
        .map_err(|e| format!("{path}: {e}"))
}

/// The machine name a file stands for: `my-machine.asl.json` → `my-machine`.
pub(crate) fn machine_name_of(path: &str) -> String {
    let file = Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.split('.').next().unwrap_or(&file).to_string()
}

pub(crate) fn run(args: Vec<String>) -> u8 {
    let mut machine: Option<String> = None;
    let mut input_path: Option<String> = None;
    let mut mocks_path: Option<String> = None;
    let mut test_case: Option<String> = None;
    let mut context_path: Option<String> = None;
    let mut history = false;
    let mut unmocked = Unmocked::Fail;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<String, u8> {
            it.next().ok_or_else(|| {
                eprintln!("asl run: {name} needs a value\n\n{HELP}");
                2
            })
        };
        let r = match a.as_str() {
            "--input" => value("--input").map(|v| input_path = Some(v)),
            "--mocks" => value("--mocks").map(|v| mocks_path = Some(v)),
            "--test-case" => value("--test-case").map(|v| test_case = Some(v)),
            "--context" => value("--context").map(|v| context_path = Some(v)),
            "--unmocked" => value("--unmocked").and_then(|v| {
                unmocked = match v.as_str() {
                    "fail" => Unmocked::Fail,
                    "echo" => Unmocked::EchoInput,
                    other => {
                        eprintln!("asl run: --unmocked takes `fail` or `echo`, not `{other}`");
                        return Err(2);
                    }
                };
                Ok(())
            }),
            "--history" => {
                history = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("{HELP}");
                return 0;
            }
            s if s.starts_with("--") => {
                eprintln!("asl run: unknown option `{s}`\n\n{HELP}");
                Err(2)
            }
            _ if machine.is_none() => {
                machine = Some(a);
                Ok(())
            }
            _ => {
                eprintln!("asl run: only one MACHINE can be run (got `{a}` too)");
                Err(2)
            }
        };
        if let Err(code) = r {
            return code;
        }
    }
    let Some(machine) = machine else {
        eprintln!("asl run: no MACHINE given\n\n{HELP}");
        return 2;
    };
    if test_case.is_some() && mocks_path.is_none() {
        eprintln!("asl run: --test-case needs --mocks");
        return 2;
    }
    match execute(
        &machine,
        input_path.as_deref(),
        mocks_path.as_deref(),
        test_case.as_deref(),
        context_path.as_deref(),
        unmocked,
    ) {
        Ok(result) => {
            let out = result_json(&result, history);
            let text = serde_json::to_string_pretty(&out).unwrap_or_else(|_| out.to_string());
            // A closed pipe (`asl run ... | head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            0
        }
        Err(msg) => {
            eprintln!("asl run: {msg}");
            2
        }
    }
}

fn execute(
    machine: &str,
    input_path: Option<&str>,
    mocks_path: Option<&str>,
    test_case: Option<&str>,
    context_path: Option<&str>,
    unmocked: Unmocked,
) -> Result<ExecutionResult, String> {
    let definition = read_definition(machine)?;
    let input = match input_path {
        Some(p) => read_json(p, "input")?,
        None => Value::Object(Map::new()),
    };
    let context = match context_path {
        Some(p) => {
            let c = read_json(p, "context")?;
            if !c.is_object() {
                return Err(format!("context {p} must be a JSON object"));
            }
            Some(c)
        }
        None => None,
    };
    let opts = context
        .as_ref()
        .map(RunOptions::from_corpus_context)
        .unwrap_or_default();
    let hint = context
        .as_ref()
        .and_then(|c| c.pointer("/StateMachine/Name"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| machine_name_of(machine));
    let mut mocks = match mocks_path {
        Some(p) => mocks_from_file(p, Some(&hint), test_case)?,
        None => Mocks::new(),
    }
    .with_unmocked(unmocked);
    run_guarded(&definition, input, &opts, &mut mocks)
}
