//! Conformance ratchet: runs the AWS-recorded corpus through `asl conformance --json` and
//! fails if any topic passes fewer cases (result or exact history) than the baseline in
//! `test_data/conformance-baseline.json`. `UPDATE_BASELINE=1` rewrites the baseline.
//! Without the corpus folder (`../shared/conformance/cases/` beside the repository) the
//! test prints a notice and passes.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    cases: u64,
    result: u64,
    history_cases: u64,
    history: u64,
}

fn corpus() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join("shared").join("conformance").join("cases"))
        .chain(manifest.ancestors().map(|dir| {
            dir.join("..")
                .join("shared")
                .join("conformance")
                .join("cases")
        }))
        .find(|p| p.is_dir())
}

fn baseline_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join("conformance-baseline.json")
}

fn table(topics: &BTreeMap<String, Counts>) -> String {
    let mut out = String::from("topic                 cases  result  history\n");
    let mut total = Counts::default();
    for (t, c) in topics {
        out.push_str(&format!(
            "{t:<20} {:>6} {:>7} {:>4}/{:<4}\n",
            c.cases, c.result, c.history, c.history_cases
        ));
        total.cases += c.cases;
        total.result += c.result;
        total.history += c.history;
        total.history_cases += c.history_cases;
    }
    out.push_str(&format!(
        "{:<20} {:>6} {:>7} {:>4}/{:<4}\n",
        "total", total.cases, total.result, total.history, total.history_cases
    ));
    out
}

#[test]
fn conformance_does_not_regress() {
    let Some(cases) = corpus() else {
        eprintln!("notice: conformance corpus not found (shared/conformance/cases); skipping");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_asl"))
        .arg("conformance")
        .arg("--json")
        .arg(&cases)
        .output()
        .expect("run asl conformance");
    assert!(
        out.status.success(),
        "asl conformance failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut topics: BTreeMap<String, Counts> = BTreeMap::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("each line is a JSON object");
        let topic = v["topic"].as_str().unwrap_or("?").to_string();
        let c = topics.entry(topic).or_default();
        c.cases += 1;
        if v["result"] == "pass" {
            c.result += 1;
        }
        if v["history"] != "n/a" {
            c.history_cases += 1;
            if v["history"] == "pass" {
                c.history += 1;
            }
        }
    }
    assert!(!topics.is_empty(), "no case ran");
    println!("{}", table(&topics));

    if std::env::var_os("UPDATE_BASELINE").is_some() {
        let mut m = Map::new();
        for (t, c) in &topics {
            m.insert(
                t.clone(),
                json!({"cases": c.cases, "result": c.result, "historyCases": c.history_cases, "history": c.history}),
            );
        }
        let doc = json!({
            "comment": "Per-topic pass counts of `asl conformance` (result; exact history). The test crates/asl-cli/tests/conformance.rs fails when a topic drops below these; rewrite with UPDATE_BASELINE=1 after an improvement.",
            "topics": m
        });
        let text = serde_json::to_string_pretty(&doc).expect("serialise") + "\n";
        std::fs::write(baseline_path(), text).expect("write baseline");
        println!("baseline rewritten: {}", baseline_path().display());
        return;
    }

    let text = std::fs::read_to_string(baseline_path()).expect("read the baseline");
    let baseline: Value = serde_json::from_str(&text).expect("the baseline is JSON");
    let mut drops = Vec::new();
    let mut gains = Vec::new();
    let empty = Map::new();
    for (t, b) in baseline["topics"].as_object().unwrap_or(&empty) {
        let now = topics.get(t).copied().unwrap_or_default();
        for (what, had, has) in [
            ("result", b["result"].as_u64().unwrap_or(0), now.result),
            ("history", b["history"].as_u64().unwrap_or(0), now.history),
        ] {
            if has < had {
                drops.push(format!("{t} {what}: {has} < baseline {had}"));
            } else if has > had {
                gains.push(format!("{t} {what}: {has} > baseline {had}"));
            }
        }
    }
    if !gains.is_empty() {
        println!(
            "improved (run with UPDATE_BASELINE=1 to ratchet):\n  {}",
            gains.join("\n  ")
        );
    }
    assert!(
        drops.is_empty(),
        "conformance dropped below the baseline:\n  {}\n(see `asl conformance --failures`)",
        drops.join("\n  ")
    );
}
