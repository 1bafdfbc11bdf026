//! Forbids a Parallel branch or Map iteration from assigning a variable that an outer scope assigns.

use crate::hash::FastMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::rules::vars::assign_sites;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL502",
    name: "inner_scope_assign",
    severity: Severity::Error,
    summary: "A state inside a Parallel branch or Map processor assigns a variable that an enclosing scope also assigns.",
    check: Some(check),
};

/// Returns the parent scope of every scope (`None` for the top level).
pub(crate) fn scope_parents(ctx: &Ctx) -> Vec<Option<usize>> {
    let scope_of_state: FastMap<&str, usize> = ctx
        .states
        .iter()
        .map(|s| (s.state.pointer.as_str(), s.scope))
        .collect();
    ctx.machines
        .iter()
        .map(|m| {
            let p = m.pointer.as_str();
            let owner = if let Some(i) = p.rfind("/Branches/") {
                &p[..i]
            } else {
                p.strip_suffix("/ItemProcessor")
                    .or_else(|| p.strip_suffix("/Iterator"))
                    .unwrap_or("")
            };
            if p.is_empty() {
                None
            } else {
                scope_of_state.get(owner).copied()
            }
        })
        .collect()
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let sites = assign_sites(ctx);
    let parents = scope_parents(ctx);
    // Catcher assignments and the enclosing state's own assignments happen after the inner
    // scope has finished, so AWS does not count them as outer variables.
    let mut by_scope: Vec<Vec<&super::vars::AssignSite>> = vec![Vec::new(); ctx.machines.len()];
    for s in &sites {
        if let Some(list) = by_scope.get_mut(s.scope)
            && !s.from_catch
        {
            list.push(s);
        }
    }
    for s in &sites {
        let mut p = parents.get(s.scope).copied().flatten();
        while let Some(outer) = p {
            let clash = by_scope[outer]
                .iter()
                .any(|o| o.name == s.name && !s.pointer.starts_with(&format!("{}/", o.owner)));
            if clash {
                out.push(diag(
                    &RULE,
                    s.pointer.clone(),
                    s.key_span,
                    format!(
                        "Variable \"{}\" is assigned in an outer scope; a Parallel branch or Map iteration cannot assign it.",
                        s.name
                    ),
                ));
                break;
            }
            p = parents.get(outer).copied().flatten();
        }
    }
}
