//! `asl validate FILE... [--format text|json|aws] [--type standard|express]`: parse and validate definitions.

use asl_core::{Format, MachineType, Severity, ValidateOptions, check_with, detect_format, report};

const HELP: &str = "\
asl validate FILE... [--format text|json|aws] [--type standard|express]

Checks Amazon States Language definitions (JSON or YAML) and prints diagnostics.
  --format text   file:line:col: severity[CODE]: message (default)
  --format json   one entry per file with code, severity, message, pointer, line, column, span
  --format aws    the shape of AWS ValidateStateMachineDefinition, one entry per file
  --type          the machine type; express enables the Express-only checks
Exit codes: 0 no errors, 1 some file has an error, 2 unusable arguments or unreadable file.";

enum Output {
    Text,
    Json,
    Aws,
}

pub(crate) fn run(args: Vec<String>) -> u8 {
    let mut files = Vec::new();
    let mut output = Output::Text;
    let mut opts = ValidateOptions::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                return 0;
            }
            "--format" | "--type" => {
                let Some(value) = inline.or_else(|| it.next()) else {
                    eprintln!("asl validate: {flag} needs a value\n\n{HELP}");
                    return 2;
                };
                match (flag.as_str(), value.as_str()) {
                    ("--format", "text") => output = Output::Text,
                    ("--format", "json") => output = Output::Json,
                    ("--format", "aws") => output = Output::Aws,
                    ("--type", v) if v.eq_ignore_ascii_case("standard") => {
                        opts.machine_type = Some(MachineType::Standard)
                    }
                    ("--type", v) if v.eq_ignore_ascii_case("express") => {
                        opts.machine_type = Some(MachineType::Express)
                    }
                    _ => {
                        eprintln!("asl validate: unknown value `{value}` for {flag}\n\n{HELP}");
                        return 2;
                    }
                }
            }
            f if f.starts_with('-') && f != "-" => {
                eprintln!("asl validate: unknown flag `{f}`\n\n{HELP}");
                return 2;
            }
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        eprintln!("asl validate: no files given\n\n{HELP}");
        return 2;
    }
    let mut texts = Vec::new();
    for file in &files {
        match std::fs::read_to_string(file) {
            Ok(t) => texts.push(t),
            Err(e) => {
                eprintln!("asl validate: cannot read {file}: {e}");
                return 2;
            }
        }
    }
    let mut failed = false;
    let mut json_out = Vec::new();
    for (file, text) in files.iter().zip(&texts) {
        let lower = file.to_ascii_lowercase();
        let format = if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else if lower.ends_with(".json") {
            Format::Json
        } else {
            detect_format(text)
        };
        let (_, diags) = check_with(text, format, &opts);
        failed |= diags.iter().any(|d| d.severity == Severity::Error);
        match output {
            Output::Text => print!("{}", report::to_text(file, text, &diags)),
            Output::Json => json_out.push(report::to_json(file, text, &diags)),
            Output::Aws => {
                let mut v = report::to_aws(&diags);
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("file".to_owned(), serde_json::Value::String(file.clone()));
                }
                json_out.push(v);
            }
        }
    }
    if !matches!(output, Output::Text) {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_out).unwrap_or_default()
        );
    }
    u8::from(failed)
}
