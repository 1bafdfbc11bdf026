//! Golden tests for the readers: `test_data/parse/{ok,err}/*.asl.{json,yaml}`, plus generated
//! stress inputs (deep nesting, a 5 MB document) that must never panic.

use std::path::PathBuf;

use asl_core::{Format, Parse, parse, report};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/parse")
}

/// Parses text and renders the syntax diagnostics and the resulting value.
fn check(name: &str, text: &str, format: Format) -> (Parse, String) {
    let p = parse(text, format);
    let syntax: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("ASL00"))
        .cloned()
        .collect();
    let mut value = serde_json::to_string(p.value()).unwrap();
    if value.len() > 400 {
        let mut cut = 400;
        while !value.is_char_boundary(cut) {
            cut -= 1;
        }
        value.truncate(cut);
        value.push('…');
    }
    let rendered = format!("{}value: {value}\n", report::to_text(name, text, &syntax));
    (p, rendered)
}

#[test]
fn golden_files() {
    for kind in ["ok", "err"] {
        let dir = data_dir().join(kind);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let format = if name.ends_with(".yaml") {
                Format::Yaml
            } else {
                Format::Json
            };
            let (p, rendered) = check(&name, &text, format);
            let syntax_errors = p
                .diagnostics
                .iter()
                .filter(|d| d.code.starts_with("ASL00"))
                .count();
            if kind == "ok" {
                assert_eq!(syntax_errors, 0, "{name}:\n{rendered}");
            } else {
                assert!(syntax_errors > 0, "{name}: expected syntax errors");
            }
            let stem = format!("{kind}_{}", name.replace(".asl.", "_"));
            insta::with_settings!({
                snapshot_path => data_dir().join("snapshots"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(stem, rendered);
            });
        }
    }
}

#[test]
fn json_and_yaml_agree() {
    let json = std::fs::read_to_string(data_dir().join("ok/simple.asl.json")).unwrap();
    let yaml = "Comment: A simple machine\nStartAt: Hello\nStates:\n  Hello:\n    Type: Pass\n    Result: World\n    End: true\n";
    assert_eq!(
        parse(&json, Format::Json).value(),
        parse(yaml, Format::Yaml).value()
    );
}

#[test]
fn deep_nesting_never_overflows() {
    let n = 10_000;
    let cases = [
        (
            "deep_arrays.json",
            format!("{}{}", "[".repeat(n), "]".repeat(n)),
            Format::Json,
        ),
        (
            "deep_objects.json",
            format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)),
            Format::Json,
        ),
        ("deep_unclosed.json", "[{\"a\":".repeat(n), Format::Json),
        (
            "deep_flow.yaml",
            format!("{}{}", "[".repeat(n), "]".repeat(n)),
            Format::Yaml,
        ),
        (
            "deep_block.yaml",
            (0..2000)
                .map(|i| format!("{}- \n", " ".repeat(i * 2)))
                .collect(),
            Format::Yaml,
        ),
    ];
    for (name, text, format) in cases {
        let (p, _) = check(name, &text, format);
        let (_, all) = asl_core::check(&text, format);
        assert!(!all.is_empty(), "{name}: expected diagnostics");
        drop(p);
    }
}

#[test]
fn five_megabyte_document() {
    let mut states = String::new();
    let mut i = 0;
    while states.len() < 5 * 1024 * 1024 {
        states.push_str(&format!(
            "\"S{i}\": {{\"Type\": \"Pass\", \"Result\": {{\"text\": \"{}\", \"n\": [1, 2.5, true, null]}}, \"Next\": \"S{}\"}},\n",
            "x".repeat(200),
            i + 1
        ));
        i += 1;
    }
    let text = format!(
        "{{\"StartAt\": \"S0\", \"States\": {{{states}\"S{i}\": {{\"Type\": \"Succeed\"}}}}}}"
    );
    let (p, all) = asl_core::check(&text, Format::Json);
    assert_eq!(p.machine.states.len(), i + 1);
    let codes: Vec<&str> = all.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["ASL006"], "only the size quota is exceeded");
}
