//! Odd and hostile inputs: every one gives an answer or a clear error, never a panic or a stack overflow.

use asl_iac::{ExportFormat, ExportOptions, ExportTarget, export, import_template};
use serde_json::{Value, json};

#[test]
fn deep_and_huge_inputs_are_errors() {
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(import_template(&deep_json).is_err());
    let deep_yaml = format!("Resources: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(import_template(&deep_yaml).is_err());
    let huge = " ".repeat(asl_iac::MAX_TEMPLATE_BYTES + 1);
    assert!(import_template(&huge).is_err());
    let laughs = "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
    assert!(import_template(laughs).is_err());
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "",
        "{",
        "}",
        "[]",
        "null",
        "42",
        "\"s\"",
        "Resources: 5",
        "Resources: [1]",
        "Resources:\n  X: 5",
        "Resources:\n  X:\n    Type: 5",
        "Resources:\n  X:\n    Type: AWS::StepFunctions::StateMachine",
        "Resources:\n  X:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: {Bucket: 1}",
        "Resources:\n  X:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Join [\",\"]",
        "Resources:\n  X:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !If [c, a, b]",
        "Resources:\n  X:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub [1, 2]",
        "Resources:\n  ? [a]\n  : 1",
        "!Ref x",
        "Resources: !Ref x",
        "\u{feff}{\"Resources\":{}}",
        "Resources:\n  X:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: {A: !GetAtt}\n",
    ];
    for s in samples {
        let _ = import_template(s);
    }
    // Every prefix of a real template.
    let text = include_str!("../test_data/import/sam_substitutions.yaml");
    for (i, _) in text.char_indices() {
        let _ = import_template(&text[..i]);
    }
    let odd_definitions = [
        "",
        "{",
        "[1]",
        "${X}",
        "{\"a\": ${X}}",
        "${",
        "${}",
        "}${!a}",
    ];
    for d in odd_definitions {
        for target in [ExportTarget::Cfn, ExportTarget::Sam, ExportTarget::Cli] {
            for format in [ExportFormat::Json, ExportFormat::Yaml] {
                let options = ExportOptions {
                    target,
                    format,
                    ..ExportOptions::default()
                };
                let _ = export(d, &options);
            }
        }
    }
}

/// YAML output reads back as the same JSON, however awkward the strings.
#[test]
fn yaml_output_reads_back() {
    let definition = json!({
        "Comment": "multi\nline\n",
        "StartAt": "yes",
        "States": {
            "yes": {"Type": "Pass", "Result": {
                "empty": "", "space ": " lead", "colon": "a: b", "hash": "a #b", "quote": "it's \"q\"",
                "num": "123", "float": "1.5", "bool": "true", "null": "null", "tilde": "~", "dash": "- x",
                "star": "*x", "amp": "&x", "bang": "!Ref x", "pct": "%x", "at": "@x", "tick": "`x",
                "brace": "{x}", "tab": "a\tb", "cr": "a\r\nb", "trail": "line \nnext", "indent": "  a\nb",
                "unicode": "héllo ✓", "nested": [[1, [2]], {}, [], {"a": [{"b": null}]}],
                "numbers": [0, -1, 1.25, 1e300], "sub": "${Fn.Arn}", "bom": "\u{feff}x",
                "dollar": "$.path", "nl_only": "\n", "two_nl": "a\n\n"
            }, "End": true}
        }
    });
    let text = serde_json::to_string_pretty(&definition).unwrap();
    for target in [ExportTarget::Cfn, ExportTarget::Sam] {
        let options = ExportOptions {
            target,
            format: ExportFormat::Yaml,
            ..ExportOptions::default()
        };
        let yaml = export(&text, &options).unwrap();
        let machines = import_template(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        let back: Value = serde_json::from_str(&machines[0].definition_text).unwrap();
        assert_eq!(back, definition, "{yaml}");
        let keys: Vec<_> = back["States"]["yes"]["Result"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        let want: Vec<_> = definition["States"]["yes"]["Result"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, want);
    }
}

#[test]
fn cli_quotes_and_file_variant() {
    let definition = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "it's ${Who}", "End": true}}}"#;
    let mut options = ExportOptions {
        target: ExportTarget::Cli,
        ..ExportOptions::default()
    };
    options.substitutions.insert("Who".into(), json!("me"));
    options.name = Some("my machine".into());
    options.role_arn = Some("arn:aws:iam::1:role/r".into());
    let out = export(definition, &options).unwrap();
    insta::assert_snapshot!("cli_quoted", out);
    options.definition_file = Some("machine.asl.json".into());
    let out = export(definition, &options).unwrap();
    insta::assert_snapshot!("cli_file", out);
}
