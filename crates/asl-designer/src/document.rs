//! The document: the definition text (JSON or YAML), the layout sidecar and the document
//! settings, with the parse of the text cached per revision.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalogue::QueryLanguage;
use crate::layout::Layout;
use crate::outline::Outline;
use crate::syntax::{self, Node, SyntaxError};
use crate::text::Span;
use crate::yaml;

/// The text format of a definition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// JSON.
    #[default]
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// Guesses the format: JSON when the first non-space character is `{` or `[`.
    pub fn detect(text: &str) -> Format {
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{' | '[') | None => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// STANDARD or EXPRESS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MachineType {
    /// A standard workflow.
    #[default]
    #[serde(rename = "STANDARD")]
    Standard,
    /// An express workflow.
    #[serde(rename = "EXPRESS")]
    Express,
}

/// Document settings kept beside the definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The state machine name.
    #[serde(default)]
    pub name: String,
    /// STANDARD or EXPRESS.
    #[serde(default)]
    pub machine_type: MachineType,
    /// Sample inputs, as the app stores them (opaque here).
    #[serde(default)]
    pub sample_inputs: Value,
    /// The mocks, as a Step Functions Local `MockConfigFile` (opaque here).
    #[serde(default)]
    pub test_cases: Value,
    /// The named test cases: the `testCases` array of a studio document (see
    /// [`crate::simulation::tests`]).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub tests: Value,
    /// Where the machine came from in a CloudFormation or SAM template (logical ID,
    /// substitutions, role), as the app stores it (opaque here), so an export writes it back.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub infrastructure: Value,
}

/// What was read from one revision of the text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// The spanned tree, when the text is well-formed.
    pub tree: Option<Node>,
    /// The definition as a JSON value, when the text is well-formed.
    pub value: Option<Value>,
    /// States, scopes and transitions.
    pub outline: Outline,
    /// The first syntax error, when the text is not well-formed.
    pub error: Option<SyntaxError>,
}

impl Analysis {
    /// Reads a text.
    pub fn new(text: &str, format: Format) -> Analysis {
        let parsed = match format {
            Format::Json => syntax::parse(text),
            Format::Yaml => yaml::parse(text),
        };
        match parsed {
            Ok(tree) => Analysis {
                outline: Outline::new(&tree),
                value: Some(tree.to_value()),
                tree: Some(tree),
                error: None,
            },
            Err(error) => Analysis {
                error: Some(error),
                ..Analysis::default()
            },
        }
    }

    /// Returns true when the text was read without a syntax error.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}

/// One immutable revision of the document; history keeps these behind `Arc`.
#[derive(Debug)]
pub struct Document {
    text: Arc<str>,
    format: Format,
    layout: Arc<Layout>,
    settings: Arc<Settings>,
    analysis: OnceLock<Arc<Analysis>>,
    diagnostics: OnceLock<Arc<Vec<asl_core::Diagnostic>>>,
    last_good: Option<Arc<Analysis>>,
}

impl Clone for Document {
    fn clone(&self) -> Self {
        let analysis = OnceLock::new();
        if let Some(a) = self.analysis.get() {
            let _ = analysis.set(a.clone());
        }
        let diagnostics = OnceLock::new();
        if let Some(d) = self.diagnostics.get() {
            let _ = diagnostics.set(d.clone());
        }
        Document {
            text: self.text.clone(),
            format: self.format,
            layout: self.layout.clone(),
            settings: self.settings.clone(),
            analysis,
            diagnostics,
            last_good: self.last_good.clone(),
        }
    }
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && self.format == other.format
            && self.layout == other.layout
            && self.settings == other.settings
    }
}

/// The text of a new, empty document.
pub const EMPTY_JSON: &str = "{\n  \"Comment\": \"A description of my state machine\",\n  \"StartAt\": \"\",\n  \"States\": {}\n}\n";

impl Default for Document {
    fn default() -> Self {
        Document::new(EMPTY_JSON)
    }
}

impl Document {
    /// Creates a document from text, detecting its format.
    pub fn new(text: &str) -> Document {
        Document::with_format(text, Format::detect(text))
    }

    /// Creates a document from text in a given format.
    pub fn with_format(text: &str, format: Format) -> Document {
        Document {
            text: Arc::from(text),
            format,
            layout: Arc::new(Layout::new()),
            settings: Arc::new(Settings::default()),
            analysis: OnceLock::new(),
            diagnostics: OnceLock::new(),
            last_good: None,
        }
    }

    /// Returns the definition text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns the text format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Returns the layout sidecar.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Returns the document settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Returns the analysis of the current text (computed once per revision).
    pub fn analysis(&self) -> &Arc<Analysis> {
        self.analysis
            .get_or_init(|| Arc::new(Analysis::new(&self.text, self.format)))
    }

    /// Returns the outline of the last text that parsed (the current one when it parses).
    pub fn outline(&self) -> &Outline {
        &self.good_analysis().0.outline
    }

    /// Returns the analysis the graph is drawn from (the last one that parsed) and whether it
    /// is stale.
    pub fn good_analysis(&self) -> (&Arc<Analysis>, bool) {
        let current = self.analysis();
        if current.is_ok() {
            return (current, false);
        }
        match &self.last_good {
            Some(good) => (good, true),
            None => (current, true),
        }
    }

    /// Returns the machine to draw: the current value when the text parses, otherwise the last
    /// value that parsed, with `stale = true`.
    pub fn machine_value(&self) -> (Option<&Value>, bool) {
        let (a, stale) = self.good_analysis();
        (a.value.as_ref(), stale)
    }

    /// Returns a state's object (for the inspector forms), from the machine being drawn.
    pub fn state_value(&self, name: &str) -> Option<&Value> {
        let (a, _) = self.good_analysis();
        let entry = a.outline.find(name)?;
        a.value.as_ref()?.pointer(&entry.pointer)
    }

    /// Returns the query language in effect for a state (`None`: the top level), from its own
    /// `QueryLanguage`, its block's, its enclosing states' and the machine's.
    pub fn query_language(&self, state: Option<&str>) -> QueryLanguage {
        let (a, _) = self.good_analysis();
        let (Some(value), o) = (a.value.as_ref(), &a.outline) else {
            return QueryLanguage::JsonPath;
        };
        let read = |ptr: &str| {
            value
                .pointer(&format!("{ptr}/QueryLanguage"))
                .and_then(Value::as_str)
                .and_then(QueryLanguage::parse)
        };
        let mut next = state.and_then(|s| o.index(s));
        let mut scope = next.map_or(0, |i| o.states[i].scope);
        for _ in 0..128 {
            if let Some(i) = next {
                if let Some(ql) = read(&o.states[i].pointer) {
                    return ql;
                }
                scope = o.states[i].scope;
            }
            let Some(sc) = o.scopes.get(scope) else {
                break;
            };
            if let Some(ql) = read(&sc.pointer) {
                return ql;
            }
            match sc.parent {
                Some(p) => next = Some(p),
                None => break,
            }
        }
        QueryLanguage::JsonPath
    }

    /// Returns a new revision with a different text; the analysis of this revision becomes the
    /// fallback when the new text does not parse.
    pub fn with_text(&self, text: &str) -> Document {
        let current = self.analysis();
        let last_good = if current.is_ok() {
            Some(current.clone())
        } else {
            self.last_good.clone()
        };
        Document {
            text: Arc::from(text),
            format: self.format,
            layout: self.layout.clone(),
            settings: self.settings.clone(),
            analysis: OnceLock::new(),
            diagnostics: OnceLock::new(),
            last_good,
        }
    }

    /// Returns a new revision with a different text format (the text must already be in it).
    pub fn with_text_and_format(&self, text: &str, format: Format) -> Document {
        let mut d = self.with_text(text);
        d.format = format;
        d
    }

    /// Returns a new revision with a different layout sidecar.
    pub fn with_layout(&self, layout: Layout) -> Document {
        let mut d = self.clone();
        d.layout = Arc::new(layout);
        d
    }

    /// Returns a new revision with different settings.
    pub fn with_settings(&self, settings: Settings) -> Document {
        let mut d = self.clone();
        if d.settings.machine_type != settings.machine_type {
            d.diagnostics = OnceLock::new();
        }
        d.settings = Arc::new(settings);
        d
    }

    /// Returns the parser and validator diagnostics of the current text (computed once per
    /// revision), sorted by position.
    pub fn diagnostics(&self) -> &[asl_core::Diagnostic] {
        self.diagnostics.get_or_init(|| {
            let format = match self.format {
                Format::Json => asl_core::Format::Json,
                Format::Yaml => asl_core::Format::Yaml,
            };
            let opts = asl_core::ValidateOptions {
                machine_type: Some(match self.settings.machine_type {
                    MachineType::Standard => asl_core::MachineType::Standard,
                    MachineType::Express => asl_core::MachineType::Express,
                }),
            };
            Arc::new(asl_core::check_with(&self.text, format, &opts).1)
        })
    }

    /// Returns the number of error diagnostics.
    pub fn error_count(&self) -> usize {
        self.diagnostics()
            .iter()
            .filter(|d| d.severity == asl_core::Severity::Error)
            .count()
    }

    /// Hashes everything that is saved: text, format, layout and settings.
    pub fn content_hash(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.text.hash(&mut h);
        self.format.hash(&mut h);
        serde_json::to_string(&*self.layout)
            .unwrap_or_default()
            .hash(&mut h);
        serde_json::to_string(&*self.settings)
            .unwrap_or_default()
            .hash(&mut h);
        h.finish()
    }

    /// Returns the text range of a state (from its name to the end of its object).
    pub fn state_range(&self, name: &str) -> Option<Span> {
        let a = self.analysis();
        if !a.is_ok() {
            return None;
        }
        a.outline.find(name).map(|s| s.span)
    }

    /// Returns the innermost state whose text holds the offset.
    pub fn state_at_offset(&self, offset: usize) -> Option<String> {
        let a = self.analysis();
        if !a.is_ok() {
            return None;
        }
        a.outline.state_at(offset).map(|s| s.name.clone())
    }
}
