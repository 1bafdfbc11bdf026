//! Coordinate assignment: each layer in turn is placed optimally for the L1 distance to its
//! neighbours (weighted medians inside a pool-adjacent-violators pass that keeps the order and
//! the minimum separations). Sweeping down and up a few times straightens chains and long
//! edges, since a node with one neighbour lands exactly under it.

/// A segment to align: upper node, lower node, weight, and the x offsets of the ports from
/// each node's centre. The goal is `x[u] + off_u == x[v] + off_v`.
pub(crate) struct PosSeg {
    pub u: usize,
    pub v: usize,
    pub w: f64,
    pub off_u: f64,
    pub off_v: f64,
}

/// Input of the placement phase.
pub(crate) struct PosInput<'a> {
    pub layers: &'a [Vec<usize>],
    pub width: &'a [f64],
    /// True for nodes that are edge bends (dummies): they may sit closer together.
    pub dummy: &'a [bool],
    pub segs: &'a [PosSeg],
    pub node_sep: f64,
    pub edge_sep: f64,
    pub iterations: usize,
}

/// Returns the x of every node's centre.
pub(crate) fn place(input: &PosInput) -> Vec<f64> {
    let n = input.width.len();
    let mut x = vec![0.0; n];
    // Adjacency: for every node, (other node, weight, own offset, other's offset).
    let mut adj: Vec<Vec<(usize, f64, f64, f64)>> = vec![Vec::new(); n];
    for s in input.segs {
        if s.u >= n || s.v >= n || s.u == s.v {
            continue;
        }
        adj[s.u].push((s.v, s.w, s.off_u, s.off_v));
        adj[s.v].push((s.u, s.w, s.off_v, s.off_u));
    }
    let seps: Vec<Vec<f64>> = input
        .layers
        .iter()
        .map(|l| {
            l.windows(2)
                .map(|p| {
                    let gap = if input.dummy[p[0]] && input.dummy[p[1]] {
                        input.edge_sep
                    } else {
                        input.node_sep
                    };
                    (input.width[p[0]] + input.width[p[1]]) / 2.0 + gap
                })
                .collect()
        })
        .collect();
    // Initial placement: every layer packed and centred on zero.
    for (l, sep) in input.layers.iter().zip(&seps) {
        let total: f64 = sep.iter().sum();
        let mut cur = -total / 2.0;
        for (i, &v) in l.iter().enumerate() {
            x[v] = cur;
            if i < sep.len() {
                cur += sep[i];
            }
        }
    }
    let nl = input.layers.len();
    let mut work = Work::default();
    for it in 0..input.iterations {
        let order: Vec<usize> = if it % 2 == 0 {
            (0..nl).collect()
        } else {
            (0..nl).rev().collect()
        };
        for r in order {
            place_layer(&input.layers[r], &seps[r], &adj, &mut x, &mut work);
        }
    }
    x
}

#[derive(Default)]
struct Work {
    targets: Vec<(f64, f64)>,
    blocks: Vec<Block>,
}

struct Block {
    /// Range of targets in `Work::targets` (blocks are contiguous and merged in order).
    start: usize,
    end: usize,
    /// First node index (in the layer) covered by this block.
    first: usize,
    y: f64,
}

/// Places one layer with the others fixed.
fn place_layer(
    l: &[usize],
    sep: &[f64],
    adj: &[Vec<(usize, f64, f64, f64)>],
    x: &mut [f64],
    work: &mut Work,
) {
    if l.is_empty() {
        return;
    }
    work.targets.clear();
    work.blocks.clear();
    let mut offset = 0.0;
    for (i, &v) in l.iter().enumerate() {
        if i > 0 {
            offset += sep[i - 1];
        }
        let start = work.targets.len();
        for &(u, w, off_v, off_u) in &adj[v] {
            work.targets.push((x[u] + off_u - off_v - offset, w));
        }
        // Unconnected nodes stay where they are, with a weak pull.
        if adj[v].is_empty() {
            work.targets.push((x[v] - offset, 1e-3));
        }
        let end = work.targets.len();
        let y = weighted_median(&mut work.targets[start..end]);
        work.blocks.push(Block {
            start,
            end,
            first: i,
            y,
        });
        while work.blocks.len() >= 2 {
            let k = work.blocks.len();
            if work.blocks[k - 2].y <= work.blocks[k - 1].y {
                break;
            }
            let last = work.blocks.pop();
            if let (Some(last), Some(prev)) = (last, work.blocks.last_mut()) {
                prev.end = last.end;
                prev.y = weighted_median(&mut work.targets[prev.start..prev.end]);
            }
        }
    }
    let mut offset = 0.0;
    let mut b = 0;
    for (i, &v) in l.iter().enumerate() {
        if i > 0 {
            offset += sep[i - 1];
        }
        while b + 1 < work.blocks.len() && work.blocks[b + 1].first <= i {
            b += 1;
        }
        x[v] = work.blocks[b].y + offset;
    }
}

/// The weighted median of `(value, weight)` pairs; the midpoint when the median is an interval.
fn weighted_median(t: &mut [(f64, f64)]) -> f64 {
    t.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = t.iter().map(|p| p.1).sum();
    let half = total / 2.0;
    let mut acc = 0.0;
    for i in 0..t.len() {
        acc += t[i].1;
        if acc > half + 1e-9 {
            return t[i].0;
        }
        if (acc - half).abs() <= 1e-9 && i + 1 < t.len() {
            return (t[i].0 + t[i + 1].0) / 2.0;
        }
    }
    t.last().map_or(0.0, |p| p.0)
}
