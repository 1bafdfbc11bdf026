//! Keeps `docs/rules.md` in sync with the rule registry (`UPDATE_RULES_DOC=1` rewrites it).

use std::path::PathBuf;

use asl_core::Severity;
use asl_core::validate::{RULES, asl_validator_equivalent};

fn render() -> String {
    let mut out = String::from(
        "# Validation rules\n\n\
         Generated from the rule registry in `crates/asl-core/src/validate/registry.rs` by `cargo test -p asl-core --test rules_doc`.\n\
         Do not edit by hand; run the test with `UPDATE_RULES_DOC=1` to rewrite it.\n\n\
         Codes `ASL00x` and `ASL10x` without a rule file are reported by the parser and the model builder.\n\
         Every rule has passing and failing examples in `crates/asl-core/test_data/validate/<name>/`.\n\n\
         The last column names the closest asl-validator error code, for CI scripts that used it.\n\n\
         | Code | Name | Severity | What it flags | asl-validator |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        let sev = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let equivalent = asl_validator_equivalent(r.code).replace(", ", "<br>");
        out.push_str(&format!(
            "| {} | `{}` | {sev} | {} | {equivalent} |\n",
            r.code,
            r.name,
            r.summary.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn rules_doc_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let expected = render();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale; run `UPDATE_RULES_DOC=1 cargo test -p asl-core --test rules_doc`"
    );
}

#[test]
fn codes_are_unique_and_sorted() {
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(codes, sorted);
}
