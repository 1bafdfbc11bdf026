//! Flags fields that ASL does not define for the object they appear in.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::tree::{Node, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL103",
    name: "unknown_field",
    severity: Severity::Error,
    summary: "A field that is not defined for this kind of object (\"Field is not supported\").",
    check: Some(check),
};

const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];
const TOP: &[&str] = &[
    "StartAt",
    "States",
    "Comment",
    "Version",
    "TimeoutSeconds",
    "QueryLanguage",
];
const BRANCH: &[&str] = &["StartAt", "States", "Comment", "QueryLanguage"];
const PROCESSOR: &[&str] = &[
    "StartAt",
    "States",
    "Comment",
    "QueryLanguage",
    "ProcessorConfig",
];
const RETRIER: &[&str] = &[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];
const CATCHER: &[&str] = &[
    "ErrorEquals",
    "Next",
    "ResultPath",
    "Output",
    "Assign",
    "Comment",
];
const PROCESSOR_CONFIG: &[&str] = &["Mode", "ExecutionType"];
const ITEM_READER: &[&str] = &["Resource", "ReaderConfig", "Parameters", "Arguments"];
const ITEM_BATCHER: &[&str] = &[
    "MaxItemsPerBatch",
    "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatch",
    "MaxInputBytesPerBatchPath",
    "BatchInput",
];
const RESULT_WRITER: &[&str] = &["Resource", "Parameters", "Arguments", "WriterConfig"];

/// Returns the fields a state type accepts besides `Type`, `Comment` and `QueryLanguage`.
pub(crate) fn state_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pass" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultPath",
            "Result",
            "Assign",
            "Output",
        ],
        "Task" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Resource",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
            "Retry",
            "Catch",
            "Assign",
            "Arguments",
            "Output",
        ],
        "Choice" => &[
            "InputPath",
            "OutputPath",
            "Choices",
            "Default",
            "Assign",
            "Output",
        ],
        "Wait" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Seconds",
            "SecondsPath",
            "Timestamp",
            "TimestampPath",
            "Assign",
            "Output",
        ],
        "Succeed" => &["InputPath", "OutputPath", "Output"],
        "Fail" => &["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Branches",
            "Retry",
            "Catch",
            "Assign",
            "Arguments",
            "Output",
        ],
        "Map" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "Items",
            "ItemSelector",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "Retry",
            "Catch",
            "Assign",
            "Output",
        ],
        _ => &[],
    }
}

fn check_object(
    node: &Node,
    ptr: &str,
    allowed: &[&str],
    extra: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let Some(members) = node.as_object() else {
        return;
    };
    for m in members {
        if !allowed.contains(&m.key.as_str()) && !extra.contains(&m.key.as_str()) {
            out.push(diag(
                &RULE,
                push_key(ptr, &m.key),
                m.key_span,
                format!("Field \"{}\" is not supported here.", m.key),
            ));
        }
    }
}

fn check_sub(ctx: &Ctx, ptr: &str, key: &str, allowed: &[&str], out: &mut Vec<Diagnostic>) {
    let p = push_key(ptr, key);
    if let Some(n) = ctx.node(&p) {
        check_object(n, &p, allowed, &[], out);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (i, m) in ctx.machines.iter().enumerate() {
        let Some(node) = ctx.node(&m.pointer) else {
            continue;
        };
        let allowed = if i == 0 {
            TOP
        } else if m.pointer.ends_with("/ItemProcessor") || m.pointer.ends_with("/Iterator") {
            PROCESSOR
        } else {
            BRANCH
        };
        check_object(node, &m.pointer, allowed, &[], out);
        if allowed == PROCESSOR {
            check_sub(ctx, &m.pointer, "ProcessorConfig", PROCESSOR_CONFIG, out);
        }
    }
    for s in &ctx.states {
        let state = s.state;
        if matches!(state.kind, StateKind::Unknown) {
            continue;
        }
        let Some(node) = ctx.node(&state.pointer) else {
            continue;
        };
        check_object(
            node,
            &state.pointer,
            COMMON,
            state_fields(state.kind_name()),
            out,
        );
        for r in state.retriers() {
            if let Some(n) = ctx.node(&r.pointer) {
                check_object(n, &r.pointer, RETRIER, &[], out);
            }
        }
        for c in state.catchers() {
            if let Some(n) = ctx.node(&c.pointer) {
                check_object(n, &c.pointer, CATCHER, &[], out);
            }
        }
        if let StateKind::Map(_) = state.kind {
            check_sub(ctx, &state.pointer, "ItemReader", ITEM_READER, out);
            check_sub(ctx, &state.pointer, "ItemBatcher", ITEM_BATCHER, out);
            check_sub(ctx, &state.pointer, "ResultWriter", RESULT_WRITER, out);
        }
    }
}
