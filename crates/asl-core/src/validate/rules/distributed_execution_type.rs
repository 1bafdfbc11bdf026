//! Requires `ProcessorConfig.ExecutionType` when a Map runs in `DISTRIBUTED` mode.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL605",
    name: "distributed_execution_type",
    severity: Severity::Error,
    summary: "A distributed Map whose `ProcessorConfig` has no `ExecutionType` (`STANDARD` or `EXPRESS`).",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let StateKind::Map(m) = &s.state.kind else {
            continue;
        };
        let Some(p) = &m.item_processor else { continue };
        let Some(cfg) = &p.processor_config else {
            continue;
        };
        let Some(mode) = &cfg.mode else { continue };
        if mode.value == "DISTRIBUTED" && cfg.execution_type.is_none() {
            out.push(diag(
                &RULE,
                push_key(&push_key(&p.pointer, "ProcessorConfig"), "Mode"),
                mode.span,
                "A distributed Map needs \"ExecutionType\" (\"STANDARD\" or \"EXPRESS\") in \"ProcessorConfig\".",
            ));
        }
    }
}
