//! Golden tests for the validator: `test_data/validate/<rule>/{ok,err}_*.asl.{json,yaml}`.
//!
//! Every `err_` file must produce the rule's code and every `ok_` file must not; the rendered
//! diagnostics are snapshots. Files whose name contains `express` are checked as Express machines.

use std::path::{Path, PathBuf};

use asl_core::validate::RULES;
use asl_core::{Format, MachineType, ValidateOptions, check_with, report};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/validate")
}

/// Checks one golden file and returns its rendered diagnostics.
fn check(path: &Path, code: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let format = if name.ends_with(".yaml") {
        Format::Yaml
    } else {
        Format::Json
    };
    let opts = ValidateOptions {
        machine_type: name.contains("express").then_some(MachineType::Express),
    };
    let (_, diags) = check_with(&text, format, &opts);
    let has = diags.iter().any(|d| d.code == code);
    if name.starts_with("err_") {
        assert!(
            has,
            "{name}: expected a {code} diagnostic, got:\n{}",
            report::to_text(&name, &text, &diags)
        );
    } else {
        assert!(
            !has,
            "{name}: expected no {code} diagnostic, got:\n{}",
            report::to_text(&name, &text, &diags)
        );
    }
    report::to_text(&name, &text, &diags)
}

#[test]
fn every_rule_has_passing_and_failing_examples() {
    let mut missing = Vec::new();
    for rule in RULES {
        let dir = data_dir().join(rule.name);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        for prefix in ["ok_", "err_"] {
            if !names.iter().any(|n| n.starts_with(prefix)) {
                missing.push(format!("{}/{prefix}*", rule.name));
            }
        }
    }
    assert!(missing.is_empty(), "missing golden files: {missing:?}");
}

#[test]
fn golden_files() {
    for rule in RULES {
        let dir = data_dir().join(rule.name);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.to_string_lossy().contains(".asl."))
            .collect();
        files.sort();
        for path in files {
            let rendered = check(&path, rule.code);
            let stem = path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".asl.", "_");
            insta::with_settings!({
                snapshot_path => dir.join("snapshots"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(stem, rendered);
            });
        }
    }
}
