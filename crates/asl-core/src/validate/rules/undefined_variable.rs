//! Warns about variables that are read but never assigned, or assigned only by states that cannot run earlier.

use crate::hash::{FastMap, FastSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::validate::rules::vars::{assign_sites, may_reference_variable, refs_of, strings_where};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL501",
    name: "undefined_variable",
    severity: Severity::Warning,
    summary: "A `$name` variable is read but no `Assign` sets it, or only states that cannot run before the reader set it.",
    check: Some(check),
};

/// Returns the indices of the states of a block that can run before state `target`
/// (every state with a path to it; `target` itself only when it is on a cycle).
fn predecessors(preds: &[Vec<usize>], target: usize) -> Vec<usize> {
    let mut seen = vec![false; preds.len()];
    let mut out = Vec::new();
    let mut todo: Vec<usize> = preds[target].clone();
    while let Some(i) = todo.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            out.push(i);
            todo.extend(preds[i].iter().copied().filter(|&j| !seen[j]));
        }
    }
    out
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let sites = assign_sites(ctx);
    let assigned: FastSet<&str> = sites.iter().map(|s| s.name.as_str()).collect();
    let mut by_owner: FastMap<&str, Vec<&str>> = FastMap::default();
    for s in &sites {
        by_owner.entry(s.owner.as_str()).or_default().push(&s.name);
    }
    let index_of: FastMap<&str, usize> = ctx
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.state.pointer.as_str(), i))
        .collect();
    for s in &ctx.states {
        let Some(node) = ctx.node(&s.state.pointer) else {
            continue;
        };
        let (strings, arena) = strings_where(node, &s.state.pointer, may_reference_variable);
        let mut refs = Vec::new();
        for site in &strings {
            for name in refs_of(site, s.query_language) {
                refs.push((site, name));
            }
        }
        if refs.is_empty() {
            continue;
        }
        // Variables assigned by states that can run before this one, in this block and around it.
        let mut before: FastSet<&str> = FastSet::default();
        let mut isolated = false;
        let mut cur = Some(*s);
        while let Some(r) = cur {
            let preds = &ctx.graph(r.scope).preds;
            if let Some(pos) = r
                .machine
                .states
                .iter()
                .position(|x| std::ptr::eq(x, r.state))
            {
                for i in predecessors(preds, pos) {
                    if let Some(names) = by_owner.get(r.machine.states[i].pointer.as_str()) {
                        before.extend(names.iter().copied());
                    }
                }
            }
            cur = r
                .parent
                .and_then(|p| index_of.get(p.pointer.as_str()))
                .map(|&i| ctx.states[i]);
            // Iterations of a distributed Map are child executions: they cannot read outer variables.
            if cur.is_some_and(|p| matches!(&p.state.kind, StateKind::Map(m) if m.is_distributed()))
            {
                isolated = true;
                break;
            }
        }
        let mut reported = FastSet::default();
        for (site, name) in refs {
            if before.contains(name.as_str()) || !reported.insert(name.clone()) {
                continue;
            }
            let message = if isolated && assigned.contains(name.as_str()) {
                format!(
                    "Variable \"${name}\" is not assigned inside this distributed Map; its iterations cannot read variables of the enclosing workflow."
                )
            } else if assigned.contains(name.as_str()) {
                format!(
                    "Variable \"${name}\" may be read before it is assigned: no state that can run earlier assigns it."
                )
            } else {
                format!("Variable \"${name}\" is never assigned.")
            };
            out.push(diag(&RULE, arena.pointer(site.id), site.span, message));
        }
    }
}
