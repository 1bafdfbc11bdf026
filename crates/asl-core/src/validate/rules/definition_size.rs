//! Limits the definition to 1 MB, the Step Functions quota.

use crate::diagnostic::{Diagnostic, Severity};
use crate::text::Span;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL006",
    name: "definition_size",
    severity: Severity::Error,
    summary: "The definition is larger than 1 MB (1,048,576 bytes), the Step Functions quota.",
    check: Some(check),
};

/// The largest definition Step Functions accepts, in bytes.
pub const MAX_DEFINITION_BYTES: usize = 1_048_576;

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let len = ctx.parse.text_len;
    if len > MAX_DEFINITION_BYTES {
        out.push(diag(
            &RULE,
            "",
            Span::new(0, 0),
            format!("The definition is {len} bytes; Step Functions accepts at most {MAX_DEFINITION_BYTES} bytes."),
        ));
    }
}
