//! Flags JSONPath-only fields in JSONata states and JSONata-only fields in JSONPath states.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::choice::ChoiceRule;
use crate::model::{QueryLanguage, StateKind};
use crate::tree::{Node, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL405",
    name: "query_language_fields",
    severity: Severity::Error,
    summary: "A JSONPath-only field (`InputPath`, `Parameters`, `ResultPath`, `…Path`, `Variable`, …) in a JSONata state, or a JSONata-only field (`Arguments`, `Output`, `Items`, `Condition`) in a JSONPath state.",
    check: Some(check),
};

const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
    "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatchPath",
    "MaxItemsPath",
    "Variable",
];
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items", "Condition"];

fn check_object(node: &Node, ptr: &str, ql: QueryLanguage, out: &mut Vec<Diagnostic>) {
    let Some(members) = node.as_object() else {
        return;
    };
    for m in members {
        let key = m.key.as_str();
        let bad = match ql {
            QueryLanguage::Jsonata => {
                JSONPATH_ONLY.contains(&key)
                    || crate::model::choice::COMPARISON_OPERATORS[..42].contains(&key)
            }
            QueryLanguage::JsonPath => JSONATA_ONLY.contains(&key),
        };
        if bad {
            let (lang, other) = match ql {
                QueryLanguage::Jsonata => ("JSONata", "JSONPath"),
                QueryLanguage::JsonPath => ("JSONPath", "JSONata"),
            };
            out.push(diag(
                &RULE,
                push_key(ptr, key),
                m.key_span,
                format!(
                    "Field \"{key}\" is only supported in {other} states; this state uses {lang}."
                ),
            ));
        }
    }
}

fn check_rule(ctx: &Ctx, rule: &ChoiceRule, ql: QueryLanguage, out: &mut Vec<Diagnostic>) {
    if let Some(n) = ctx.node(&rule.pointer) {
        check_object(n, &rule.pointer, ql, out);
    }
    for r in rule.and.iter().chain(rule.or.iter()).flatten() {
        check_rule(ctx, r, ql, out);
    }
    if let Some(r) = &rule.not {
        check_rule(ctx, r, ql, out);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let st = s.state;
        let ql = s.query_language;
        let Some(node) = ctx.node(&st.pointer) else {
            continue;
        };
        check_object(node, &st.pointer, ql, out);
        for c in st.catchers() {
            if let Some(n) = ctx.node(&c.pointer) {
                check_object(n, &c.pointer, ql, out);
            }
        }
        match &st.kind {
            StateKind::Choice(c) => {
                for rule in &c.choices {
                    check_rule(ctx, rule, ql, out);
                }
            }
            StateKind::Map(_) => {
                for sub in [
                    "ItemReader",
                    "ItemBatcher",
                    "ResultWriter",
                    "ItemReader/ReaderConfig",
                ] {
                    let p = format!("{}/{sub}", st.pointer);
                    if let Some(n) = ctx.node(&p) {
                        check_object(n, &p, ql, out);
                    }
                }
            }
            _ => {}
        }
    }
}
