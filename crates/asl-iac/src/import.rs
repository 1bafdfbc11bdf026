//! Reading state machine resources out of CloudFormation and SAM templates.

use serde_json::{Map, Value};

use crate::yaml_read::read_yaml;
use crate::{
    ImportError, ImportedMachine, MAX_TEMPLATE_BYTES, MachineType, ResourceType, SourceForm,
};

/// Finds every state machine in a CloudFormation or SAM template (JSON or YAML), in template order.
pub fn import_template(text: &str) -> Result<Vec<ImportedMachine>, ImportError> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(ImportError::TooLarge(text.len()));
    }
    let text = text.trim_start_matches('\u{feff}');
    let root = match asl_core::detect_format(text) {
        // Flow-style YAML also starts with `{`, so YAML is the second chance for text that is not JSON.
        asl_core::Format::Json => match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            Err(e) => read_yaml(text).map_err(|_| ImportError::Syntax(e.to_string()))?,
        },
        asl_core::Format::Yaml => read_yaml(text).map_err(ImportError::Syntax)?,
    };
    let Value::Object(root) = root else {
        return Err(ImportError::NotATemplate(
            "the document is not an object".to_owned(),
        ));
    };
    let resources = match root.get("Resources") {
        Some(Value::Object(r)) => r,
        Some(_) => {
            return Err(ImportError::NotATemplate(
                "`Resources` is not an object".to_owned(),
            ));
        }
        None => {
            return Err(ImportError::NotATemplate(
                "there is no `Resources` section".to_owned(),
            ));
        }
    };
    let mut machines = Vec::new();
    for (logical_id, resource) in resources {
        let resource_type = match resource.get("Type").and_then(Value::as_str) {
            Some("AWS::StepFunctions::StateMachine") => ResourceType::StepFunctions,
            Some("AWS::Serverless::StateMachine") => ResourceType::Serverless,
            _ => continue,
        };
        machines.push(
            import_resource(logical_id, resource_type, resource).map_err(|message| {
                ImportError::BadResource {
                    logical_id: logical_id.clone(),
                    message,
                }
            })?,
        );
    }
    if machines.is_empty() {
        return Err(ImportError::NoStateMachines);
    }
    Ok(machines)
}

/// The property names of one resource type.
struct Names {
    name: &'static str,
    machine_type: &'static str,
    role: &'static str,
    external: &'static str,
}

fn import_resource(
    logical_id: &str,
    resource_type: ResourceType,
    resource: &Value,
) -> Result<ImportedMachine, String> {
    let names = match resource_type {
        ResourceType::StepFunctions => Names {
            name: "StateMachineName",
            machine_type: "StateMachineType",
            role: "RoleArn",
            external: "DefinitionS3Location",
        },
        ResourceType::Serverless => Names {
            name: "Name",
            machine_type: "Type",
            role: "Role",
            external: "DefinitionUri",
        },
    };
    let empty = Map::new();
    let props = match resource.get("Properties") {
        Some(Value::Object(p)) => p,
        None => &empty,
        Some(_) => return Err("`Properties` is not an object".to_owned()),
    };
    let mut notes = Vec::new();
    let (name, name_expression) = match props.get(names.name) {
        None => (None, None),
        Some(Value::String(s)) => (Some(s.clone()), None),
        Some(other) => (None, Some(other.clone())),
    };
    let machine_type = match props.get(names.machine_type) {
        None => MachineType::Standard,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("EXPRESS") => MachineType::Express,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("STANDARD") => MachineType::Standard,
        Some(other) => {
            notes.push(format!(
                "`{}` is {}, which is neither STANDARD nor EXPRESS; STANDARD is assumed.",
                names.machine_type,
                compact(other)
            ));
            MachineType::Standard
        }
    };
    let role = props.get(names.role).cloned();
    let mut substitutions = match props.get("DefinitionSubstitutions") {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            return Err(format!(
                "`DefinitionSubstitutions` must be an object, not {}",
                kind(other)
            ));
        }
    };
    let mut sub_variables = Map::new();
    let (definition_text, source_form) = if let Some(def) = props.get("Definition") {
        let Value::Object(_) = def else {
            return Err(format!("`Definition` must be an object, not {}", kind(def)));
        };
        let mut def = def.clone();
        replace_intrinsics(&mut def, &mut substitutions);
        let text = serde_json::to_string_pretty(&def).map_err(|e| e.to_string())?;
        (text, SourceForm::Definition)
    } else if let (ResourceType::StepFunctions, Some(def)) =
        (resource_type, props.get("DefinitionString"))
    {
        definition_string(def, &mut sub_variables, &mut notes)?
    } else if let Some(location) = props.get(names.external) {
        let location = match location {
            Value::String(s) => s.clone(),
            Value::Object(o) => match (o.get("Bucket"), o.get("Key")) {
                (Some(Value::String(b)), Some(Value::String(k))) => format!("s3://{b}/{k}"),
                _ => compact(location),
            },
            other => compact(other),
        };
        notes.push(format!(
            "The definition is in `{}` ({location}), which cannot be read offline.",
            names.external
        ));
        (String::new(), SourceForm::External { location })
    } else {
        return Err(match resource_type {
            ResourceType::StepFunctions => {
                "there is no `Definition`, `DefinitionString` or `DefinitionS3Location`".to_owned()
            }
            ResourceType::Serverless => "there is no `Definition` or `DefinitionUri`".to_owned(),
        });
    };
    Ok(ImportedMachine {
        logical_id: logical_id.to_owned(),
        resource_type,
        name,
        name_expression,
        machine_type,
        definition_text,
        substitutions,
        sub_variables,
        source_form,
        role,
        notes,
    })
}

/// Reads `DefinitionString`: a string, `Fn::Sub` or `Fn::Join`.
fn definition_string(
    def: &Value,
    sub_variables: &mut Map<String, Value>,
    notes: &mut Vec<String>,
) -> Result<(String, SourceForm), String> {
    if let Value::String(s) = def {
        return Ok((s.clone(), SourceForm::DefinitionString));
    }
    let Some((function, arg)) = single_intrinsic(def) else {
        return Err(format!(
            "`DefinitionString` must be a string, `Fn::Sub` or `Fn::Join`, not {}",
            compact_short(def)
        ));
    };
    match function {
        "Fn::Sub" => {
            let (template, vars) = match arg {
                Value::String(s) => (s.clone(), None),
                Value::Array(items) => match items.as_slice() {
                    [Value::String(s), Value::Object(vars)] => (s.clone(), Some(vars)),
                    [Value::String(s)] => (s.clone(), None),
                    _ => {
                        return Err(
                            "`Fn::Sub` takes a string, or a list of a string and a variable map"
                                .to_owned(),
                        );
                    }
                },
                other => {
                    return Err(format!(
                        "`Fn::Sub` takes a string or a list, not {}",
                        kind(other)
                    ));
                }
            };
            if let Some(vars) = vars {
                for (k, v) in vars {
                    sub_variables.insert(k.clone(), v.clone());
                }
            }
            Ok((template, SourceForm::Sub))
        }
        "Fn::Join" => {
            let Value::Array(args) = arg else {
                return Err("`Fn::Join` takes a list of a delimiter and a list".to_owned());
            };
            let [Value::String(delimiter), Value::Array(pieces)] = args.as_slice() else {
                return Err(
                    "`Fn::Join` takes a delimiter string and a literal list of pieces".to_owned(),
                );
            };
            let mut text = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    text.push_str(delimiter);
                }
                match piece {
                    Value::String(s) => text.push_str(s),
                    other => {
                        let name = placeholder_for(other, sub_variables);
                        text.push_str("${");
                        text.push_str(&name);
                        text.push('}');
                    }
                }
            }
            if !sub_variables.is_empty() {
                notes.push(format!(
                    "The non-literal pieces of `Fn::Join` became the placeholders {}.",
                    sub_variables
                        .keys()
                        .map(|k| format!("${{{k}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Ok((text, SourceForm::Join))
        }
        other => Err(format!(
            "`DefinitionString` as `{other}` cannot be imported; use a string, `Fn::Sub` or `Fn::Join`"
        )),
    }
}

/// The function name and argument of a one-key intrinsic object (`{"Ref": ..}`, `{"Fn::X": ..}`).
pub(crate) fn single_intrinsic(value: &Value) -> Option<(&str, &Value)> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() != 1 {
        return None;
    }
    let (k, v) = map.iter().next()?;
    (k == "Ref" || k.starts_with("Fn::")).then_some((k.as_str(), v))
}

/// Replaces each intrinsic function inside a `Definition` object by a `${Name}` string, recording it.
fn replace_intrinsics(value: &mut Value, substitutions: &mut Map<String, Value>) {
    if single_intrinsic(value).is_some() {
        let name = placeholder_for(value, substitutions);
        *value = Value::String(format!("${{{name}}}"));
        return;
    }
    match value {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_intrinsics(v, substitutions)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| replace_intrinsics(v, substitutions)),
        _ => {}
    }
}

/// Picks a placeholder name for an intrinsic value (`Ref X` → `X`, `GetAtt [A, B]` → `AB`), recording it in
/// `map`; an existing entry with the same value is reused.
pub(crate) fn placeholder_for(value: &Value, map: &mut Map<String, Value>) -> String {
    let base = match single_intrinsic(value) {
        Some(("Ref", Value::String(s))) => sanitize(s),
        Some(("Fn::GetAtt", Value::Array(parts))) => sanitize(
            &parts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(""),
        ),
        Some(("Fn::GetAtt", Value::String(s))) => sanitize(s),
        Some(("Fn::ImportValue", Value::String(s))) => sanitize(s),
        _ => String::new(),
    };
    // Without a telling name, the function name and a number (`Sub1`, `If2`) will do.
    let numbered = base.is_empty();
    let base = match single_intrinsic(value) {
        Some((function, _)) if numbered => sanitize(function.trim_start_matches("Fn::")),
        _ if numbered => "Value".to_owned(),
        _ => base,
    };
    let mut n = 1;
    loop {
        let name = if n == 1 && !numbered {
            base.clone()
        } else {
            format!("{base}{n}")
        };
        match map.get(&name) {
            Some(existing) if existing == value => return name,
            Some(_) => n += 1,
            None => {
                map.insert(name.clone(), value.clone());
                return name;
            }
        }
    }
}

/// Keeps ASCII letters, digits and underscores.
pub(crate) fn sanitize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Compact JSON, cut to a readable length.
fn compact_short(v: &Value) -> String {
    let s = compact(v);
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}
