//! Layering: longest-path ranks, then a balancing pass that pulls nodes down towards their
//! successors when that shortens more edge weight than it lengthens.

/// An edge for ranking: `from`, `to`, minimum rank difference and weight.
pub(crate) type RankEdge = (usize, usize, i32, f64);

/// Assigns a rank (layer, 0 at the top) to each of `n` nodes. Edges that would close a cycle
/// are ignored, so the function accepts any input.
pub(crate) fn rank(n: usize, edges: &[RankEdge]) -> Vec<i32> {
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.0, e.1)).collect();
    let back = crate::acyclic::back_edges(n, &pairs);
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (i, e) in edges.iter().enumerate() {
        if back[i] || e.0 >= n || e.1 >= n || e.0 == e.1 {
            continue;
        }
        outs[e.0].push(i);
        ins[e.1].push(i);
        indeg[e.1] += 1;
    }
    // Kahn's algorithm gives a deterministic topological order.
    let mut topo = Vec::with_capacity(n);
    let mut queue: Vec<usize> = (0..n).rev().filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = queue.pop() {
        topo.push(v);
        for &e in outs[v].iter().rev() {
            let w = edges[e].1;
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push(w);
            }
        }
    }
    let mut r = vec![0i32; n];
    for &v in &topo {
        for &e in &outs[v] {
            let w = edges[e].1;
            r[w] = r[w].max(r[v] + edges[e].2.max(0));
        }
    }
    // Balancing: a node whose outgoing weight exceeds its incoming weight moves down as far
    // as its successors allow, which shortens its edges in total.
    for _ in 0..2 {
        let mut moved = false;
        for &v in topo.iter().rev() {
            if outs[v].is_empty() {
                continue;
            }
            let win: f64 = ins[v].iter().map(|&e| edges[e].3).sum();
            let wout: f64 = outs[v].iter().map(|&e| edges[e].3).sum();
            if !ins[v].is_empty() && wout <= win {
                continue;
            }
            let lim = outs[v]
                .iter()
                .map(|&e| r[edges[e].1] - edges[e].2.max(0))
                .min();
            if let Some(lim) = lim
                && lim > r[v]
            {
                r[v] = lim;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let min = r.iter().copied().min().unwrap_or(0);
    for x in &mut r {
        *x -= min;
    }
    r
}
