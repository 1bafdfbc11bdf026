//! The transition graph of one `States` block, computed once per validation and shared by the
//! transition rules (unreachable states, no way out, undefined variables).

use crate::model::Machine;

/// States as indices into [`Machine::states`], with their transitions resolved.
pub(crate) struct BlockGraph {
    /// For each state, the states that can transition to it.
    pub(crate) preds: Vec<Vec<usize>>,
    /// For each state, whether it is reachable from `StartAt` (all false without a valid `StartAt`).
    pub(crate) reachable: Vec<bool>,
    /// For each state, whether a terminal state may be reached from it: a path leads to a
    /// terminal state or to a transition whose target does not exist (that state's fate is
    /// unknown; `missing_target` reports the transition).
    pub(crate) may_finish: Vec<bool>,
}

impl BlockGraph {
    /// Resolves the transitions of a block; `index` finds a state of the block by name.
    pub(crate) fn new(m: &Machine, index: impl Fn(&str) -> Option<usize>) -> BlockGraph {
        let n = m.states.len();
        let mut succ = Vec::with_capacity(n);
        let mut preds = vec![Vec::new(); n];
        let mut seeds = Vec::new();
        for (i, s) in m.states.iter().enumerate() {
            let mut out = Vec::new();
            let mut dangling = false;
            for t in s.targets() {
                match index(t) {
                    Some(j) => {
                        out.push(j);
                        preds[j].push(i);
                    }
                    None => dangling = true,
                }
            }
            if dangling || s.is_terminal() {
                seeds.push(i);
            }
            succ.push(out);
        }
        let start = m
            .start_at
            .as_ref()
            .and_then(|s| m.states.iter().position(|x| x.name == s.value));
        let reachable = closure(n, start.into_iter().collect(), &succ);
        let may_finish = closure(n, seeds, &preds);
        BlockGraph {
            preds,
            reachable,
            may_finish,
        }
    }
}

/// Marks every node reachable from `todo` along `edges`.
fn closure(n: usize, mut todo: Vec<usize>, edges: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; n];
    while let Some(i) = todo.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            todo.extend(edges[i].iter().copied().filter(|&j| !seen[j]));
        }
    }
    seen
}
