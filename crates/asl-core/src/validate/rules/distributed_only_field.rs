//! Warns about distributed-Map fields (`ItemReader`, `ItemBatcher`, `ResultWriter`, `Label`) on an inline Map.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL604",
    name: "distributed_only_field",
    severity: Severity::Warning,
    summary: "`ItemReader`, `ItemBatcher`, `ResultWriter` or `Label` on a Map that is not in `DISTRIBUTED` mode.",
    check: Some(check),
};

const FIELDS: [&str; 4] = ["ItemReader", "ItemBatcher", "ResultWriter", "Label"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let StateKind::Map(m) = &s.state.kind else {
            continue;
        };
        if m.is_distributed() {
            continue;
        }
        let Some(node) = ctx.node(&s.state.pointer) else {
            continue;
        };
        for f in FIELDS {
            if let Some(member) = node.member(f) {
                out.push(diag(
                    &RULE,
                    push_key(&s.state.pointer, f),
                    member.key_span,
                    format!("\"{f}\" only applies to distributed Maps; set \"ProcessorConfig\": {{\"Mode\": \"DISTRIBUTED\"}}."),
                ));
            }
        }
    }
}
