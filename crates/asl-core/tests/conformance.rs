//! Never reject what AWS runs: every definition of the conformance corpus must validate without errors.

use std::path::PathBuf;

use asl_core::{Format, Severity, check};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/cases")
}

#[test]
fn corpus_definitions_have_no_errors() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "notice: conformance corpus not found at {}; skipping",
            dir.display()
        );
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut warnings = std::collections::BTreeMap::<&str, usize>::new();
    let mut count = 0;
    for path in &paths {
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let text = serde_json::to_string_pretty(&case["definition"]).unwrap();
        let (_, diags) = check(&text, Format::Json);
        count += 1;
        for d in diags {
            if d.severity == Severity::Error {
                failures.push(format!(
                    "{}: [{}] {} at {}",
                    path.file_name().unwrap().to_string_lossy(),
                    d.code,
                    d.message,
                    d.pointer
                ));
            } else {
                *warnings.entry(d.code).or_default() += 1;
            }
        }
    }
    println!("checked {count} corpus definitions; warnings by code: {warnings:?}");
    assert!(
        failures.is_empty(),
        "{} errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
