//! Infrastructure round trip: import a state machine from a CloudFormation or SAM template (file
//! or paste, JSON or YAML, pick one when there are several) and export the document as a
//! CloudFormation or SAM snippet or an AWS CLI `create-state-machine` command.
//!
//! What the import found (logical ID, `DefinitionSubstitutions`, `Fn::Sub` variables, role, the
//! form the definition was written in) is kept in the document's settings (`infrastructure`), so
//! an export writes it back; `${...}` placeholders stay in the definition text as they were.

use asl_designer::{Document, MachineType as DocType, Settings};
use asl_iac::{
    ExportFormat, ExportOptions, ExportTarget, ImportedMachine, MachineType, ResourceType,
    SourceForm,
};
use leptos::prelude::*;
use serde_json::{Map, Value, json};

use crate::contexts::{Studio, use_studio};
use crate::platform::files;
use crate::ui::dialogs::{DialogFrame, use_dialogs};
use crate::ui::file_button::FileButton;
use crate::ui::header::file_stem;

fn form_name(form: &SourceForm) -> &'static str {
    match form {
        SourceForm::Definition => "Definition",
        SourceForm::DefinitionString => "DefinitionString",
        SourceForm::Sub => "DefinitionString (Fn::Sub)",
        SourceForm::Join => "DefinitionString (Fn::Join)",
        SourceForm::External { .. } => "an external file",
    }
}

/// The settings' record of where an imported machine came from.
fn record(m: &ImportedMachine, template_yaml: bool) -> Value {
    let mut out = Map::new();
    out.insert("logicalId".into(), json!(m.logical_id));
    out.insert(
        "resourceType".into(),
        json!(match m.resource_type {
            ResourceType::StepFunctions => "AWS::StepFunctions::StateMachine",
            ResourceType::Serverless => "AWS::Serverless::StateMachine",
        }),
    );
    if let Some(name) = &m.name {
        out.insert("name".into(), json!(name));
    }
    if let Some(e) = &m.name_expression {
        out.insert("nameExpression".into(), e.clone());
    }
    if let Some(role) = &m.role {
        out.insert("role".into(), role.clone());
    }
    out.insert(
        "sourceForm".into(),
        json!(match m.source_form {
            SourceForm::DefinitionString => "DefinitionString",
            SourceForm::Sub => "Sub",
            SourceForm::Join => "Join",
            _ => "Definition",
        }),
    );
    out.insert(
        "substitutions".into(),
        Value::Object(m.substitutions.clone()),
    );
    out.insert(
        "subVariables".into(),
        Value::Object(m.sub_variables.clone()),
    );
    out.insert(
        "templateFormat".into(),
        json!(if template_yaml { "yaml" } else { "json" }),
    );
    Value::Object(out)
}

/// Export options for the document: what its import recorded, else its name and type.
fn options(
    settings: &Settings,
    doc_name: &str,
    target: ExportTarget,
    format: ExportFormat,
) -> ExportOptions {
    let r = &settings.infrastructure;
    let text = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_owned);
    let object = |k: &str| {
        r.get(k)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let name = text("name").or_else(|| {
        let n = if settings.name.is_empty() {
            doc_name
        } else {
            settings.name.as_str()
        };
        (!n.trim().is_empty() && r.get("nameExpression").is_none()).then(|| n.to_owned())
    });
    ExportOptions {
        target,
        format,
        logical_id: text("logicalId"),
        name,
        name_expression: r.get("nameExpression").cloned(),
        role_arn: None,
        role: r.get("role").cloned(),
        machine_type: match settings.machine_type {
            DocType::Standard => MachineType::Standard,
            DocType::Express => MachineType::Express,
        },
        substitutions: object("substitutions"),
        sub_variables: object("subVariables"),
        source_form: match text("sourceForm").as_deref() {
            Some("DefinitionString") => SourceForm::DefinitionString,
            Some("Sub") => SourceForm::Sub,
            Some("Join") => SourceForm::Join,
            _ => SourceForm::Definition,
        },
        definition_file: None,
    }
}

fn open_machine(studio: &Studio, m: &ImportedMachine, template_yaml: bool) {
    let settings = Settings {
        name: m.name.clone().unwrap_or_default(),
        machine_type: match m.machine_type {
            MachineType::Standard => DocType::Standard,
            MachineType::Express => DocType::Express,
        },
        infrastructure: record(m, template_yaml),
        ..Settings::default()
    };
    let doc = Document::new(&m.definition_text).with_settings(settings);
    let name = m.name.clone().unwrap_or_else(|| m.logical_id.clone());
    studio.open_new(doc, name);
    let mut message = format!(
        "Imported {} from the template as a new document.",
        m.logical_id
    );
    let kept = m.substitutions.len() + m.sub_variables.len();
    if kept > 0 {
        message.push_str(&format!(
            " {kept} substitution{} kept for export.",
            if kept == 1 { " is" } else { "s are" }
        ));
    }
    for note in &m.notes {
        message.push(' ');
        message.push_str(note);
    }
    studio.notice.set(Some(message));
}

/// The import dialog: paste or open a template, then pick a state machine.
#[component]
pub fn ImportDialog() -> impl IntoView {
    let studio = use_studio();
    let dialogs = use_dialogs();
    let text = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<ImportedMachine>, String>>);
    let read = move || {
        let t = text.get_untracked();
        if t.trim().is_empty() {
            found.set(Some(Err("Paste a template or open a file first.".into())));
            return;
        }
        let yaml = asl_core::detect_format(&t) == asl_core::Format::Yaml;
        match asl_iac::import_template(&t) {
            Ok(machines) => {
                let importable: Vec<&ImportedMachine> = machines
                    .iter()
                    .filter(|m| !matches!(m.source_form, SourceForm::External { .. }))
                    .collect();
                if machines.len() == 1 && importable.len() == 1 {
                    open_machine(&studio, importable[0], yaml);
                    dialogs.close();
                } else {
                    found.set(Some(Ok(machines)));
                }
            }
            Err(e) => found.set(Some(Err(format!("Nothing was imported: {e}.")))),
        }
    };
    let machines = move || {
        let t = text.get_untracked();
        let yaml = asl_core::detect_format(&t) == asl_core::Format::Yaml;
        match found.get() {
            None => ().into_any(),
            Some(Err(message)) => view! {
                <p class="dialog-error" role="alert" data-testid="iac-import-error">{message}</p>
            }
            .into_any(),
            Some(Ok(list)) => view! {
                <p>{format!("The template has {} state machines. Open which one?", list.len())}</p>
                <ul class="iac-machines" data-testid="iac-machines">
                    {list
                        .into_iter()
                        .map(|m| {
                            let external = match &m.source_form {
                                SourceForm::External { location } => Some(location.clone()),
                                _ => None,
                            };
                            let detail = format!(
                                "{} · {} · {}{}",
                                match m.resource_type {
                                    ResourceType::StepFunctions => "CloudFormation",
                                    ResourceType::Serverless => "SAM",
                                },
                                m.machine_type.as_str(),
                                form_name(&m.source_form),
                                match m.substitutions.len() + m.sub_variables.len() {
                                    0 => String::new(),
                                    n => format!(" · {n} substitutions"),
                                },
                            );
                            let id = m.logical_id.clone();
                            let label = match &m.name {
                                Some(n) => format!("{} ({n})", m.logical_id),
                                None => m.logical_id.clone(),
                            };
                            view! {
                                <li>
                                    <button
                                        data-testid="iac-machine"
                                        data-logical-id=id
                                        prop:disabled=external.is_some()
                                        on:click=move |_| {
                                            open_machine(&studio, &m, yaml);
                                            dialogs.close();
                                        }
                                    >
                                        {label}
                                    </button>
                                    <span class="dialog-meta">{detail}</span>
                                    {external.map(|l| view! {
                                        <span class="dialog-meta">
                                            {format!(" — the definition is in {l}, which cannot be read here")}
                                        </span>
                                    })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        }
    };
    view! {
        <DialogFrame title="Import from CloudFormation or SAM" test_id="iac-import-dialog">
            <p class="dialog-hint">
                "Paste a CloudFormation or SAM template (JSON or YAML) or open its file. "
                "The state machine opens as a new document; ${…} placeholders stay as they are and "
                "DefinitionSubstitutions are kept for the export."
            </p>
            <textarea
                class="dialog-text"
                rows="12"
                spellcheck="false"
                data-testid="iac-template"
                aria-label="Template"
                placeholder="AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  …"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    found.set(None);
                }
            ></textarea>
            {machines}
            <div class="dialog-actions end">
                <FileButton
                    label="Open file…"
                    test_id="iac-open-file"
                    input_test_id="iac-file-input"
                    accept=".json,.yaml,.yml,.template,.txt"
                    on_file=move |_, t| {
                        text.set(t);
                        read();
                    }
                />
                <button class="primary" data-testid="iac-read" on:click=move |_| read()>
                    "Import"
                </button>
                <button data-testid="iac-import-close" on:click=move |_| dialogs.close()>
                    "Cancel"
                </button>
            </div>
        </DialogFrame>
    }
}

/// The export dialog: CloudFormation, SAM or the AWS CLI, with copy and download.
#[component]
pub fn ExportDialog() -> impl IntoView {
    let studio = use_studio();
    let dialogs = use_dialogs();
    let (settings, text) = studio.with(|d| (d.document().settings().clone(), d.text().to_owned()));
    let recorded_yaml = settings
        .infrastructure
        .get("templateFormat")
        .and_then(Value::as_str)
        != Some("json");
    let sam_import = settings
        .infrastructure
        .get("resourceType")
        .and_then(Value::as_str)
        == Some("AWS::Serverless::StateMachine");
    let target = RwSignal::new(if sam_import { "sam" } else { "cfn" }.to_owned());
    let yaml = RwSignal::new(recorded_yaml);
    let logical_id = RwSignal::new(
        settings
            .infrastructure
            .get("logicalId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
    );
    let role_arn = RwSignal::new(String::new());
    let doc_name = studio.current_name();
    let stem = file_stem(&studio);
    let output = Memo::new(move |_| {
        let t = match target.get().as_str() {
            "sam" => ExportTarget::Sam,
            "cli" => ExportTarget::Cli,
            _ => ExportTarget::Cfn,
        };
        let f = if yaml.get() {
            ExportFormat::Yaml
        } else {
            ExportFormat::Json
        };
        let mut o = options(&settings, &doc_name, t, f);
        let id = logical_id.get();
        if !id.trim().is_empty() {
            o.logical_id = Some(id.trim().to_owned());
        }
        let role = role_arn.get();
        if !role.trim().is_empty() {
            o.role_arn = Some(role.trim().to_owned());
        }
        asl_iac::export(&text, &o).map_err(|e| format!("Cannot export: {e}."))
    });
    let filename = move || {
        let ext = if yaml.get() { "yaml" } else { "json" };
        match target.get().as_str() {
            "sam" => format!("{stem}.sam.{ext}"),
            "cli" => format!("{stem}.create-state-machine.sh"),
            _ => format!("{stem}.cfn.{ext}"),
        }
    };
    let copied = RwSignal::new(None::<bool>);
    view! {
        <DialogFrame title="Export as infrastructure code" test_id="iac-export-dialog">
            <div class="dialog-row">
                <label>
                    "As "
                    <select
                        data-testid="iac-target"
                        prop:value=move || target.get()
                        on:change=move |ev| {
                            target.set(event_target_value(&ev));
                            copied.set(None);
                        }
                    >
                        <option value="cfn">"CloudFormation"</option>
                        <option value="sam">"SAM"</option>
                        <option value="cli">"AWS CLI create-state-machine"</option>
                    </select>
                </label>
                <label class:hidden=move || target.get() == "cli">
                    "Syntax "
                    <select
                        data-testid="iac-format"
                        prop:value=move || if yaml.get() { "yaml" } else { "json" }
                        on:change=move |ev| yaml.set(event_target_value(&ev) == "yaml")
                    >
                        <option value="yaml">"YAML"</option>
                        <option value="json">"JSON"</option>
                    </select>
                </label>
                <label class:hidden=move || target.get() == "cli">
                    "Logical ID "
                    <input
                        data-testid="iac-logical-id"
                        placeholder="StateMachine"
                        prop:value=move || logical_id.get()
                        on:input=move |ev| logical_id.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Role ARN "
                    <input
                        data-testid="iac-role-arn"
                        placeholder="as imported, or a placeholder"
                        prop:value=move || role_arn.get()
                        on:input=move |ev| role_arn.set(event_target_value(&ev))
                    />
                </label>
            </div>
            {move || match output.get() {
                Ok(out) => view! {
                    <textarea
                        class="dialog-text"
                        readonly
                        rows="16"
                        spellcheck="false"
                        data-testid="iac-output"
                        aria-label="Exported text"
                        prop:value=out
                    ></textarea>
                }
                .into_any(),
                Err(message) => view! {
                    <p class="dialog-error" role="alert" data-testid="iac-export-error">{message}</p>
                }
                .into_any(),
            }}
            <div class="dialog-actions end">
                <span class="dialog-status" role="status" data-testid="iac-copied">
                    {move || match copied.get() {
                        Some(true) => "Copied to the clipboard.",
                        Some(false) => "The browser did not allow copying: select the text and copy it.",
                        None => "",
                    }}
                </span>
                <button
                    data-testid="iac-copy"
                    prop:disabled=move || output.with(Result::is_err)
                    on:click=move |_| {
                        if let Ok(out) = output.get_untracked() {
                            files::copy_text_then(&out, move |ok| copied.set(Some(ok)));
                        }
                    }
                >
                    "Copy"
                </button>
                <button
                    data-testid="iac-download"
                    prop:disabled=move || output.with(Result::is_err)
                    on:click=move |_| {
                        if let Ok(out) = output.get_untracked() {
                            let mime = if target.get_untracked() == "cli" {
                                "text/x-shellscript"
                            } else if yaml.get_untracked() {
                                "application/yaml"
                            } else {
                                "application/json"
                            };
                            files::download_text(&filename(), mime, &out);
                        }
                    }
                >
                    "Download"
                </button>
                <button data-testid="iac-export-close" on:click=move |_| dialogs.close()>
                    "Close"
                </button>
            </div>
        </DialogFrame>
    }
}
