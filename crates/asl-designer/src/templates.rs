//! Starter templates and patterns, embedded from `templates/`: each has a definition, a
//! sample input and mocks in the Step Functions Local `MockConfigFile` format.

use crate::document::{Document, Settings};

/// One template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    /// A stable identifier (the file stem).
    pub id: &'static str,
    /// The title shown in the gallery.
    pub title: &'static str,
    /// A one-line description.
    pub description: &'static str,
    /// True for the Patterns tab, false for starter workflows.
    pub pattern: bool,
    /// The state machine name used in the mocks' `StateMachines` map.
    pub machine_name: &'static str,
    /// The definition (JSON).
    pub definition: &'static str,
    /// A sample execution input (JSON).
    pub input: &'static str,
    /// Mocks in `MockConfigFile` format (JSON).
    pub mocks: &'static str,
}

macro_rules! template {
    ($id:literal, $title:literal, $description:literal, $pattern:literal, $machine:literal) => {
        Template {
            id: $id,
            title: $title,
            description: $description,
            pattern: $pattern,
            machine_name: $machine,
            definition: include_str!(concat!("../templates/", $id, ".asl.json")),
            input: include_str!(concat!("../templates/", $id, ".input.json")),
            mocks: include_str!(concat!("../templates/", $id, ".mocks.json")),
        }
    };
}

/// Every template, starters first.
pub const TEMPLATES: &[Template] = &[
    template!(
        "hello-world",
        "Hello world",
        "Pass, Choice, Wait and Parallel states, no AWS calls.",
        false,
        "HelloWorld"
    ),
    template!(
        "credit-limit",
        "Approve a credit limit",
        "The Workflow Studio tutorial: Lambda, Choice, human approval over SNS, Parallel checks, DynamoDB and Map.",
        false,
        "CreditLimitApproval"
    ),
    template!(
        "two-lambdas",
        "Choose a Lambda function",
        "Pick one of two functions from the input and report the result by email through SNS.",
        false,
        "TwoLambdas"
    ),
    template!(
        "retry-backoff",
        "Retry with back-off",
        "Retry a flaky call with exponential back-off and jitter, then fail clearly.",
        true,
        "RetryWithBackoff"
    ),
    template!(
        "callback",
        "Wait for a callback",
        "Send a task token to a queue and pause until a worker answers.",
        true,
        "Callback"
    ),
    template!(
        "map-items",
        "Process items with Map",
        "Run the same steps for every item of an array.",
        true,
        "MapOverItems"
    ),
    template!(
        "error-fallback",
        "Catch errors with a fallback",
        "Catch any error of a task and run a fallback state.",
        true,
        "ErrorFallback"
    ),
];

/// Finds a template by id.
pub fn template(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

impl Template {
    /// Creates a document from the template, with its name, sample input and mocks in the
    /// settings.
    pub fn document(&self) -> Document {
        let input: serde_json::Value = serde_json::from_str(self.input).unwrap_or_default();
        let mocks: serde_json::Value = serde_json::from_str(self.mocks).unwrap_or_default();
        Document::new(self.definition).with_settings(Settings {
            name: self.machine_name.to_owned(),
            sample_inputs: serde_json::json!({ "default": input }),
            test_cases: mocks,
            ..Settings::default()
        })
    }
}
