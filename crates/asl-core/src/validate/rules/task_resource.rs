//! Checks the format of Task, ItemReader and ResultWriter `Resource` values.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Resource, Spanned, StateKind};
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL409",
    name: "task_resource",
    severity: Severity::Error,
    summary: "A `Resource` that is not an ARN (Lambda function, activity, `arn:aws:states:::service:action` or other AWS ARN).",
    check: Some(check),
};

/// Tells whether a string looks like an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`.
fn looks_like_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && !parts[2].is_empty()
        && !parts[5].is_empty()
}

fn check_resource(r: &Spanned<Resource>, ptr: String, out: &mut Vec<Diagnostic>) {
    if let Resource::Other(s) = &r.value
        && !looks_like_arn(s)
    {
        out.push(diag(
            &RULE,
            ptr,
            r.span,
            format!("\"{s}\" is not a valid resource ARN."),
        ));
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let p = &s.state.pointer;
        match &s.state.kind {
            StateKind::Task(t) => {
                if let Some(r) = &t.resource {
                    check_resource(r, push_key(p, "Resource"), out);
                }
            }
            StateKind::Map(m) => {
                if let Some(r) = m.item_reader.as_ref().and_then(|x| x.resource.as_ref()) {
                    check_resource(r, format!("{p}/ItemReader/Resource"), out);
                }
                if let Some(r) = m.result_writer.as_ref().and_then(|x| x.resource.as_ref()) {
                    check_resource(r, format!("{p}/ResultWriter/Resource"), out);
                }
            }
            _ => {}
        }
    }
}
