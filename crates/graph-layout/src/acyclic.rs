//! Cycle breaking: a deterministic depth-first search marks the edges to reverse.

/// Returns, for every edge, whether it must be reversed to make the graph acyclic.
///
/// The search starts from nodes without incoming edges (in index order), then from any node
/// not reached yet, and follows out-edges in input order. An edge into a node that is still on
/// the search stack closes a cycle and is reversed. Self-loops are reported as reversed.
pub(crate) fn back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    let mut back = vec![false; edges.len()];
    for (i, &(a, b)) in edges.iter().enumerate() {
        if a >= n || b >= n || a == b {
            back[i] = a == b;
            continue;
        }
        out[a].push(i);
        indeg[b] += 1;
    }
    // The state is 0 for unvisited, 1 for on the stack and 2 for finished.
    let mut state = vec![0u8; n];
    let starts = (0..n).filter(|&v| indeg[v] == 0).chain(0..n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for s in starts {
        if state[s] != 0 {
            continue;
        }
        state[s] = 1;
        stack.push((s, 0));
        while let Some(top) = stack.last_mut() {
            let v = top.0;
            if top.1 < out[v].len() {
                let e = out[v][top.1];
                top.1 += 1;
                let w = edges[e].1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    back
}
