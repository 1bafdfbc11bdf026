//! Forbids switching back to JSONPath inside a machine whose top-level `QueryLanguage` is JSONata.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::QueryLanguage;
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL406",
    name: "jsonata_top_level",
    severity: Severity::Error,
    summary: "A state or block sets `QueryLanguage: JSONPath` although the top level uses JSONata.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let top = ctx.parse.machine.query_language.as_ref().map(|q| q.value);
    if top != Some(QueryLanguage::Jsonata) {
        return;
    }
    let msg =
        "The machine's top-level \"QueryLanguage\" is JSONata, so states cannot use JSONPath.";
    for m in ctx.machines.iter().skip(1) {
        if let Some(q) = &m.query_language
            && q.value == QueryLanguage::JsonPath
        {
            out.push(diag(
                &RULE,
                push_key(&m.pointer, "QueryLanguage"),
                q.span,
                msg,
            ));
        }
    }
    for s in &ctx.states {
        if let Some(q) = &s.state.common.query_language
            && q.value == QueryLanguage::JsonPath
        {
            out.push(diag(
                &RULE,
                push_key(&s.state.pointer, "QueryLanguage"),
                q.span,
                msg,
            ));
        }
    }
}
