//! Byte spans, text edits and the helpers that apply and compute them.

use std::fmt;

/// A half-open range of byte offsets into the document text (the same type `asl-core`
/// uses for diagnostics).
pub use asl_core::Span;

/// Returns true when the offset lies inside the span (the end is included, so a cursor placed
/// right after a value still belongs to it).
pub fn span_contains(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// One replacement of a byte range by new text.
///
/// A command returns a list of edits that must be applied in order; each edit's range refers
/// to the text as it is after the previous edits of the list were applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// The replaced range.
    pub range: Span,
    /// The new text.
    pub insert: String,
}

impl TextEdit {
    /// Creates an edit.
    pub fn new(range: Span, insert: impl Into<String>) -> Self {
        TextEdit {
            range,
            insert: insert.into(),
        }
    }
}

impl fmt::Display for TextEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}..{} {:?}",
            self.range.start, self.range.end, self.insert
        )
    }
}

/// Clamps an edit range to the text and to character boundaries.
pub fn clamp_span(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len()).max(start);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// Applies one edit in place; out-of-range offsets are clamped, so this never panics.
pub fn apply_edit(text: &mut String, edit: &TextEdit) {
    let range = clamp_span(text, edit.range);
    text.replace_range(range.start..range.end, &edit.insert);
}

/// Applies edits in order (each relative to the result of the previous ones).
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut out = text.to_owned();
    for e in edits {
        apply_edit(&mut out, e);
    }
    out
}

/// Computes the single smallest edit that turns `old` into `new` (common prefix and suffix
/// are kept), or `None` when the texts are equal.
pub fn diff(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(TextEdit::new(
        Span::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    ))
}

/// Returns the offset of the start of the line that holds `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Returns the leading whitespace of the line that holds `offset`.
pub fn line_indent(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let rest = &text[start..];
    let n = rest
        .bytes()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count();
    &rest[..n]
}

/// Detects the indentation unit of a document: the first indentation step found, or two
/// spaces when the document has none.
pub fn detect_indent_unit(text: &str) -> String {
    let mut prev = 0usize;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let ws: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if ws.starts_with('\t') {
            return "\t".to_owned();
        }
        if ws.len() > prev {
            return " ".repeat(ws.len() - prev);
        }
        prev = ws.len();
    }
    "  ".to_owned()
}

/// Picks the line ending the document already uses.
pub fn detect_newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}
