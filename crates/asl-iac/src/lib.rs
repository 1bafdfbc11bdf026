//! Infrastructure as code: state machines in and out of CloudFormation and SAM templates, and AWS CLI commands.
//!
//! [`import_template`] finds every `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine` in a
//! JSON or YAML template (short-form tags such as `!Sub` included) and returns each definition as text, with
//! `${...}` placeholders kept intact and what they stand for recorded, so that [`export`] can write them back.
//! The crate is pure: no file system, no clock.

mod export;
mod import;
mod placeholders;
mod yaml_read;
mod yaml_write;

use serde::Serialize;
use serde_json::{Map, Value};

pub use export::{ExportError, ExportFormat, ExportOptions, ExportTarget, export};
pub use import::import_template;
pub use placeholders::placeholders;

/// The deepest nesting a template may have.
pub(crate) const MAX_DEPTH: usize = 256;

/// The largest template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 16 * 1024 * 1024;

/// The CloudFormation resource type a machine came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ResourceType {
    /// `AWS::StepFunctions::StateMachine`.
    StepFunctions,
    /// `AWS::Serverless::StateMachine` (SAM).
    Serverless,
}

/// How the definition was written in the template.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub enum SourceForm {
    /// `Definition` as an object (CloudFormation or SAM).
    #[default]
    Definition,
    /// `DefinitionString` as a plain string.
    DefinitionString,
    /// `DefinitionString` as `Fn::Sub` (a string, or a string and a variable map).
    Sub,
    /// `DefinitionString` as `Fn::Join` with an empty delimiter.
    Join,
    /// `DefinitionS3Location` or `DefinitionUri`: the definition lives elsewhere and cannot be read offline.
    External {
        /// The location as written (an `s3://` URI, a local path, or the location object as JSON).
        location: String,
    },
}

/// The state machine type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum MachineType {
    /// `STANDARD` (the default).
    #[default]
    Standard,
    /// `EXPRESS`.
    Express,
}

impl MachineType {
    /// The name CloudFormation, SAM and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            MachineType::Standard => "STANDARD",
            MachineType::Express => "EXPRESS",
        }
    }
}

/// One state machine found in a template.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportedMachine {
    /// The resource's logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: ResourceType,
    /// `StateMachineName` / `Name`, if it was a literal string.
    pub name: Option<String>,
    /// The name as written when it is computed (an intrinsic function such as `Fn::Sub`).
    pub name_expression: Option<Value>,
    /// `StateMachineType` / `Type`.
    pub machine_type: MachineType,
    /// The definition text; `${...}` placeholders are kept as written. Empty for [`SourceForm::External`].
    pub definition_text: String,
    /// `DefinitionSubstitutions`, plus placeholders that stand for intrinsic functions found inside a
    /// `Definition` object; values are strings or intrinsic functions as JSON.
    pub substitutions: Map<String, Value>,
    /// The variables of `Fn::Sub` and the non-literal pieces of `Fn::Join` (each became a `${Name}`).
    pub sub_variables: Map<String, Value>,
    /// How the definition was written.
    pub source_form: SourceForm,
    /// `RoleArn` / `Role` as written (a string or an intrinsic function).
    pub role: Option<Value>,
    /// Things worth telling the user (ignored properties, unreadable names).
    pub notes: Vec<String>,
}

/// Why a template could not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The text is not JSON or YAML.
    Syntax(String),
    /// The text is too large.
    TooLarge(usize),
    /// The document is not a template (no `Resources` object, or the wrong types).
    NotATemplate(String),
    /// The template has no state machine resources.
    NoStateMachines,
    /// A state machine resource could not be read.
    BadResource {
        /// The logical ID.
        logical_id: String,
        /// What is wrong.
        message: String,
    },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Syntax(m) => write!(f, "the template cannot be read: {m}"),
            ImportError::TooLarge(n) => write!(
                f,
                "the template is {n} bytes; the limit is {MAX_TEMPLATE_BYTES} bytes"
            ),
            ImportError::NotATemplate(m) => write!(f, "not a CloudFormation or SAM template: {m}"),
            ImportError::NoStateMachines => write!(
                f,
                "the template has no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine resource"
            ),
            ImportError::BadResource {
                logical_id,
                message,
            } => write!(f, "resource `{logical_id}`: {message}"),
        }
    }
}

impl std::error::Error for ImportError {}
