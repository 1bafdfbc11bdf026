//! Golden tests: every template under `test_data/import/` is imported, exported to each target, and
//! re-imported; the snapshot shows all of it and the round trip is asserted.

use std::fmt::Write;
use std::path::Path;

use asl_iac::{
    ExportFormat, ExportOptions, ExportTarget, ImportedMachine, SourceForm, export,
    import_template, placeholders,
};

fn summary(m: &ImportedMachine) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "logical_id: {}", m.logical_id);
    let _ = writeln!(out, "resource_type: {:?}", m.resource_type);
    let _ = writeln!(out, "name: {:?}", m.name);
    let _ = writeln!(
        out,
        "name_expression: {}",
        serde_json::to_string(&m.name_expression).unwrap()
    );
    let _ = writeln!(out, "machine_type: {:?}", m.machine_type);
    let _ = writeln!(out, "source_form: {:?}", m.source_form);
    let _ = writeln!(out, "role: {}", serde_json::to_string(&m.role).unwrap());
    let _ = writeln!(
        out,
        "substitutions: {}",
        serde_json::to_string(&m.substitutions).unwrap()
    );
    let _ = writeln!(
        out,
        "sub_variables: {}",
        serde_json::to_string(&m.sub_variables).unwrap()
    );
    let _ = writeln!(out, "placeholders: {:?}", placeholders(&m.definition_text));
    for n in &m.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let _ = writeln!(out, "definition_text:\n{}", m.definition_text);
    out
}

/// Exports in the machine's own form and re-imports; everything the import found must survive.
fn assert_round_trip(m: &ImportedMachine, target: ExportTarget, format: ExportFormat) -> String {
    let opts = ExportOptions::from_import(m, target, format);
    let text = export(&m.definition_text, &opts).expect("export");
    let again = import_template(&text).unwrap_or_else(|e| panic!("re-import failed: {e}\n{text}"));
    assert_eq!(again.len(), 1);
    let b = &again[0];
    assert_eq!(b.logical_id, m.logical_id);
    assert_eq!(b.machine_type, m.machine_type);
    if target == ExportTarget::Cfn {
        assert_eq!(
            b.definition_text, m.definition_text,
            "definition text changed:\n{text}"
        );
        assert_eq!(b.substitutions, m.substitutions);
        assert_eq!(b.sub_variables, m.sub_variables);
        assert_eq!(b.source_form, m.source_form);
        assert_eq!(b.name, m.name);
        assert_eq!(b.name_expression, m.name_expression);
        assert_eq!(b.role, m.role);
    } else {
        // SAM keeps every placeholder: each one still has a substitution (`${!X}` escapes excepted), and
        // every intrinsic the import found is still a substitution value.
        for p in placeholders(&b.definition_text) {
            let escaped = m.definition_text.contains(&format!("${{!{p}}}"));
            assert!(
                escaped || b.substitutions.contains_key(&p),
                "placeholder ${{{p}}} lost its value:\n{text}"
            );
        }
        for v in m.substitutions.values().chain(m.sub_variables.values()) {
            assert!(
                v.is_string() || b.substitutions.values().any(|x| x == v),
                "{v} was lost:\n{text}"
            );
        }
    }
    text
}

fn check(text: &str) -> String {
    let machines = match import_template(text) {
        Ok(m) => m,
        Err(e) => return format!("error: {e}\n"),
    };
    let mut out = String::new();
    for m in &machines {
        let _ = writeln!(out, "=== import {}\n{}", m.logical_id, summary(m));
        if matches!(m.source_form, SourceForm::External { .. }) {
            continue;
        }
        for (target, format, label) in [
            (ExportTarget::Cfn, ExportFormat::Json, "cfn json"),
            (ExportTarget::Cfn, ExportFormat::Yaml, "cfn yaml"),
        ] {
            let text = assert_round_trip(m, target, format);
            let _ = writeln!(out, "=== export {} as {label}\n{text}", m.logical_id);
        }
        match export(
            &m.definition_text,
            &ExportOptions::from_import(m, ExportTarget::Sam, ExportFormat::Yaml),
        ) {
            Ok(_) => {
                let text = assert_round_trip(m, ExportTarget::Sam, ExportFormat::Yaml);
                let _ = writeln!(out, "=== export {} as sam yaml\n{text}", m.logical_id);
            }
            Err(e) => {
                let _ = writeln!(out, "=== export {} as sam yaml\nerror: {e}\n", m.logical_id);
            }
        }
        let cli = export(
            &m.definition_text,
            &ExportOptions::from_import(m, ExportTarget::Cli, ExportFormat::Json),
        )
        .unwrap();
        let _ = writeln!(out, "=== export {} as cli\n{cli}", m.logical_id);
    }
    out
}

#[test]
fn golden_imports() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/import");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        let text = std::fs::read_to_string(&path).unwrap();
        insta::with_settings!({snapshot_path => dir.join("../snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, check(&text));
        });
    }
}
