//! Checks the syntax of JSONata expressions (`{% … %}`) in JSONata states.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::QueryLanguage;
use crate::model::build::is_jsonata;
use crate::text::Span;
use crate::validate::rules::vars::strings_where;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL404",
    name: "jsonata_syntax",
    severity: Severity::Error,
    summary: "A `{% … %}` JSONata expression that does not compile.",
    check: Some(check),
};

/// Maps a char position inside the expression to a byte span in the source, when the string
/// is written without escapes (otherwise the whole string is used).
fn error_span(
    source_len: usize,
    span: Span,
    text: &str,
    expr_start: usize,
    position: Option<usize>,
) -> Span {
    let Some(pos) = position else { return span };
    // The token is `"` + text + `"` when nothing was escaped.
    if span.end - span.start != text.len() + 2 || span.end > source_len {
        return span;
    }
    let inner = &text[expr_start..];
    let byte = inner
        .char_indices()
        .nth(pos)
        .map_or(inner.len(), |(b, _)| b);
    let at = span.start + 1 + expr_start + byte;
    Span::new(at, (at + 1).min(span.end - 1).max(at))
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        if s.query_language != QueryLanguage::Jsonata {
            continue;
        }
        let Some(node) = ctx.node(&s.state.pointer) else {
            continue;
        };
        let (sites, arena) = strings_where(node, &s.state.pointer, is_jsonata);
        for site in sites {
            let expr = &site.text[2..site.text.len() - 2];
            if let Err(e) = jsonata::compile(expr) {
                let span = error_span(ctx.parse.text_len, site.span, site.text, 2, e.position);
                out.push(diag(
                    &RULE,
                    arena.pointer(site.id),
                    span,
                    format!("Invalid JSONata expression: {} ({}).", e.message, e.code),
                ));
            }
        }
    }
}
