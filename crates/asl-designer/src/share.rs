//! Share links: a document (definition, layout overrides, input, mocks, settings) packed into a
//! URL fragment, `#doc=` + base64url (no padding) of deflate-raw of the document's JSON.
//!
//! The JSON is a studio document of version 1, the format `asl-embed` and `asl test` read:
//! `{"version": 1, "name", "definition", "testCases": [{"name", "input", "mocks", …}]}` (the
//! saved test cases, [`Settings::tests`], each with the mocks it runs with: see `portable_case`), where the definition is `text` instead when the text
//! is not its pretty JSON (YAML, own formatting, or a text that does not parse: the text is kept
//! as typed), plus what only the studio needs: `format`, `layout` and `settings` (the other
//! [`Settings`]: name, type, sample input, the MockConfigFile, the infrastructure record).
//! Decoding is defensive: a link is data from anywhere, so every size is bounded and every field
//! is checked; nothing in it is ever executed.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value, json};

use crate::document::{Document, Format, Settings};
use crate::layout::Layout;
use crate::simulation::tests::mock_file_case;

/// The fragment key of a shared document.
pub const FRAGMENT_KEY: &str = "doc";

/// Links longer than this (in characters) may be cut by chat tools, mail and some servers.
pub const WARN_LINK_CHARS: usize = 8_000;

/// The longest encoded document the studio writes or reads (characters after `#doc=`).
pub const MAX_LINK_CHARS: usize = 512 * 1024;

/// The largest document JSON a link may inflate to, so a small link cannot become gigabytes.
pub const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;

/// The longest document name kept from a link.
const MAX_NAME_CHARS: usize = 200;

/// The name of the test case written when the mocks have none.
const DEFAULT_CASE: &str = "Default";

/// A document read from a link.
#[derive(Clone, Debug)]
pub struct Shared {
    /// The name for the documents list.
    pub name: String,
    /// The document.
    pub document: Document,
    /// What was dropped while reading (a malformed layout, unknown mocks).
    pub notes: Vec<String>,
}

/// Why a link could not be written or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The encoded document exceeds [`MAX_LINK_CHARS`] or inflates beyond [`MAX_JSON_BYTES`].
    TooLarge {
        /// What is too large, for the message.
        what: String,
    },
    /// The link holds characters that base64url does not have.
    NotBase64,
    /// The compressed data is cut short or damaged.
    Corrupt(String),
    /// The inflated data is not a JSON document the studio can open.
    NotADocument(String),
    /// The document was written by a newer studio.
    UnsupportedVersion(u64),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::TooLarge { what } => write!(f, "{what}"),
            ShareError::NotBase64 => f.write_str(
                "the link is damaged: its #doc= part has characters a share link never has (was it edited?)",
            ),
            ShareError::Corrupt(m) => write!(f, "the link is damaged or incomplete ({m}); was it cut when copied?"),
            ShareError::NotADocument(m) => write!(f, "the link does not hold a state machine document: {m}"),
            ShareError::UnsupportedVersion(v) => write!(
                f,
                "the link was made by a newer ASL Studio (document version {v}; this one reads version 1)"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

fn engine() -> GeneralPurpose {
    GeneralPurpose::new(
        &alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    )
}

/// The document as share JSON (version 1), with `name` as its display name.
pub fn to_json(document: &Document, name: &str) -> Value {
    let mut out = Map::new();
    out.insert("version".into(), json!(1));
    if !name.is_empty() {
        out.insert("name".into(), json!(name));
    }
    let text = document.text();
    let definition = document.analysis().value.clone();
    let own_text = match &definition {
        Some(def) => {
            let pretty = serde_json::to_string_pretty(def).unwrap_or_default();
            document.format() == Format::Yaml || text != format!("{pretty}\n")
        }
        None => true,
    };
    // One or the other: the pretty JSON of the definition compresses no better than the text.
    match definition {
        Some(def) if !own_text => {
            out.insert("definition".into(), def);
        }
        _ => {
            out.insert("text".into(), json!(text));
        }
    }
    if document.format() == Format::Yaml {
        out.insert("format".into(), json!("yaml"));
    }
    if !document.layout().states.is_empty() {
        out.insert(
            "layout".into(),
            serde_json::to_value(document.layout()).unwrap_or(Value::Null),
        );
    }
    let settings = document.settings();
    // The saved test cases are the studio document's `testCases`, as `asl test` and the embed read
    // them: each carries the mocks it runs with, so the link works in any reader.
    if let Some(cases) = settings.tests.as_array().filter(|t| !t.is_empty()) {
        let cases = cases.iter().map(|c| portable_case(c, settings)).collect();
        out.insert("testCases".into(), Value::Array(cases));
    }
    let mut rest = match serde_json::to_value(settings) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    rest.remove("tests");
    rest.retain(|k, v| {
        !(v.is_null() || (k == "name" && v == "") || (k == "machine_type" && v == "STANDARD"))
    });
    if !rest.is_empty() {
        out.insert("settings".into(), Value::Object(rest));
    }
    Value::Object(out)
}

/// The key of a shared test case that lists which of its `mocks` are its own; the others came
/// from the mock file's test case named by `mockTestCase`.
const OWN_MOCKS: &str = "ownMocks";

/// A saved test case as a link carries it. A case that names a test case of the document's mock
/// file (`mockTestCase`) gets that test case's responses in `mocks` (its own entries win, as when
/// it runs), so readers that know nothing of the mock file (the embed, `asl test`) run it with its
/// mocks; `ownMocks` lists the entries that were its own, so the studio restores the reference.
/// A reference the mock file cannot answer is written as it is (see [`unresolved_cases`]).
fn portable_case(case: &Value, settings: &Settings) -> Value {
    let Some(obj) = case.as_object() else {
        return case.clone();
    };
    let Some(reference) = obj.get("mockTestCase").and_then(Value::as_str) else {
        return case.clone();
    };
    let Some(Value::Object(mut mocks)) =
        mock_file_case(&settings.test_cases, &settings.name, reference)
    else {
        return case.clone();
    };
    let own = obj.get("mocks").and_then(Value::as_object);
    let own_keys: Vec<Value> = own
        .map(|m| m.keys().map(|k| json!(k)).collect())
        .unwrap_or_default();
    for (state, answer) in own.into_iter().flatten() {
        mocks.insert(state.clone(), answer.clone());
    }
    let mut out = obj.clone();
    out.insert("mocks".into(), Value::Object(mocks));
    out.insert(OWN_MOCKS.into(), Value::Array(own_keys));
    Value::Object(out)
}

/// The inverse of [`portable_case`] for the studio, which keeps the mock file: a case's mocks
/// back to its own entries, so it follows later edits of the mock file's test case again.
fn studio_case(case: &Value) -> Value {
    let Some(obj) = case.as_object() else {
        return case.clone();
    };
    let Some(own) = obj.get(OWN_MOCKS) else {
        return case.clone();
    };
    let mut out = obj.clone();
    out.remove(OWN_MOCKS);
    if obj.get("mockTestCase").and_then(Value::as_str).is_none() {
        return Value::Object(out);
    }
    let keep: Vec<&str> = own
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mocks: Map<String, Value> = obj
        .get("mocks")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| keep.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    if mocks.is_empty() {
        out.remove("mocks");
    } else {
        out.insert("mocks".into(), Value::Object(mocks));
    }
    Value::Object(out)
}

/// The saved test cases whose `mockTestCase` the document's mock file does not have, as
/// `(test case, mock test case)`: they fail until the mocks are added or another is chosen.
pub fn unresolved_cases(settings: &Settings) -> Vec<(String, String)> {
    settings
        .tests
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|case| {
            let reference = case.get("mockTestCase")?.as_str()?;
            mock_file_case(&settings.test_cases, &settings.name, reference)
                .is_none()
                .then(|| {
                    let name = case
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("(unnamed)");
                    (name.to_owned(), reference.to_owned())
                })
        })
        .collect()
}

/// One sentence about the test cases [`unresolved_cases`] finds, or `None` when there are none.
pub fn unresolved_note(settings: &Settings) -> Option<String> {
    let missing = unresolved_cases(settings);
    if missing.is_empty() {
        return None;
    }
    let quoted = |s: &str| format!("\u{201c}{s}\u{201d}");
    Some(match missing.as_slice() {
        [(case, reference)] => format!(
            "The saved test case {} uses the mock test case {}, which the document's mocks do not have: it fails until {} is added to the mocks (Run mode, Input and mocks) or the test case uses other mocks.",
            quoted(case),
            quoted(reference),
            quoted(reference)
        ),
        _ => format!(
            "The saved test cases {} use mock test cases that the document's mocks do not have: they fail until those are added to the mocks (Run mode, Input and mocks) or the test cases use other mocks.",
            missing
                .iter()
                .map(|(case, reference)| format!(
                    "{} (mock test case {})",
                    quoted(case),
                    quoted(reference)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Encodes a document for `#doc=`; refuses documents whose link would exceed [`MAX_LINK_CHARS`].
pub fn encode(document: &Document, name: &str) -> Result<String, ShareError> {
    let json = to_json(document, name).to_string();
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    let encoded = engine().encode(deflated);
    if encoded.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLarge {
            what: format!(
                "the document is too large for a link ({} KB compressed; links hold up to {} KB). Save it as a file instead",
                encoded.len() / 1024,
                MAX_LINK_CHARS / 1024
            ),
        });
    }
    Ok(encoded)
}

/// The `doc` value of a URL fragment (`#doc=…`, possibly among other `key=value` pairs).
pub fn fragment_value(hash: &str) -> Option<&str> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    hash.split('&').find_map(|pair| {
        pair.strip_prefix(FRAGMENT_KEY)
            .and_then(|rest| rest.strip_prefix('='))
    })
}

/// Decodes the value after `#doc=` into a document.
pub fn decode(value: &str) -> Result<Shared, ShareError> {
    let value = value.trim();
    if value.len() > MAX_LINK_CHARS * 4 {
        return Err(ShareError::TooLarge {
            what: format!(
                "the link is too long to open (more than {} KB)",
                MAX_LINK_CHARS * 4 / 1024
            ),
        });
    }
    if value.is_empty() {
        return Err(ShareError::NotADocument("the #doc= part is empty".into()));
    }
    // Links pass through mail and chat tools: accept the standard alphabet and `%3D` padding too.
    let cleaned: String = value
        .trim_end_matches("%3D")
        .trim_end_matches("%3d")
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    if !cleaned
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ShareError::NotBase64);
    }
    let bytes = engine()
        .decode(cleaned.as_bytes())
        .map_err(|_| ShareError::Corrupt("its #doc= part ends too early".into()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_JSON_BYTES).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                what: format!(
                    "the link's document inflates to more than {} MB, which is more than a studio document can be",
                    MAX_JSON_BYTES / (1024 * 1024)
                ),
            },
            miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => {
                ShareError::Corrupt("the compressed data ends too early".into())
            }
            _ => ShareError::Corrupt("the compressed data is not valid".into()),
        },
    )?;
    let text = std::str::from_utf8(&json)
        .map_err(|_| ShareError::NotADocument("the data is not UTF-8 text".into()))?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ShareError::NotADocument(format!("the data is not JSON ({e})")))?;
    from_json(&value)
}

/// A link made outside the studio (the embed's "Open in ASL Studio") has no settings: its first
/// test case's input and per-state mocks become the Run mode's input and MockConfigFile.
fn from_embed(case: &Value, settings: &mut Settings, notes: &mut Vec<String>) {
    let case_name = case
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_CASE);
    if let Some(input) = case.get("input") {
        settings.sample_inputs = json!({ "default": input });
    }
    match case.get("mocks") {
        None | Some(Value::Null) => {}
        Some(m) if m.get("StateMachines").is_some() || m.get("MockedResponses").is_some() => {
            settings.test_cases = m.clone();
        }
        Some(m) => match asl_interp::mock::Mocks::from_state_map(m) {
            Ok(mocks) => settings.test_cases = mocks.to_mock_config("StateMachine", case_name),
            Err(e) => notes.push(format!("The mocks were left out: {}", e.message)),
        },
    }
}

/// Reads share JSON (or a bare definition) into a document.
pub fn from_json(value: &Value) -> Result<Shared, ShareError> {
    let Some(obj) = value.as_object() else {
        return Err(ShareError::NotADocument("it is not a JSON object".into()));
    };
    let is_document = obj.contains_key("definition") || obj.contains_key("text");
    if !is_document {
        // A bare definition, as the embed's reader accepts.
        if !obj.contains_key("States") && !obj.contains_key("StartAt") {
            return Err(ShareError::NotADocument(
                "it has neither a \"definition\" nor \"States\"".into(),
            ));
        }
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
        return Ok(Shared {
            name: "Shared state machine".into(),
            document: Document::new(&text),
            notes: Vec::new(),
        });
    }
    match obj.get("version") {
        None => {}
        Some(v) if v.as_u64() == Some(1) => {}
        Some(v) => match v.as_u64() {
            Some(n) => return Err(ShareError::UnsupportedVersion(n)),
            None => {
                return Err(ShareError::NotADocument(
                    "\"version\" is not a number".into(),
                ));
            }
        },
    }
    let mut notes = Vec::new();
    let format = match obj.get("format").and_then(Value::as_str) {
        Some("yaml") => Some(Format::Yaml),
        Some("json") => Some(Format::Json),
        _ => None,
    };
    let text = match (obj.get("text"), obj.get("definition")) {
        (Some(Value::String(t)), _) => t.clone(),
        (Some(_), _) => return Err(ShareError::NotADocument("\"text\" is not a string".into())),
        (None, Some(def)) if def.is_object() => format!(
            "{}\n",
            serde_json::to_string_pretty(def).unwrap_or_default()
        ),
        (None, _) => {
            return Err(ShareError::NotADocument(
                "\"definition\" is not an object".into(),
            ));
        }
    };
    let mut document = match format {
        Some(f) => Document::with_format(&text, f),
        None => Document::new(&text),
    };
    if let Some(layout) = obj.get("layout").filter(|l| !l.is_null()) {
        match Layout::from_value(layout.clone()) {
            Ok(layout) => document = document.with_layout(layout),
            Err(e) => notes.push(format!("The layout was left out: {e}")),
        }
    }
    let from_studio = obj.get("settings").is_some();
    let mut settings = match obj.get("settings") {
        Some(s) if s.is_object() => {
            serde_json::from_value::<Settings>(s.clone()).unwrap_or_else(|e| {
                notes.push(format!("The settings were left out: {e}"));
                Settings::default()
            })
        }
        _ => Settings::default(),
    };
    match obj.get("testCases") {
        None | Some(Value::Null) => {}
        Some(Value::Array(cases)) => {
            if from_studio {
                settings.tests = Value::Array(cases.iter().map(studio_case).collect());
            } else {
                settings.tests = Value::Array(cases.clone());
                if let Some(case) = cases.first() {
                    from_embed(case, &mut settings, &mut notes);
                }
            }
        }
        Some(_) => notes.push("The test cases were left out: \"testCases\" is not a list.".into()),
    }
    notes.extend(unresolved_note(&settings));
    if settings != Settings::default() {
        document = document.with_settings(settings);
    }
    let name: String = obj
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("Shared state machine")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let name = if name.trim().is_empty() {
        "Shared state machine".to_owned()
    } else {
        name
    };
    Ok(Shared {
        name,
        document,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::layout::Layout;
    use crate::templates::TEMPLATES;

    fn test_data() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/share")
    }

    /// Compares `actual` with a golden file (`UPDATE_EXPECT=1` rewrites it).
    fn check(name: &str, actual: &str) {
        let path = test_data().join(name);
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, actual).unwrap();
            return;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            expected == actual,
            "{} differs (run with UPDATE_EXPECT=1 to accept):\n--- actual ---\n{actual}",
            path.display()
        );
    }

    fn same(a: &Document, b: &Document) {
        assert_eq!(a.text(), b.text());
        assert_eq!(a.format(), b.format());
        assert_eq!(a.layout(), b.layout());
        assert_eq!(a.settings(), b.settings());
    }

    fn round_trip(doc: &Document, name: &str) -> Shared {
        let link = encode(doc, name).unwrap();
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let back = decode(&link).unwrap();
        same(doc, &back.document);
        assert_eq!(back.name, name);
        assert!(back.notes.is_empty(), "{:?}", back.notes);
        back
    }

    #[test]
    fn every_template_round_trips_with_its_input_and_mocks() {
        for t in TEMPLATES {
            round_trip(&t.document(), t.title);
        }
    }

    #[test]
    fn yaml_own_formatting_broken_text_and_layout_round_trip() {
        let yaml = "# comment kept\nStartAt: A\nStates:\n  A: {Type: Succeed}\n";
        round_trip(&Document::new(yaml), "yaml");
        let own = "{ \"StartAt\": \"A\",\n\t\"States\": { \"A\": { \"Type\": \"Pass\", \"End\": true } } }";
        round_trip(&Document::new(own), "tabs");
        round_trip(&Document::new("{ \"StartAt\": \"A\", "), "half typed");
        let mut layout = Layout::new();
        layout.set_position("A", Some([10.5, 20.0]));
        layout.set_collapsed("A", true);
        let doc = Document::new(crate::document::EMPTY_JSON)
            .with_layout(layout)
            .with_settings(Settings {
                name: "Orders".into(),
                machine_type: crate::document::MachineType::Express,
                sample_inputs: json!({"default": {"a": 1}, "other": [1]}),
                tests: json!([{"name": "T1", "input": {"a": 2}, "mocks": {"A": [{"Return": 1}]}, "expect": {"status": "SUCCEEDED"}}]),
                infrastructure: json!({"logicalId": "Orders", "substitutions": {"X": {"Ref": "Y"}}}),
                ..Settings::default()
            });
        round_trip(&doc, "€ unicode ✓");
    }

    #[test]
    fn share_json_of_a_template() {
        let t = crate::templates::template("error-fallback").unwrap();
        let mut layout = Layout::new();
        layout.set_position("Fallback", Some([100.0, 200.0]));
        let doc = t.document().with_layout(layout);
        let json = to_json(&doc, t.title);
        check(
            "error_fallback.json",
            &(serde_json::to_string_pretty(&json).unwrap() + "\n"),
        );
    }

    #[test]
    fn links_made_by_the_embed_script_open() {
        // Written by `encodeDoc` of www/embed/asl-embed.js (CompressionStream 'deflate-raw').
        let mut out = String::new();
        for line in std::fs::read_to_string(test_data().join("embed_links.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let shared = decode(line).unwrap();
            let _ = writeln!(out, "name: {}", shared.name);
            let _ = writeln!(out, "notes: {:?}", shared.notes);
            let _ = writeln!(
                out,
                "settings: {}",
                serde_json::to_string(shared.document.settings()).unwrap()
            );
            let _ = writeln!(out, "text:\n{}", shared.document.text());
        }
        check("embed_links.out", &out);
    }

    /// Runs the test cases of a share JSON as a reader without the studio's mock file does (the
    /// embed, `asl test`): `testCases` and the definition only.
    fn run_elsewhere(share: &Value) -> crate::simulation::tests::TestReport {
        let definition = match share.get("definition") {
            Some(d) => d.clone(),
            // The template's own formatting: JSON text, so a JSON reader reads it.
            None => serde_json::from_str(share["text"].as_str().unwrap()).unwrap(),
        };
        crate::simulation::tests::run_test_cases(&json!({
            "version": 1,
            "definition": definition,
            "testCases": share["testCases"],
        }))
        .unwrap()
    }

    fn outcomes(report: &crate::simulation::tests::TestReport) -> String {
        let mut out = String::new();
        for c in &report.cases {
            let _ = writeln!(
                out,
                "  {}: {} {}{}",
                c.name,
                if c.passed { "pass" } else { "FAIL" },
                c.status,
                c.reason
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            );
        }
        out
    }

    #[test]
    fn test_cases_that_use_the_mock_file_carry_their_mocks() {
        // The template's mock file has the test cases "Charged" and "Declined".
        let t = crate::templates::template("error-fallback").unwrap();
        let doc = t.document();
        let mut settings = doc.settings().clone();
        settings.tests = json!([
            {"name": "charged", "mockTestCase": "Charged", "expect": {"status": "SUCCEEDED"}},
            {"name": "declined", "mockTestCase": "Declined", "expect": {"status": "FAILED", "error": "PaymentFailed"}},
            {
                "name": "declined, support down",
                "mockTestCase": "Declined",
                "mocks": {"Notify support": {"0": {"Throw": {"Error": "SNS.Down", "Cause": "no topic"}}}},
                "expect": {"status": "FAILED", "error": "SNS.Down"}
            },
            {"name": "plain mocks", "input": {"card": "x"}, "mocks": {"Charge card": [{"Return": {"Payload": {"ok": 1}}}]}},
            {"name": "renamed away", "mockTestCase": "Refunded"}
        ]);
        let doc = doc.with_settings(settings);
        let share = to_json(&doc, t.title);
        let mut out = String::new();
        let _ = writeln!(out, "in the studio that made the link:");
        out += &outcomes(
            &crate::simulation::tests::run_test_cases(&crate::simulation::tests::studio_document(
                doc.machine_value().0.unwrap(),
                doc.settings(),
            ))
            .unwrap(),
        );
        let _ = writeln!(out, "elsewhere (testCases and the definition only):");
        out += &outcomes(&run_elsewhere(&share));
        // The studio that opens the link gets the test cases back as they were saved, references
        // included, and is told which one names a mock test case the mock file lacks.
        let link = encode(&doc, t.title).unwrap();
        let back = decode(&link).unwrap();
        assert_eq!(back.document.settings(), doc.settings());
        let _ = writeln!(out, "opened in a studio, notes:");
        for note in &back.notes {
            let _ = writeln!(out, "  {note}");
        }
        let _ = writeln!(
            out,
            "testCases as the link carries them:\n{}",
            serde_json::to_string_pretty(&share["testCases"]).unwrap()
        );
        check("mock_test_cases.txt", &out);
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        let bomb = engine().encode(miniz_oxide::deflate::compress_to_vec(
            &vec![b' '; MAX_JSON_BYTES + 1],
            9,
        ));
        let deflate =
            |s: &str| engine().encode(miniz_oxide::deflate::compress_to_vec(s.as_bytes(), 6));
        let good = encode(&Document::default(), "x").unwrap();
        let cases: Vec<(&str, String)> = vec![
            ("empty", String::new()),
            ("not base64", "abc$def".into()),
            ("truncated", good[..good.len() / 2].to_owned()),
            (
                "truncated at a base64 boundary",
                good[..(good.len() / 2) & !3].to_owned(),
            ),
            ("cut by one character", good[..good.len() - 1].to_owned()),
            ("not deflate", "AAAAAAAAAAAAAAAA".into()),
            ("not json", deflate("hello")),
            ("an array", deflate("[1, 2]")),
            (
                "no definition",
                deflate("{\"version\": 1, \"name\": \"x\"}"),
            ),
            ("definition not an object", deflate("{\"definition\": 3}")),
            ("text not a string", deflate("{\"text\": 3}")),
            (
                "newer version",
                deflate("{\"version\": 2, \"definition\": {}}"),
            ),
            ("inflates too much", bomb),
            ("too long", "A".repeat(MAX_LINK_CHARS * 4 + 1)),
        ];
        let mut out = String::new();
        for (what, link) in cases {
            let _ = writeln!(out, "{what}: {}", decode(&link).unwrap_err());
        }
        // Bad layout and mocks are left out with a note; the definition still opens.
        let partial = deflate(
            "{\"version\": 1, \"definition\": {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}, \"layout\": {\"version\": 99}, \"testCases\": [{\"name\": \"T\", \"mocks\": {\"A\": 3}}]}",
        );
        let shared = decode(&partial).unwrap();
        let _ = writeln!(out, "partial notes: {:?}", shared.notes);
        check("errors.txt", &out);
    }

    #[test]
    fn names_are_cleaned_and_fragments_found() {
        let shared =
            from_json(&json!({"name": "a\u{0}b\nc", "definition": {"StartAt": "A", "States": {}}}))
                .unwrap();
        assert_eq!(shared.name, "abc");
        let shared = from_json(&json!({"name": "  ", "definition": {}})).unwrap();
        assert_eq!(shared.name, "Shared state machine");
        assert_eq!(fragment_value("#doc=abc"), Some("abc"));
        assert_eq!(fragment_value("#theme=dark&doc=abc&x=1"), Some("abc"));
        assert_eq!(fragment_value("#document=abc"), None);
        assert_eq!(fragment_value(""), None);
    }

    #[test]
    fn a_document_too_large_for_a_link_is_refused() {
        // Incompressible text: many distinct state names.
        let mut states = Map::new();
        let mut seed: u64 = 1;
        for i in 0..60_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            states.insert(format!("S{i}-{seed:x}"), json!({"Type": "Succeed"}));
        }
        let text = serde_json::to_string(&json!({"StartAt": "S0", "States": states})).unwrap();
        let err = encode(&Document::new(&text), "big").unwrap_err();
        assert!(matches!(err, ShareError::TooLarge { .. }), "{err}");
    }
}
