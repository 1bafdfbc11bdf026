//! asl-core: the never-failing ASL parser (JSON and YAML, with spans), the typed model and the validator.
//!
//! The entry points are [`parse`], [`validate`] and [`check`]. Parsing never fails: syntax and
//! model problems become [`Diagnostic`]s and the result holds as much as could be read.
//! The crate does no I/O and reads no clock.

pub mod diagnostic;
pub mod hash;
pub mod model;
pub mod report;
pub mod syntax;
pub mod text;
pub mod tree;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, sort_diagnostics};
pub use model::{Machine, QueryLanguage, Spanned, State, StateKind, StateRef};
pub use text::{LineCol, LineIndex, Span};
pub use tree::{Member, Node, NodeKind};
pub use validate::{MachineType, ValidateOptions, validate};

/// The text format of a definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML (1.2 core schema).
    Yaml,
}

/// Guesses the format: JSON if the first non-space character is `{` or `[`, YAML otherwise.
pub fn detect_format(text: &str) -> Format {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{' | '[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// The result of [`parse`]: the tree, the plain JSON value, the model and the diagnostics.
#[derive(Clone, Debug)]
pub struct Parse {
    /// The spanned tree, if any value could be read.
    pub tree: Option<Node>,
    /// The best-effort JSON value of the document, made from the tree on first use
    /// ([`Parse::value`]): validation does not need it.
    value: std::sync::OnceLock<serde_json::Value>,
    /// The typed model.
    pub machine: Machine,
    /// Syntax and model diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The format that was read.
    pub format: Format,
    /// The length of the text in bytes.
    pub text_len: usize,
}

impl Parse {
    /// The best-effort JSON value of the document (`Null` if nothing could be read), built from
    /// the tree the first time it is asked for.
    pub fn value(&self) -> &serde_json::Value {
        self.value.get_or_init(|| {
            self.tree
                .as_ref()
                .map_or(serde_json::Value::Null, Node::to_value)
        })
    }

    /// The JSON value, taken out of the parse.
    pub fn into_value(self) -> serde_json::Value {
        self.value();
        self.value.into_inner().unwrap_or_default()
    }
}

/// Parses a definition. This never fails: problems are reported in [`Parse::diagnostics`].
pub fn parse(text: &str, format: Format) -> Parse {
    let mut diagnostics = Vec::new();
    let tree = match format {
        Format::Json => syntax::json::parse_json(text, &mut diagnostics),
        Format::Yaml => syntax::yaml::parse_yaml(text, &mut diagnostics),
    };
    let (machine, model_diags) = model::build(tree.as_ref());
    diagnostics.extend(model_diags);
    Parse {
        tree,
        value: std::sync::OnceLock::new(),
        machine,
        diagnostics,
        format,
        text_len: text.len(),
    }
}

/// Parses and validates with default options; all diagnostics sorted by span.
pub fn check(text: &str, format: Format) -> (Parse, Vec<Diagnostic>) {
    check_with(text, format, &ValidateOptions::default())
}

/// Parses and validates with the given options; all diagnostics sorted by span.
pub fn check_with(text: &str, format: Format, opts: &ValidateOptions) -> (Parse, Vec<Diagnostic>) {
    let parse = parse(text, format);
    let mut all = parse.diagnostics.clone();
    all.extend(validate(&parse, opts));
    sort_diagnostics(&mut all);
    (parse, all)
}

/// Returns the span of the value a JSON Pointer designates, e.g. `/States/X`.
pub fn pointer_span(parse: &Parse, pointer: &str) -> Option<Span> {
    parse.tree.as_ref()?.pointer(pointer).map(|n| n.span)
}

/// Lists every state (nested ones included, document order) with its key span and value span.
pub fn state_spans(parse: &Parse) -> Vec<(String, Span, Span)> {
    parse
        .machine
        .states()
        .into_iter()
        .map(|s| (s.state.name.clone(), s.state.name_span, s.state.span))
        .collect()
}
