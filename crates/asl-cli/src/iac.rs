//! `asl import` and `asl export`: state machines in and out of CloudFormation/SAM templates and AWS CLI commands.

use std::io::{Read as _, Write as _};

use asl_iac::{
    ExportFormat, ExportOptions, ExportTarget, ImportedMachine, MachineType, SourceForm,
    import_template,
};

const IMPORT_USAGE: &str = "\
asl import: read a state machine definition out of a CloudFormation or SAM template

USAGE:
    asl import TEMPLATE [--resource LOGICAL_ID] [-o OUT] [--json]

TEMPLATE is JSON or YAML (short-form tags such as !Sub are understood; `-` reads standard input).
The definition text is written with its ${...} placeholders intact; what they stand for is listed on
standard error. With several state machines in the template, pick one with --resource.
--json writes the whole import result (name, type, substitutions, form) as JSON instead.";

const EXPORT_USAGE: &str = "\
asl export: write a state machine as a CloudFormation or SAM template or an AWS CLI command

USAGE:
    asl export MACHINE --as cfn|sam|cli [--name NAME] [--role-arn ARN] [--format json|yaml]
               [--type STANDARD|EXPRESS] [--logical-id ID] [--substitutions FILE.json]
               [--from TEMPLATE [--resource LOGICAL_ID]] [--definition-file PATH] [-o OUT]

MACHINE is a JSON or YAML definition (`-` reads standard input).
--from takes the name, type, role, substitutions and definition form from the template the machine was
imported from, so that an import, edit, export round trip keeps every ${...} substitution.
--substitutions reads DefinitionSubstitutions from a JSON object.
--definition-file makes the CLI command use `--definition file://PATH` instead of inlining the definition.";

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
    }
}

fn write_output(output: Option<&str>, text: &str) -> Result<(), String> {
    match output {
        Some(path) if path != "-" => {
            std::fs::write(path, text).map_err(|e| format!("cannot write `{path}`: {e}"))
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot write standard output: {e}"))
        }
    }
}

/// Splits `--flag=value` into its parts.
fn split_flag(arg: &str) -> (String, Option<String>) {
    match arg.split_once('=') {
        Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
        _ => (arg.to_string(), None),
    }
}

fn form_label(form: &SourceForm) -> String {
    match form {
        SourceForm::Definition => "Definition".to_owned(),
        SourceForm::DefinitionString => "DefinitionString".to_owned(),
        SourceForm::Sub => "DefinitionString (Fn::Sub)".to_owned(),
        SourceForm::Join => "DefinitionString (Fn::Join)".to_owned(),
        SourceForm::External { location } => format!("external: {location}"),
    }
}

/// Picks one machine from an import, printing the choices when that is ambiguous.
fn pick<'a>(
    machines: &'a [ImportedMachine],
    resource: Option<&str>,
    command: &str,
) -> Result<&'a ImportedMachine, u8> {
    match resource {
        Some(id) => machines.iter().find(|m| m.logical_id == id).ok_or_else(|| {
            eprintln!("asl {command}: the template has no state machine `{id}`");
            list(machines);
            1
        }),
        None if machines.len() == 1 => Ok(&machines[0]),
        None => {
            eprintln!(
                "asl {command}: the template has {} state machines; choose one with --resource",
                machines.len()
            );
            list(machines);
            Err(2)
        }
    }
}

fn list(machines: &[ImportedMachine]) {
    for m in machines {
        let name = m.name.as_deref().unwrap_or("-");
        eprintln!(
            "  {}  ({:?}, {}, name {name}, {})",
            m.logical_id,
            m.resource_type,
            m.machine_type.as_str(),
            form_label(&m.source_form)
        );
    }
}

/// Runs `asl import` and returns the exit code.
pub(crate) fn import(args: Vec<String>) -> u8 {
    let mut template = None;
    let mut resource = None;
    let mut output = None;
    let mut json = false;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(&arg);
        match flag.as_str() {
            "-h" | "--help" => {
                println!("{IMPORT_USAGE}");
                return 0;
            }
            "--resource" => match inline.or_else(|| it.next()) {
                Some(v) => resource = Some(v),
                None => return import_usage("--resource needs a logical ID"),
            },
            "-o" | "--output" => match inline.or_else(|| it.next()) {
                Some(v) => output = Some(v),
                None => return import_usage("-o needs a file name"),
            },
            "--json" => json = true,
            _ if arg.starts_with('-') && arg != "-" => {
                return import_usage(&format!("unknown option `{arg}`"));
            }
            _ if template.is_some() => return import_usage("only one TEMPLATE at a time"),
            _ => template = Some(arg),
        }
    }
    let Some(template) = template else {
        return import_usage("missing TEMPLATE");
    };
    let text = match read_input(&template) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("asl import: {e}");
            return 1;
        }
    };
    let machines = match import_template(&text) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("asl import: {template}: {e}");
            return 1;
        }
    };
    let machine = match pick(&machines, resource.as_deref(), "import") {
        Ok(m) => m,
        Err(code) => return code,
    };
    for note in &machine.notes {
        eprintln!("asl import: note: {note}");
    }
    let out = if json {
        match serde_json::to_string_pretty(machine) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("asl import: {e}");
                return 1;
            }
        }
    } else {
        if let SourceForm::External { location } = &machine.source_form {
            eprintln!(
                "asl import: `{}` keeps its definition in {location}, which cannot be read offline",
                machine.logical_id
            );
            return 1;
        }
        for (name, value) in machine.sub_variables.iter().chain(&machine.substitutions) {
            eprintln!(
                "asl import: ${{{name}}} = {}",
                serde_json::to_string(value).unwrap_or_default()
            );
        }
        let mut s = machine.definition_text.clone();
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s
    };
    match write_output(output.as_deref(), &out) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("asl import: {e}");
            1
        }
    }
}

fn import_usage(message: &str) -> u8 {
    eprintln!("asl import: {message}\n\n{IMPORT_USAGE}");
    2
}

fn export_usage(message: &str) -> u8 {
    eprintln!("asl export: {message}\n\n{EXPORT_USAGE}");
    2
}

/// The options of one `asl export` call, before the files are read.
#[derive(Default)]
struct ExportArgs {
    machine: Option<String>,
    target: Option<ExportTarget>,
    format: ExportFormat,
    name: Option<String>,
    role_arn: Option<String>,
    machine_type: Option<MachineType>,
    logical_id: Option<String>,
    substitutions: Option<String>,
    from: Option<String>,
    resource: Option<String>,
    definition_file: Option<String>,
    output: Option<String>,
}

fn parse_export_args(args: Vec<String>) -> Result<ExportArgs, u8> {
    let mut a = ExportArgs::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(&arg);
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| export_usage(&format!("{flag} needs {what}")))
        };
        match flag.as_str() {
            "-h" | "--help" => {
                println!("{EXPORT_USAGE}");
                return Err(0);
            }
            "--as" => {
                a.target = Some(match value("cfn, sam or cli")?.as_str() {
                    "cfn" | "cloudformation" => ExportTarget::Cfn,
                    "sam" => ExportTarget::Sam,
                    "cli" => ExportTarget::Cli,
                    other => {
                        return Err(export_usage(&format!(
                            "unknown target `{other}` (cfn, sam or cli)"
                        )));
                    }
                })
            }
            "--format" => {
                a.format = match value("json or yaml")?.as_str() {
                    "json" => ExportFormat::Json,
                    "yaml" | "yml" => ExportFormat::Yaml,
                    other => {
                        return Err(export_usage(&format!(
                            "unknown format `{other}` (json or yaml)"
                        )));
                    }
                }
            }
            "--type" => {
                a.machine_type = Some(
                    match value("STANDARD or EXPRESS")?.to_ascii_uppercase().as_str() {
                        "STANDARD" => MachineType::Standard,
                        "EXPRESS" => MachineType::Express,
                        other => {
                            return Err(export_usage(&format!(
                                "unknown type `{other}` (STANDARD or EXPRESS)"
                            )));
                        }
                    },
                )
            }
            "--name" => a.name = Some(value("a name")?),
            "--role-arn" => a.role_arn = Some(value("an ARN")?),
            "--logical-id" => a.logical_id = Some(value("a logical ID")?),
            "--substitutions" => a.substitutions = Some(value("a JSON file")?),
            "--from" => a.from = Some(value("a template")?),
            "--resource" => a.resource = Some(value("a logical ID")?),
            "--definition-file" => a.definition_file = Some(value("a path")?),
            "-o" | "--output" => a.output = Some(value("a file name")?),
            _ if arg.starts_with('-') && arg != "-" => {
                return Err(export_usage(&format!("unknown option `{arg}`")));
            }
            _ if a.machine.is_some() => return Err(export_usage("only one MACHINE at a time")),
            _ => a.machine = Some(arg),
        }
    }
    Ok(a)
}

/// Runs `asl export` and returns the exit code.
pub(crate) fn export(args: Vec<String>) -> u8 {
    let a = match parse_export_args(args) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let Some(machine) = a.machine.as_deref() else {
        return export_usage("missing MACHINE");
    };
    let Some(target) = a.target else {
        return export_usage("missing --as cfn|sam|cli");
    };
    let fail = |message: String| {
        eprintln!("asl export: {message}");
        1
    };
    let definition = match read_input(machine) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let mut options = ExportOptions {
        target,
        format: a.format,
        ..ExportOptions::default()
    };
    if let Some(from) = &a.from {
        let text = match read_input(from) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        let machines = match import_template(&text) {
            Ok(m) => m,
            Err(e) => return fail(format!("{from}: {e}")),
        };
        match pick(&machines, a.resource.as_deref(), "export") {
            Ok(m) => options = ExportOptions::from_import(m, target, a.format),
            Err(code) => return code,
        }
    }
    if let Some(path) = &a.substitutions {
        let text = match read_input(path) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => options.substitutions.extend(map),
            Ok(_) => return fail(format!("{path}: substitutions must be a JSON object")),
            Err(e) => return fail(format!("{path}: {e}")),
        }
    }
    if a.name.is_some() {
        options.name = a.name;
        options.name_expression = None;
    }
    if a.role_arn.is_some() {
        options.role_arn = a.role_arn;
    }
    if let Some(t) = a.machine_type {
        options.machine_type = t;
    }
    if a.logical_id.is_some() {
        options.logical_id = a.logical_id;
    }
    options.definition_file = a.definition_file;
    let text = match asl_iac::export(&definition, &options) {
        Ok(t) => t,
        Err(e) => return fail(e.to_string()),
    };
    match write_output(a.output.as_deref(), &text) {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}
