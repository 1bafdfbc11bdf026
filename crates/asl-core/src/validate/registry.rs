//! The rule registry: every diagnostic code with its name, severity and summary.
//!
//! Codes emitted by the parser and model builder are listed too (with no `check`), so the
//! generated reference in `docs/rules.md` covers every code.

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::Ctx;
use crate::validate::rules as r;

/// A rule: a stable code, a name, a severity, a one-line summary and the check (if run by the validator).
pub struct Rule {
    /// The stable code, e.g. `ASL201`.
    pub code: &'static str,
    /// The rule name (also the folder name of its golden tests).
    pub name: &'static str,
    /// The severity of its diagnostics.
    pub severity: Severity,
    /// What the rule flags, in plain words.
    pub summary: &'static str,
    /// The check; `None` for codes the parser or model builder emits.
    pub check: Option<fn(&Ctx, &mut Vec<Diagnostic>)>,
}

const fn parser_rule(code: &'static str, name: &'static str, summary: &'static str) -> Rule {
    Rule {
        code,
        name,
        severity: Severity::Error,
        summary,
        check: None,
    }
}

/// Every rule, ordered by code.
pub static RULES: &[Rule] = &[
    parser_rule(
        "ASL001",
        "json_syntax",
        "The JSON text is malformed (unterminated string, missing comma or bracket, bad number, …).",
    ),
    parser_rule(
        "ASL002",
        "trailing_comma",
        "A comma right before `}` or `]`, which JSON does not allow.",
    ),
    parser_rule(
        "ASL003",
        "yaml_syntax",
        "The YAML text is malformed, has several documents, non-scalar keys or too many alias expansions.",
    ),
    parser_rule(
        "ASL004",
        "too_deep",
        "The document is nested more than 256 levels deep; the deeper part is ignored.",
    ),
    r::duplicate_key::RULE,
    r::definition_size::RULE,
    parser_rule(
        "ASL101",
        "missing_field",
        "A required field is missing (`StartAt`, `States`, `Type`, `Resource`, `Choices`, `Branches`, `ItemProcessor`, `ErrorEquals`, a catcher's or top-level Choice rule's `Next`).",
    ),
    parser_rule(
        "ASL102",
        "wrong_type",
        "A field has the wrong JSON type (for example a number where a string is required).",
    ),
    r::unknown_field::RULE,
    parser_rule(
        "ASL104",
        "invalid_value",
        "A field has a value outside its allowed set (`Type`, `QueryLanguage`, `JitterStrategy`, `Mode`, `ExecutionType`).",
    ),
    r::exclusive_fields::RULE,
    r::wait_duration::RULE,
    r::next_or_end::RULE,
    r::numeric_range::RULE,
    r::heartbeat_timeout::RULE,
    r::empty_array::RULE,
    r::missing_target::RULE,
    r::unreachable_state::RULE,
    r::no_terminal_state::RULE,
    r::no_way_out::RULE,
    r::duplicate_state_name::RULE,
    r::state_name_length::RULE,
    r::state_name_chars::RULE,
    r::outbound_transition::RULE,
    r::states_all::RULE,
    r::unknown_error_name::RULE,
    r::path_syntax::RULE,
    r::result_path::RULE,
    r::payload_template::RULE,
    r::jsonata_syntax::RULE,
    r::query_language_fields::RULE,
    r::jsonata_top_level::RULE,
    r::states_variable::RULE,
    r::choice_rule::RULE,
    r::task_resource::RULE,
    r::timestamp_format::RULE,
    r::undefined_variable::RULE,
    r::inner_scope_assign::RULE,
    r::variable_name::RULE,
    r::choice_default::RULE,
    r::inline_map_concurrency::RULE,
    r::express_integration::RULE,
    r::distributed_only_field::RULE,
    r::distributed_execution_type::RULE,
];

/// Finds a rule by its code.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The nearest asl-validator error code (a CI-friendly equivalent), or `""` when it has none.
pub fn asl_validator_equivalent(code: &str) -> &'static str {
    match code {
        "ASL005" => "DUPLICATE_FIELD_NAME",
        "ASL101" | "ASL102" | "ASL103" | "ASL104" | "ASL108" | "ASL110" | "ASL401" | "ASL402"
        | "ASL403" | "ASL404" | "ASL408" | "ASL409" => "SCHEMA_VALIDATION_FAILED",
        "ASL105" => {
            "TASK_TIMEOUT, TASK_HEARTBEAT, FAIL_ERROR_PROPERTY, FAIL_CAUSE_PROPERTY, MAP_ITEMS_ERROR, MAP_ITEM_PROCESSOR, MAP_ITEM_SELECTOR, MAP_CONCURRENCY_ERROR, MAP_TOLERATED_FAILURE, MAP_ITEM_BATCHER, MAP_ITEMREADER_MAXITEM"
        }
        "ASL106" => "WAIT_DURATION",
        "ASL107" => "TERMINAL_STATE_WITH_NEXT",
        "ASL109" => "TASK_HEARTBEAT",
        "ASL201" => "MISSING_TRANSITION_TARGET",
        "ASL203" => "MISSING_TERMINAL_STATE",
        "ASL205" => "DUPLICATE_STATE_NAMES",
        "ASL208" => "BRANCH_OUTBOUND_TRANSITION_TARGET, MAP_OUTBOUND_TRANSITION_TARGET",
        _ => "",
    }
}
