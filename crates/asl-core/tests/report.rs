//! Snapshot tests of the three report formats (text, JSON, AWS).

use asl_core::{Format, check, report};

/// Renders one definition in all three formats.
fn check_report(name: &str, text: &str) -> String {
    let (_, diags) = check(text, Format::Json);
    format!(
        "{}\n{}\n{}\n",
        report::to_text(name, text, &diags),
        serde_json::to_string_pretty(&report::to_json(name, text, &diags)).unwrap(),
        serde_json::to_string_pretty(&report::to_aws(&diags)).unwrap()
    )
}

/// Snapshots live next to this file, whatever insta guesses the workspace root to be.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"),
            prepend_module_to_snapshot => true,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn reports() {
    let text = "{\n  \"StartAt\": \"Ünïcode\",\n  \"States\": {\n    \"Ünïcode\": {\"Type\": \"Pass\", \"Next\": \"Gone\"},\n    \"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.x\", \"IsNull\": true, \"Next\": \"Ünïcode\"}]}\n  }\n}\n";
    snapshot!("reports", check_report("m.asl.json", text));
    insta::assert_snapshot!(
        "clean",
        check_report(
            "ok.asl.json",
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}"
        )
    );
}

#[test]
fn line_index_counts_chars() {
    let index = asl_core::LineIndex::new("ab\nÜx\r\nz");
    let cols: Vec<(u32, u32)> = [0, 2, 3, 5, 6, 8, 9, 100]
        .iter()
        .map(|&o| {
            let lc = index.line_col(o);
            (lc.line, lc.col)
        })
        .collect();
    assert_eq!(
        cols,
        [
            (1, 1),
            (1, 3),
            (2, 1),
            (2, 2),
            (2, 3),
            (3, 1),
            (3, 2),
            (3, 2)
        ]
    );
}

#[test]
fn pointer_and_state_spans() {
    let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Parallel\", \"Branches\": [{\"StartAt\": \"B\", \"States\": {\"B\": {\"Type\": \"Succeed\"}}}], \"End\": true}}}";
    let (p, _) = check(text, Format::Json);
    let spans: Vec<(String, &str, &str)> = asl_core::state_spans(&p)
        .into_iter()
        .map(|(n, k, v)| (n, &text[k.start..k.end], &text[v.start..v.start + 10]))
        .collect();
    snapshot!("state_spans", format!("{spans:#?}"));
    let s = asl_core::pointer_span(&p, "/States/A/Branches/0/States/B/Type").unwrap();
    assert_eq!(&text[s.start..s.end], "\"Succeed\"");
    assert_eq!(asl_core::detect_format("  {\"a\": 1}"), Format::Json);
    assert_eq!(asl_core::detect_format("a: 1"), Format::Yaml);
}

#[test]
fn validation_json_uses_the_report_diagnostic_shape() {
    let text = "StartAt: Nope\nStates:\n  Ünï:\n    Type: Pass\n    Next: Gone\n";
    let v = report::validation_json(text);
    assert_eq!(v["format"], "yaml");
    assert_eq!(v["valid"], false);
    assert_eq!(v["states"], 1);
    let (_, diags) = check(text, Format::Yaml);
    assert_eq!(
        v["diagnostics"],
        report::to_json("m.asl.yaml", text, &diags)["diagnostics"],
        "validate and `asl validate --format json` describe a diagnostic alike"
    );
    let first = &v["diagnostics"][0];
    let keys: Vec<&str> = first
        .as_object()
        .expect("a diagnostic is an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "code", "severity", "message", "pointer", "line", "column", "span"
        ]
    );
    let span = &first["span"];
    let (start, end) = (
        span["start"].as_u64().unwrap(),
        span["end"].as_u64().unwrap(),
    );
    assert!(start <= end && end as usize <= text.len(), "{first}");
}
