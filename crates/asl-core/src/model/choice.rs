//! The Choice state and its rules.

use crate::model::Spanned;
use crate::model::build::{Builder, WRONG_TYPE};
use crate::text::Span;
use crate::tree::{Node, push_index, push_key};

/// The JSONPath comparison operators (data-test expressions).
pub const COMPARISON_OPERATORS: [&str; 43] = [
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
    "And",
    "Or",
    "Not",
    "Condition",
];

/// Choice-specific fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choice {
    /// `Choices`.
    pub choices: Vec<ChoiceRule>,
    /// `Default`.
    pub default: Option<Spanned<String>>,
}

/// A comparison written in a rule: operator name, its key span and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The operator, e.g. `NumericEquals`.
    pub operator: String,
    /// Span of the operator key.
    pub key_span: Span,
    /// The operand.
    pub value: Node,
}

/// A Choice rule (top-level rules have `Next`; nested ones don't).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChoiceRule {
    /// JSON Pointer to the rule.
    pub pointer: String,
    /// Span of the rule object.
    pub span: Span,
    /// `Next` (top-level rules).
    pub next: Option<Spanned<String>>,
    /// `Condition` (JSONata).
    pub condition: Option<Node>,
    /// `Variable` (JSONPath).
    pub variable: Option<Spanned<String>>,
    /// The comparison operators present (normally exactly one), excluding `And`/`Or`/`Not`/`Condition`.
    pub comparisons: Vec<Comparison>,
    /// `And`.
    pub and: Option<Vec<ChoiceRule>>,
    /// `Or`.
    pub or: Option<Vec<ChoiceRule>>,
    /// `Not`.
    pub not: Option<Box<ChoiceRule>>,
    /// `Assign` (top-level rules).
    pub assign: Option<Node>,
    /// `Output` (top-level JSONata rules).
    pub output: Option<Node>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
}

impl ChoiceRule {
    /// Counts the operators of the rule: comparisons plus `And`, `Or`, `Not` and `Condition`.
    pub fn operator_count(&self) -> usize {
        self.comparisons.len()
            + usize::from(self.and.is_some())
            + usize::from(self.or.is_some())
            + usize::from(self.not.is_some())
            + usize::from(self.condition.is_some())
    }
}

pub(crate) fn build(b: &mut Builder, node: &Node, ptr: &str) -> Choice {
    let mut choices = Vec::new();
    if node.get("Choices").is_none() {
        b.missing(node, ptr, "Choices");
    }
    if let Some(items) = b.array(node, ptr, "Choices") {
        let cp = push_key(ptr, "Choices");
        for (i, item) in items.iter().enumerate() {
            if let Some(rule) = build_rule(b, item, &push_index(&cp, i), true, 0) {
                choices.push(rule);
            }
        }
    }
    Choice {
        choices,
        default: b.string(node, ptr, "Default"),
    }
}

fn build_rules(
    b: &mut Builder,
    node: &Node,
    ptr: &str,
    key: &str,
    depth: usize,
) -> Option<Vec<ChoiceRule>> {
    let items = b.array(node, ptr, key)?;
    let rp = push_key(ptr, key);
    Some(
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| build_rule(b, item, &push_index(&rp, i), false, depth + 1))
            .collect(),
    )
}

fn build_rule(
    b: &mut Builder,
    node: &Node,
    ptr: &str,
    top: bool,
    depth: usize,
) -> Option<ChoiceRule> {
    let Some(members) = node.as_object() else {
        b.error(
            WRONG_TYPE,
            ptr.to_owned(),
            node.span,
            format!(
                "A Choice rule must be an object, found {}.",
                node.type_name()
            ),
        );
        return None;
    };
    let comparisons = members
        .iter()
        .filter(|m| COMPARISON_OPERATORS[..39].contains(&m.key.as_str()))
        .map(|m| Comparison {
            operator: m.key.clone(),
            key_span: m.key_span,
            value: m.value.clone(),
        })
        .collect();
    let not = match node.get("Not") {
        Some(n) if n.as_object().is_some() => {
            build_rule(b, n, &push_key(ptr, "Not"), false, depth + 1).map(Box::new)
        }
        Some(n) => {
            b.error(
                WRONG_TYPE,
                push_key(ptr, "Not"),
                n.span,
                format!("Field \"Not\" must be an object, found {}.", n.type_name()),
            );
            None
        }
        None => None,
    };
    Some(ChoiceRule {
        pointer: ptr.to_owned(),
        span: node.span,
        next: if top {
            b.req_string(node, ptr, "Next")
        } else {
            b.string(node, ptr, "Next")
        },
        condition: node.get("Condition").cloned(),
        variable: b.string(node, ptr, "Variable"),
        comparisons,
        and: build_rules(b, node, ptr, "And", depth),
        or: build_rules(b, node, ptr, "Or", depth),
        not,
        assign: b.object(node, ptr, "Assign", false),
        output: node.get("Output").cloned(),
        comment: b.string(node, ptr, "Comment"),
    })
}
