//! Flags pairs of fields that must not appear together (X vs XPath, Items vs ItemsPath, …).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::{Node, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL105",
    name: "exclusive_fields",
    severity: Severity::Error,
    summary: "Two fields that exclude each other are both set (for example `TimeoutSeconds` and `TimeoutSecondsPath`).",
    check: Some(check),
};

const PAIRS: &[(&str, &str)] = &[
    ("TimeoutSeconds", "TimeoutSecondsPath"),
    ("HeartbeatSeconds", "HeartbeatSecondsPath"),
    ("Error", "ErrorPath"),
    ("Cause", "CausePath"),
    ("MaxConcurrency", "MaxConcurrencyPath"),
    (
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
    ),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
    ("Items", "ItemsPath"),
    ("ItemSelector", "Parameters"),
    ("ItemProcessor", "Iterator"),
    ("Parameters", "Arguments"),
    ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
    ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
    ("MaxItems", "MaxItemsPath"),
];

fn check_pairs(node: &Node, ptr: &str, out: &mut Vec<Diagnostic>) {
    for (a, b) in PAIRS {
        if let (Some(_), Some(mb)) = (node.member(a), node.member(b)) {
            out.push(diag(
                &RULE,
                push_key(ptr, b),
                mb.key_span,
                format!("You cannot set both \"{a}\" and \"{b}\" at the same time."),
            ));
        }
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        let ptr = &s.state.pointer;
        let Some(node) = ctx.node(ptr) else { continue };
        // Wait has its own rule for its four duration fields; everything else is pairwise.
        check_pairs(node, ptr, out);
        if let StateKind::Map(_) = s.state.kind {
            for sub in [
                "ItemBatcher",
                "ItemReader/ReaderConfig",
                "ItemReader",
                "ResultWriter",
            ] {
                let p = format!("{ptr}/{sub}");
                if let Some(n) = ctx.node(&p) {
                    check_pairs(n, &p, out);
                }
            }
        }
    }
}
