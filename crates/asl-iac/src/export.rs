//! Writing a definition as a CloudFormation template, a SAM template or an AWS CLI command.

use serde_json::{Map, Value, json};

use crate::import::{placeholder_for, sanitize};
use crate::placeholders::{implicit_reference, placeholders, substitute};
use crate::yaml_write::to_yaml;
use crate::{ImportedMachine, MachineType, SourceForm};

/// What to export as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportTarget {
    /// A CloudFormation template with one `AWS::StepFunctions::StateMachine`.
    #[default]
    Cfn,
    /// A SAM template with one `AWS::Serverless::StateMachine`.
    Sam,
    /// An `aws stepfunctions create-state-machine` command.
    Cli,
}

/// The template syntax (ignored for [`ExportTarget::Cli`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// JSON, two-space indented.
    #[default]
    Json,
    /// Block-style YAML.
    Yaml,
}

/// How to export; [`ExportOptions::from_import`] carries everything an import found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportOptions {
    /// The target.
    pub target: ExportTarget,
    /// The template syntax.
    pub format: ExportFormat,
    /// The resource's logical ID (default: derived from the name, else `StateMachine`).
    pub logical_id: Option<String>,
    /// The state machine name.
    pub name: Option<String>,
    /// The name as an intrinsic function, used when `name` is `None`.
    pub name_expression: Option<Value>,
    /// The role ARN; takes precedence over `role`.
    pub role_arn: Option<String>,
    /// The role as imported (a string or an intrinsic function).
    pub role: Option<Value>,
    /// The state machine type.
    pub machine_type: MachineType,
    /// `DefinitionSubstitutions`.
    pub substitutions: Map<String, Value>,
    /// `Fn::Sub` variables and `Fn::Join` pieces.
    pub sub_variables: Map<String, Value>,
    /// The form to write the definition in (CloudFormation only; SAM always writes `Definition`).
    pub source_form: SourceForm,
    /// For the CLI: pass `--definition file://PATH` instead of inlining the definition.
    pub definition_file: Option<String>,
}

impl ExportOptions {
    /// Options that write an imported machine back the way it was written.
    pub fn from_import(
        machine: &ImportedMachine,
        target: ExportTarget,
        format: ExportFormat,
    ) -> Self {
        ExportOptions {
            target,
            format,
            logical_id: Some(machine.logical_id.clone()),
            name: machine.name.clone(),
            name_expression: machine.name_expression.clone(),
            role_arn: None,
            role: machine.role.clone(),
            machine_type: machine.machine_type,
            substitutions: machine.substitutions.clone(),
            sub_variables: machine.sub_variables.clone(),
            source_form: machine.source_form.clone(),
            definition_file: None,
        }
    }
}

/// Why a definition could not be exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// The target needs the definition as a JSON object, and the text is not one.
    NotJson(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::NotJson(m) => write!(
                f,
                "the definition must be a JSON object for this target ({m}); placeholders must sit inside strings"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// The role written when none is given.
const ROLE_PLACEHOLDER: &str = "arn:aws:iam::123456789012:role/StateMachineRole";

/// Exports definition text (JSON or YAML ASL) as a template or a CLI command.
pub fn export(definition_text: &str, options: &ExportOptions) -> Result<String, ExportError> {
    match options.target {
        ExportTarget::Cli => Ok(cli(definition_text, options)),
        ExportTarget::Cfn | ExportTarget::Sam => {
            let template = template(definition_text, options)?;
            Ok(match options.format {
                ExportFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&template).unwrap_or_default();
                    s.push('\n');
                    s
                }
                ExportFormat::Yaml => to_yaml(&template),
            })
        }
    }
}

/// Reads definition text as a JSON object, accepting YAML too.
fn definition_object(text: &str) -> Result<Value, ExportError> {
    let value = match asl_core::detect_format(text) {
        asl_core::Format::Json => {
            serde_json::from_str::<Value>(text).map_err(|e| ExportError::NotJson(e.to_string()))?
        }
        asl_core::Format::Yaml => {
            crate::yaml_read::read_yaml(text).map_err(ExportError::NotJson)?
        }
    };
    if value.is_object() {
        Ok(value)
    } else {
        Err(ExportError::NotJson("it is not an object".to_owned()))
    }
}

fn logical_id(options: &ExportOptions) -> String {
    if let Some(id) = options.logical_id.as_deref().filter(|s| !s.is_empty()) {
        return id.to_owned();
    }
    let from_name = options.name.as_deref().map(sanitize).unwrap_or_default();
    if from_name.is_empty() {
        "StateMachine".to_owned()
    } else {
        from_name
    }
}

fn role_value(options: &ExportOptions) -> Option<Value> {
    match (&options.role_arn, &options.role) {
        (Some(arn), _) => Some(Value::String(arn.clone())),
        (None, Some(role)) => Some(role.clone()),
        (None, None) => None,
    }
}

/// Builds the template as JSON.
fn template(text: &str, options: &ExportOptions) -> Result<Value, ExportError> {
    let sam = options.target == ExportTarget::Sam;
    let mut props = Map::new();
    let name = match (&options.name, &options.name_expression) {
        (Some(name), _) => Some(Value::String(name.clone())),
        (None, Some(expression)) => Some(expression.clone()),
        (None, None) => None,
    };
    if let Some(name) = name {
        props.insert(
            if sam { "Name" } else { "StateMachineName" }.to_owned(),
            name,
        );
    }
    if options.machine_type == MachineType::Express {
        props.insert(
            if sam { "Type" } else { "StateMachineType" }.to_owned(),
            Value::String("EXPRESS".to_owned()),
        );
    }
    match (sam, role_value(options)) {
        (true, Some(role)) => {
            props.insert("Role".to_owned(), role);
        }
        (true, None) => {}
        (false, role) => {
            props.insert(
                "RoleArn".to_owned(),
                role.unwrap_or_else(|| Value::String(ROLE_PLACEHOLDER.to_owned())),
            );
        }
    }
    let string_form = !sam
        && matches!(
            options.source_form,
            SourceForm::Sub | SourceForm::Join | SourceForm::DefinitionString
        );
    if string_form {
        let definition = match options.source_form {
            SourceForm::Join => join_form(text, &options.sub_variables),
            SourceForm::DefinitionString if options.sub_variables.is_empty() => {
                Value::String(text.to_owned())
            }
            _ if options.sub_variables.is_empty() => json!({ "Fn::Sub": text }),
            _ => json!({ "Fn::Sub": [text, options.sub_variables] }),
        };
        props.insert("DefinitionString".to_owned(), definition);
        if !options.substitutions.is_empty() {
            props.insert(
                "DefinitionSubstitutions".to_owned(),
                Value::Object(options.substitutions.clone()),
            );
        }
    } else {
        let (definition, substitutions) = object_form(text, options)?;
        props.insert("Definition".to_owned(), definition);
        if !substitutions.is_empty() {
            props.insert(
                "DefinitionSubstitutions".to_owned(),
                Value::Object(substitutions),
            );
        }
    }
    let mut resource = Map::new();
    resource.insert(
        "Type".to_owned(),
        Value::String(
            if sam {
                "AWS::Serverless::StateMachine"
            } else {
                "AWS::StepFunctions::StateMachine"
            }
            .to_owned(),
        ),
    );
    resource.insert("Properties".to_owned(), Value::Object(props));
    let mut resources = Map::new();
    resources.insert(logical_id(options), Value::Object(resource));
    let mut root = Map::new();
    root.insert(
        "AWSTemplateFormatVersion".to_owned(),
        Value::String("2010-09-09".to_owned()),
    );
    if sam {
        root.insert(
            "Transform".to_owned(),
            Value::String("AWS::Serverless-2016-10-31".to_owned()),
        );
    }
    root.insert("Resources".to_owned(), Value::Object(resources));
    Ok(Value::Object(root))
}

/// Splits the text at the placeholders that stand for `Fn::Join` pieces.
fn join_form(text: &str, pieces: &Map<String, Value>) -> Value {
    let mut parts: Vec<Value> = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        let hit = after
            .find('}')
            .and_then(|end| pieces.get(&after[..end]).map(|v| (v, end)));
        match hit {
            Some((value, end)) => {
                literal.push_str(&rest[..at]);
                if !literal.is_empty() {
                    parts.push(Value::String(std::mem::take(&mut literal)));
                }
                parts.push(value.clone());
                rest = &after[end + 1..];
            }
            None => {
                literal.push_str(&rest[..at + 2]);
                rest = after;
            }
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(Value::String(literal));
    }
    json!({ "Fn::Join": ["", parts] })
}

/// The `Definition` object and `DefinitionSubstitutions` for the object form.
///
/// `Fn::Sub` variables and `Fn::Join` pieces become substitutions; for text that came from `Fn::Sub`, implicit
/// references (`${AWS::Region}`, `${Res.Arn}`) become substitutions with plain names, and `${!X}` becomes `${X}`.
fn object_form(
    text: &str,
    options: &ExportOptions,
) -> Result<(Value, Map<String, Value>), ExportError> {
    let mut substitutions = options.substitutions.clone();
    let mut renames: Vec<(String, String)> = Vec::new();
    for (name, value) in &options.sub_variables {
        let new = if substitutions.get(name).is_none_or(|v| v == value) {
            substitutions.insert(name.clone(), value.clone());
            name.clone()
        } else {
            placeholder_for(value, &mut substitutions)
        };
        if &new != name {
            renames.push((name.clone(), new));
        }
    }
    if options.source_form == SourceForm::Sub {
        for name in placeholders(text) {
            if options.sub_variables.contains_key(&name) || substitutions.contains_key(&name) {
                continue;
            }
            let value = implicit_reference(&name);
            let new = if sanitize(&name) == name {
                substitutions.insert(name.clone(), value);
                name.clone()
            } else {
                placeholder_for(&value, &mut substitutions)
            };
            if new != name {
                renames.push((name, new));
            }
        }
    }
    let text = if renames.is_empty() && options.source_form != SourceForm::Sub {
        text.to_owned()
    } else {
        let renamed = substitute(text, |name| {
            renames
                .iter()
                .find(|(old, _)| old == name)
                .map(|(_, new)| format!("${{{new}}}"))
        });
        if options.source_form == SourceForm::Sub {
            renamed.replace("${!", "${")
        } else {
            renamed
        }
    };
    let definition = match definition_object(&text) {
        Ok(d) => d,
        Err(first) => {
            // Placeholders outside strings (`"TimeoutSeconds": ${Timeout}`) cannot stay placeholders in an
            // object; those with literal values are filled in, which CloudFormation would have done anyway.
            let literal = |name: &str| {
                options
                    .sub_variables
                    .get(name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let filled = substitute(&text, literal);
            let Ok(d) = definition_object(&filled) else {
                return Err(first);
            };
            let still = placeholders(&filled);
            for (name, value) in &options.sub_variables {
                if value.is_string() && !still.contains(name) {
                    substitutions.shift_remove(name);
                }
            }
            d
        }
    };
    Ok((definition, substitutions))
}

/// Quotes a word for a POSIX shell.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | '@')
        })
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Builds the `aws stepfunctions create-state-machine` command.
fn cli(text: &str, options: &ExportOptions) -> String {
    let mut unresolved: Vec<String> = Vec::new();
    let literal = |name: &str| -> Option<String> {
        options
            .sub_variables
            .get(name)
            .or_else(|| options.substitutions.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut resolved = substitute(text, literal);
    if options.source_form == SourceForm::Sub {
        resolved = resolved.replace("${!", "${");
    }
    for name in placeholders(&resolved) {
        unresolved.push(name);
    }
    let definition = match definition_object(&resolved) {
        Ok(v) => serde_json::to_string(&v).unwrap_or_else(|_| resolved.clone()),
        Err(_) => resolved.trim().to_owned(),
    };
    let name = options.name.clone().unwrap_or_else(|| logical_id(options));
    let role = match (&options.role_arn, &options.role) {
        (Some(arn), _) => arn.clone(),
        (None, Some(Value::String(arn))) => arn.clone(),
        _ => ROLE_PLACEHOLDER.to_owned(),
    };
    let mut out = String::new();
    if !unresolved.is_empty() {
        out.push_str("# Replace these placeholders before running: ");
        out.push_str(
            &unresolved
                .iter()
                .map(|n| format!("${{{n}}}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        out.push('\n');
    }
    out.push_str("aws stepfunctions create-state-machine \\\n  --name ");
    out.push_str(&shell_quote(&name));
    out.push_str(" \\\n  --role-arn ");
    out.push_str(&shell_quote(&role));
    if options.machine_type == MachineType::Express {
        out.push_str(" \\\n  --type EXPRESS");
    }
    out.push_str(" \\\n  --definition ");
    match &options.definition_file {
        Some(path) => out.push_str(&shell_quote(&format!("file://{path}"))),
        None => out.push_str(&shell_quote(&definition)),
    }
    out.push('\n');
    out
}
