//! Checks the names assigned in `Assign`: identifiers of at most 80 characters, not `states`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::rules::vars::assign_sites;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL503",
    name: "variable_name",
    severity: Severity::Error,
    summary: "An `Assign` key that is not a valid variable name (an identifier of at most 80 characters, not `states`).",
    check: Some(check),
};

fn valid(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && name.chars().count() <= 80
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for site in assign_sites(ctx) {
        if site.name == "states" {
            out.push(diag(
                &RULE,
                site.pointer,
                site.key_span,
                "\"states\" is a reserved name and cannot be assigned.",
            ));
        } else if !valid(&site.name) {
            out.push(diag(
                &RULE,
                site.pointer,
                site.key_span,
                format!(
                    "\"{}\" is not a valid variable name: use letters, digits and underscores (not starting with a digit), at most 80 characters.",
                    site.key
                ),
            ));
        }
    }
}
