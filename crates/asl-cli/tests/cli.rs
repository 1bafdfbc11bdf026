//! End-to-end tests of `asl run` and `asl test`, driven by `test_data/cli_cases.json`.
//!
//! Each case gives the arguments (paths relative to `test_data/`), the exit code, and what
//! the output must hold: `stdoutJson` (these keys with these values), `noKeys`,
//! `eventTypes` (the `type` of each printed event), `stdoutText` (exact), `stdoutContains`
//! or `stderrContains`.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn cli_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let text = std::fs::read_to_string(dir.join("cli_cases.json")).expect("read cli_cases.json");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("cli_cases.json is JSON");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let args: Vec<&str> = case["args"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let out = Command::new(env!("CARGO_BIN_EXE_asl"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .expect("run asl");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut problems = Vec::new();
        let want_exit = case["exit"].as_i64().unwrap_or(0);
        if out.status.code().map(i64::from) != Some(want_exit) {
            problems.push(format!("exit {:?}, wanted {want_exit}", out.status.code()));
        }
        if let Some(want) = case.get("stdoutJson").and_then(Value::as_object) {
            match serde_json::from_str::<Value>(&stdout) {
                Ok(got) => {
                    for (k, v) in want {
                        if got.get(k) != Some(v) {
                            problems.push(format!("{k}: got {:?}, wanted {v}", got.get(k)));
                        }
                    }
                    for k in case["noKeys"].as_array().into_iter().flatten() {
                        if let Some(k) = k.as_str()
                            && got.get(k).is_some()
                        {
                            problems.push(format!("unexpected key {k}"));
                        }
                    }
                    if let Some(types) = case.get("eventTypes") {
                        let got_types: Vec<Value> = got["events"]
                            .as_array()
                            .map(|evs| evs.iter().map(|e| e["type"].clone()).collect())
                            .unwrap_or_default();
                        if Value::Array(got_types.clone()) != *types {
                            problems.push(format!(
                                "event types {}, wanted {types}",
                                Value::Array(got_types)
                            ));
                        }
                    }
                }
                Err(e) => problems.push(format!("stdout is not one JSON value ({e})")),
            }
        }
        if let Some(want) = case.get("stdoutText").and_then(Value::as_str)
            && stdout != want
        {
            problems.push(format!(
                "stdout differs:\n--- want\n{want}--- got\n{stdout}"
            ));
        }
        if let Some(want) = case.get("stdoutContains").and_then(Value::as_str)
            && !stdout.contains(want)
        {
            problems.push(format!("stdout lacks {want:?}"));
        }
        if let Some(want) = case.get("stderrContains").and_then(Value::as_str)
            && !stderr.contains(want)
        {
            problems.push(format!("stderr lacks {want:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}:\n  {}\n  (stdout: {}; stderr: {})",
                problems.join("\n  "),
                stdout.chars().take(600).collect::<String>(),
                stderr.chars().take(600).collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
