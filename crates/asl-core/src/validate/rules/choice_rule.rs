//! Checks Choice rules: exactly one comparison operator, a `Variable` for comparisons, operand types, no nested `Next`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::choice::ChoiceRule;
use crate::model::{QueryLanguage, StateKind};
use crate::tree::{NodeKind, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL408",
    name: "choice_rule",
    severity: Severity::Error,
    summary: "A Choice rule with zero or several comparison operators, a comparison without `Variable`, an operand of the wrong type, or `Next` in a nested rule.",
    check: Some(check),
};

fn expected_type(op: &str) -> &'static str {
    if op.ends_with("Path") || op.starts_with("String") || op.starts_with("Timestamp") {
        "string"
    } else if op.starts_with("Numeric") {
        "number"
    } else {
        "boolean"
    }
}

fn check_rule(rule: &ChoiceRule, top: bool, ql: QueryLanguage, out: &mut Vec<Diagnostic>) {
    let n = rule.operator_count();
    if n == 0 {
        let msg = if ql == QueryLanguage::Jsonata {
            "A Choice rule in a JSONata state needs a \"Condition\"."
        } else {
            "A Choice rule needs one comparison operator (for example \"StringEquals\"), or \"And\", \"Or\" or \"Not\"."
        };
        out.push(diag(&RULE, rule.pointer.clone(), rule.span, msg));
    } else if n > 1 {
        out.push(diag(
            &RULE,
            rule.pointer.clone(),
            rule.span,
            "Each Choice Rule can only have one comparison operator.",
        ));
    }
    if let Some(c) = &rule.condition {
        let ok = match &c.kind {
            NodeKind::Bool(_) => true,
            NodeKind::String(s) => crate::model::build::is_jsonata(s),
            _ => false,
        };
        if !ok {
            out.push(diag(
                &RULE,
                push_key(&rule.pointer, "Condition"),
                c.span,
                "\"Condition\" must be a JSONata expression \"{% … %}\" or a boolean.",
            ));
        }
    }
    if !rule.comparisons.is_empty() && rule.variable.is_none() {
        out.push(diag(
            &RULE,
            rule.pointer.clone(),
            rule.span,
            format!(
                "Comparison \"{}\" needs a \"Variable\".",
                rule.comparisons[0].operator
            ),
        ));
    }
    for c in &rule.comparisons {
        let want = expected_type(&c.operator);
        let ok = match &c.value.kind {
            NodeKind::String(s) => want == "string" || crate::model::build::is_jsonata(s),
            NodeKind::Number(_) => want == "number",
            NodeKind::Bool(_) => want == "boolean",
            _ => false,
        };
        if !ok {
            out.push(diag(
                &RULE,
                push_key(&rule.pointer, &c.operator),
                c.value.span,
                format!(
                    "\"{}\" needs a {want} operand, found {}.",
                    c.operator,
                    c.value.type_name()
                ),
            ));
        }
    }
    if !top && let Some(next) = &rule.next {
        out.push(diag(
            &RULE,
            push_key(&rule.pointer, "Next"),
            next.span,
            "Nested Choice rules (inside \"And\", \"Or\" or \"Not\") cannot have \"Next\".",
        ));
    }
    for r in rule.and.iter().chain(rule.or.iter()).flatten() {
        check_rule(r, false, ql, out);
    }
    if let Some(r) = &rule.not {
        check_rule(r, false, ql, out);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if let StateKind::Choice(c) = &s.state.kind {
            for rule in &c.choices {
                check_rule(rule, true, s.query_language, out);
            }
        }
    }
}
