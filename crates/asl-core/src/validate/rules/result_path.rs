//! Requires `ResultPath` (in states and catchers) to be a reference path such as `$.result`.

use asl_path::ReferencePath;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{QueryLanguage, Spanned};
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL402",
    name: "result_path",
    severity: Severity::Error,
    summary: "A `ResultPath` that is not a reference path (a single node under `$`, no `$$`, variables, filters or wildcards).",
    check: Some(check),
};

fn check_one(rp: &Option<Spanned<Option<String>>>, ptr: &str, out: &mut Vec<Diagnostic>) {
    let Some(Spanned {
        value: Some(s),
        span,
    }) = rp
    else {
        return;
    };
    if let Err(e) = ReferencePath::parse(s) {
        out.push(diag(
            &RULE,
            push_key(ptr, "ResultPath"),
            *span,
            format!("\"ResultPath\" must be a reference path: {}.", e.message),
        ));
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if s.query_language != QueryLanguage::JsonPath {
            continue;
        }
        check_one(&s.state.common.result_path, &s.state.pointer, out);
        for c in s.state.catchers() {
            check_one(&c.result_path, &c.pointer, out);
        }
    }
}
