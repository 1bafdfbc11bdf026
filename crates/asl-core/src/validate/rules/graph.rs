//! Shared graph helpers for the transition rules: names per block and reachability.

use std::collections::{HashMap, HashSet};

use crate::model::Machine;

/// Returns, for each state of a block, the indices of the states it can transition to.
pub(crate) fn successors(m: &Machine) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = m
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    m.states
        .iter()
        .map(|s| {
            s.transitions()
                .iter()
                .filter_map(|t| index.get(t.target).copied())
                .collect()
        })
        .collect()
}

/// Returns the indices of the states reachable from `StartAt`.
pub(crate) fn reachable(m: &Machine, succ: &[Vec<usize>]) -> HashSet<usize> {
    let mut seen = HashSet::new();
    let Some(start) = m
        .start_at
        .as_ref()
        .and_then(|s| m.states.iter().position(|x| x.name == s.value))
    else {
        return seen;
    };
    let mut todo = vec![start];
    while let Some(i) = todo.pop() {
        if seen.insert(i) {
            todo.extend(succ[i].iter().copied());
        }
    }
    seen
}

/// Returns the indices of the states from which a terminal state can be reached.
pub(crate) fn can_finish(m: &Machine, succ: &[Vec<usize>]) -> HashSet<usize> {
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); m.states.len()];
    for (i, s) in succ.iter().enumerate() {
        for &j in s {
            pred[j].push(i);
        }
    }
    let mut seen = HashSet::new();
    let mut todo: Vec<usize> = (0..m.states.len())
        .filter(|&i| m.states[i].is_terminal())
        .collect();
    while let Some(i) = todo.pop() {
        if seen.insert(i) {
            todo.extend(pred[i].iter().copied());
        }
    }
    seen
}
