//! Golden tests of the mock model (`asl_interp::mock`), driven by files in `test_data/mocks/`.
//!
//! * `invalid/NAME.json`: a malformed MockConfigFile; `invalid/NAME.err` holds the exact message.
//! * `sequences.json`: scenarios of calls and the answers the mocks must give.
//! * `export/NAME.json`: a per-state mock map; `export/NAME.mockconfig.json` its export.
//!
//! `UPDATE_GOLDEN=1` rewrites the `.err` and `.mockconfig.json` files.

use asl_interp::mock::{MockConfig, Mocks, Unmocked};
use asl_interp::{Integration, TaskAnswer, TaskHandler, TaskRequest};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn data(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join("mocks")
        .join(sub)
}

fn update() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

fn files(dir: &Path, suffix: &str, skip: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("test data folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(suffix) && (skip.is_empty() || !n.ends_with(skip))
        })
        .collect();
    out.sort();
    out
}

fn golden(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if update() {
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(want) if want == actual => {}
        Ok(want) => failures.push(format!(
            "{}:\n  want: {want}\n  got:  {actual}",
            path.display()
        )),
        Err(_) => failures.push(format!(
            "{} is missing (run with UPDATE_GOLDEN=1); got: {actual}",
            path.display()
        )),
    }
}

#[test]
fn invalid_mock_files_give_clear_errors() {
    let mut failures = Vec::new();
    let inputs = files(&data("invalid"), ".json", "");
    assert!(!inputs.is_empty());
    for file in inputs {
        let text = std::fs::read_to_string(&file).expect("read");
        let message = match MockConfig::from_text(&text) {
            Ok(_) => "(accepted)".to_string(),
            Err(e) => e.message,
        };
        golden(
            &file.with_extension("err"),
            &format!("{message}\n"),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn request(state: &str, map_path: Vec<(String, usize)>) -> TaskRequest {
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

/// The test's JSON spelling of an answer.
fn answer_json(a: &TaskAnswer) -> Value {
    let throw = |error: &Option<String>, cause: &Option<String>| {
        let mut t = serde_json::Map::new();
        if let Some(e) = error {
            t.insert("Error".into(), json!(e));
        }
        if let Some(c) = cause {
            t.insert("Cause".into(), json!(c));
        }
        Value::Object(t)
    };
    match a {
        TaskAnswer::Return(v) => json!({ "Return": v }),
        TaskAnswer::Shared(v) => json!({ "Return": **v }),
        TaskAnswer::Throw { error, cause } => json!({ "Throw": throw(error, cause) }),
        TaskAnswer::TimedOut { error, cause } => json!({ "TimedOut": throw(error, cause) }),
        TaskAnswer::Submitted { submitted, then } => {
            json!({ "Submitted": submitted, "then": answer_json(then) })
        }
        TaskAnswer::Pending => json!("Pending"),
    }
}

fn mocks_of(scenario: &Value) -> Result<Mocks, String> {
    let mocks = if let Some(cfg) = scenario.get("mockConfig") {
        let cfg = MockConfig::parse(cfg).map_err(|e| e.message)?;
        let machine = scenario.get("machine").and_then(Value::as_str);
        let case = scenario["testCase"].as_str().unwrap_or_default();
        cfg.mocks(machine, case).map_err(|e| e.message)?
    } else {
        Mocks::from_state_map(&scenario["stateMap"]).map_err(|e| e.message)?
    };
    Ok(match scenario.get("unmocked").and_then(Value::as_str) {
        Some("echo") => mocks.with_unmocked(Unmocked::EchoInput),
        _ => mocks,
    })
}

#[test]
fn mock_sequences() {
    let text = std::fs::read_to_string(data("sequences.json")).expect("read sequences");
    let scenarios: Vec<Value> = serde_json::from_str(&text).expect("sequences.json is JSON");
    let mut failures = Vec::new();
    for s in &scenarios {
        let name = s["name"].as_str().unwrap_or("?");
        let mut mocks = match (mocks_of(s), s.get("selectError").and_then(Value::as_str)) {
            (Ok(m), None) => m,
            (Err(e), Some(want)) if e == want => continue,
            (Err(e), want) => {
                failures.push(format!("{name}: error {e:?}, wanted {want:?}"));
                continue;
            }
            (Ok(_), Some(want)) => {
                failures.push(format!("{name}: accepted, wanted the error {want:?}"));
                continue;
            }
        };
        let calls = s["calls"].as_array().cloned().unwrap_or_default();
        let got: Vec<Value> = calls
            .iter()
            .map(|c| {
                let path = c
                    .get("mapPath")
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .map(|p| {
                                (
                                    p[0].as_str().unwrap_or_default().to_string(),
                                    p[1].as_u64().unwrap_or_default() as usize,
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                answer_json(&mocks.invoke(&request(c["state"].as_str().unwrap_or(""), path)))
            })
            .collect();
        if Value::Array(got.clone()) != s["answers"] {
            failures.push(format!(
                "{name}:\n  want: {}\n  got:  {}",
                s["answers"],
                Value::Array(got)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mock_files_round_trip() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/run/MockConfigFile.json"),
    )
    .expect("read the mock file");
    let cfg = MockConfig::from_text(&text).expect("valid mock file");
    let again = MockConfig::parse(&cfg.to_value()).expect("the saved file parses");
    assert_eq!(cfg, again);
    let original: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(cfg.to_value(), original);
}

#[test]
fn export_to_mock_config() {
    let mut failures = Vec::new();
    let inputs = files(&data("export"), ".json", ".mockconfig.json");
    assert!(!inputs.is_empty());
    for file in inputs {
        let text = std::fs::read_to_string(&file).expect("read");
        let value: Value = serde_json::from_str(&text).expect("export input is JSON");
        let mocks = Mocks::from_state_map(&value).expect("valid state map");
        let exported = mocks.to_mock_config("Machine", "Case");
        // The export must itself be a valid mock file.
        if let Err(e) = MockConfig::parse(&exported) {
            failures.push(format!("{}: export does not parse: {e}", file.display()));
        }
        let pretty = serde_json::to_string_pretty(&exported).expect("serialise") + "\n";
        golden(
            &file.with_extension("mockconfig.json"),
            &pretty,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
