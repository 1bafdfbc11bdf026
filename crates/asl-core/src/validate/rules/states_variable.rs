//! Flags `$states.result` and `$states.errorOutput` where they are not available.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::build::is_jsonata;
use crate::model::{QueryLanguage, StateKind};
use crate::validate::rules::vars::state_strings;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL407",
    name: "states_variable",
    severity: Severity::Error,
    summary: "`$states.result` outside the `Output`/`Assign` of a Task, Parallel or Map, or `$states.errorOutput` outside a catcher.",
    check: Some(check),
};

fn mentions(text: &str, member: &str) -> bool {
    let needle = format!("$states.{member}");
    text.match_indices(&needle).any(|(i, _)| {
        !text[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if s.query_language != QueryLanguage::Jsonata {
            continue;
        }
        let st = s.state;
        let Some(node) = ctx.node(&st.pointer) else {
            continue;
        };
        let has_result = matches!(
            st.kind,
            StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_)
        );
        let (sites, arena) = state_strings(node, &st.pointer);
        for site in sites {
            if !is_jsonata(site.text) {
                continue;
            }
            let in_catch = site.field == "Catch";
            let output_like = |f: &str| f == "Output" || f == "Assign";
            let result_ok = !in_catch && has_result && output_like(site.field);
            let error_ok = in_catch && site.catch_field.is_some_and(output_like);
            if mentions(site.text, "result") && !result_ok {
                out.push(diag(
                    &RULE,
                    arena.pointer(site.id),
                    site.span,
                    "\"$states.result\" is only available in \"Output\" and \"Assign\" of Task, Parallel and Map states.",
                ));
            }
            if mentions(site.text, "errorOutput") && !error_ok {
                out.push(diag(
                    &RULE,
                    arena.pointer(site.id),
                    site.span,
                    "\"$states.errorOutput\" is only available in \"Output\" and \"Assign\" of a catcher.",
                ));
            }
        }
    }
}
