//! Warns about variables that are read but never assigned anywhere in the machine.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::rules::vars::{assign_sites, refs_of, state_strings};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL501",
    name: "undefined_variable",
    severity: Severity::Warning,
    summary: "A `$name` variable is read but no `Assign` anywhere in the machine sets it.",
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let assigned: HashSet<String> = assign_sites(ctx).into_iter().map(|s| s.name).collect();
    for s in &ctx.states {
        let Some(node) = ctx.node(&s.state.pointer) else {
            continue;
        };
        let (sites, arena) = state_strings(node, &s.state.pointer);
        for site in sites {
            let mut reported = HashSet::new();
            for name in refs_of(&site, s.query_language) {
                if !assigned.contains(&name) && reported.insert(name.clone()) {
                    out.push(diag(
                        &RULE,
                        arena.pointer(site.id),
                        site.span,
                        format!("Variable \"${name}\" is never assigned."),
                    ));
                }
            }
        }
    }
}
