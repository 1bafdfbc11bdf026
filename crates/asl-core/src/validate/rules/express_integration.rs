//! Rejects `.sync`, `.waitForTaskToken` and activities in Express state machines.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{IntegrationPattern, Resource, StateKind};
use crate::tree::push_key;
use crate::validate::{Ctx, MachineType, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL603",
    name: "express_integration",
    severity: Severity::Error,
    summary: "Express state machines cannot use `.sync`, `.waitForTaskToken` or activities (checked when the machine type is known).",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.opts.machine_type != Some(MachineType::Express) {
        return;
    }
    for s in &ctx.states {
        let StateKind::Task(t) = &s.state.kind else {
            continue;
        };
        let Some(r) = &t.resource else { continue };
        let what = match (&r.value, r.value.pattern()) {
            (Resource::Activity(_), _) => "activities",
            (_, Some(IntegrationPattern::Sync | IntegrationPattern::Sync2)) => {
                "the .sync integration pattern"
            }
            (_, Some(IntegrationPattern::WaitForTaskToken)) => {
                "the .waitForTaskToken integration pattern"
            }
            _ => continue,
        };
        out.push(diag(
            &RULE,
            push_key(&s.state.pointer, "Resource"),
            r.span,
            format!("Express state machines do not support {what}."),
        ));
    }
}
