//! Coordinate assignment after Brandes and Köpf: four vertical alignments (up/down × left/right)
//! build blocks of nodes that share one x (median neighbours, long edges first), each is
//! compacted with the minimum separations, and the four results are balanced by taking the
//! average of the two middle values per node. Ports may sit off the node centre: a block
//! aligns ports, not centres.

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
}

/// A neighbour: the other node, the segment index, own port offset, other's port offset.
#[derive(Clone, Copy)]
struct Nb {
    other: usize,
    seg: usize,
    own: f64,
    theirs: f64,
    w: f64,
}

/// Returns the x of every node's centre.
pub(crate) fn place(input: &PosInput) -> Vec<f64> {
    let n = input.width.len();
    let mut pos = vec![0usize; n];
    let mut present = vec![false; n];
    for l in input.layers {
        for (i, &v) in l.iter().enumerate() {
            pos[v] = i;
            present[v] = true;
        }
    }
    let mut ups: Vec<Vec<Nb>> = vec![Vec::new(); n];
    let mut downs: Vec<Vec<Nb>> = vec![Vec::new(); n];
    for (k, s) in input.segs.iter().enumerate() {
        if s.u >= n || s.v >= n || s.u == s.v || !present[s.u] || !present[s.v] {
            continue;
        }
        downs[s.u].push(Nb {
            other: s.v,
            seg: k,
            own: s.off_u,
            theirs: s.off_v,
            w: s.w,
        });
        ups[s.v].push(Nb {
            other: s.u,
            seg: k,
            own: s.off_v,
            theirs: s.off_u,
            w: s.w,
        });
    }
    for l in ups.iter_mut().chain(downs.iter_mut()) {
        l.sort_by_key(|nb| pos[nb.other]);
    }
    let conflict = mark_conflicts(input, &pos, &ups);
    let mut results: Vec<Vec<f64>> = Vec::with_capacity(4);
    for vert_down in [true, false] {
        for left in [true, false] {
            let xs = one_alignment(
                input,
                &pos,
                if vert_down { &ups } else { &downs },
                &conflict,
                vert_down,
                left,
            );
            results.push(xs);
        }
    }
    // Align all four to the narrowest one, then take the two middle values per node.
    let extent = |xs: &[f64]| {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for l in input.layers {
            for &v in l {
                lo = lo.min(xs[v] - input.width[v] / 2.0);
                hi = hi.max(xs[v] + input.width[v] / 2.0);
            }
        }
        if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) }
    };
    let ext: Vec<(f64, f64)> = results.iter().map(|xs| extent(xs)).collect();
    let mut best = 0;
    for i in 1..4 {
        if ext[i].1 - ext[i].0 < ext[best].1 - ext[best].0 {
            best = i;
        }
    }
    for (i, xs) in results.iter_mut().enumerate() {
        let left = i % 2 == 0;
        let d = if left {
            ext[best].0 - ext[i].0
        } else {
            ext[best].1 - ext[i].1
        };
        for x in xs.iter_mut() {
            *x += d;
        }
    }
    let mut x: Vec<f64> = (0..n)
        .map(|v| {
            let mut vals = [results[0][v], results[1][v], results[2][v], results[3][v]];
            vals.sort_by(f64::total_cmp);
            (vals[1] + vals[2]) / 2.0
        })
        .collect();
    refine(input, &mut x, REFINE, true);
    // Block compaction can spread dense graphs very wide; a plain median descent from a packed
    // start is the alternative.
    let mut y = packed(input);
    for l in input.layers {
        let (Some(&a), Some(&b)) = (l.first(), l.last()) else {
            continue;
        };
        let mid = (y[a] + y[b]) / 2.0;
        for &v in l {
            y[v] -= mid;
        }
    }
    refine(input, &mut y, DESCENT, false);
    // Block placement keeps chains straight and wins unless it is far longer overall.
    if score(input, &y) < 0.6 * score(input, &x) {
        y
    } else {
        x
    }
}

/// Weighted edge length plus a node separation for every slanted segment.
fn score(input: &PosInput, x: &[f64]) -> f64 {
    input
        .segs
        .iter()
        .filter(|s| s.u < x.len() && s.v < x.len())
        .map(|s| {
            let d = (x[s.u] + s.off_u - x[s.v] - s.off_v).abs();
            s.w * d
                + if d > 0.5 {
                    input.node_sep.max(1.0)
                } else {
                    0.0
                }
        })
        .sum()
}

/// Local refinement: each layer in turn moves to its optimal L1 place given the other layers
/// (weighted medians inside a pool-adjacent-violators pass that keeps order and separations).
/// This closes gaps the block compaction leaves, without bending what is already straight.
fn refine(input: &PosInput, x: &mut [f64], iterations: usize, snap: bool) {
    let n = input.width.len();
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
    let nl = input.layers.len();
    let mut work = Work::default();
    for it in 0..iterations {
        let order: Vec<usize> = if it % 2 == 0 {
            (0..nl).collect()
        } else {
            (0..nl).rev().collect()
        };
        for r in order {
            place_layer(&input.layers[r], &seps[r], &adj, x, &mut work, snap);
        }
    }
}

/// Sweeps of the refinement after block placement, and of the plain descent.
const REFINE: usize = 8;
const DESCENT: usize = 12;

/// Marks segments that cross an inner segment (between two dummies) so that long edges stay
/// straight: such segments never take part in an alignment.
fn mark_conflicts(input: &PosInput, pos: &[usize], ups: &[Vec<Nb>]) -> Vec<bool> {
    let mut conflict = vec![false; input.segs.len()];
    for r in 1..input.layers.len() {
        let (upper, lower) = (&input.layers[r - 1], &input.layers[r]);
        if upper.is_empty() {
            continue;
        }
        let mut k0 = 0usize;
        let mut scan = 0usize;
        for (l1, &v) in lower.iter().enumerate() {
            let inner = if input.dummy[v] {
                ups[v]
                    .iter()
                    .find(|nb| input.dummy[nb.other])
                    .map(|nb| pos[nb.other])
            } else {
                None
            };
            if inner.is_some() || l1 + 1 == lower.len() {
                let k1 = inner.unwrap_or(upper.len() - 1);
                for &w in &lower[scan..=l1] {
                    for nb in &ups[w] {
                        let p = pos[nb.other];
                        if (p < k0 || k1 < p) && !(input.dummy[nb.other] && input.dummy[w]) {
                            conflict[nb.seg] = true;
                        }
                    }
                }
                scan = l1 + 1;
                k0 = k1;
            }
        }
    }
    conflict
}

/// One of the four alignments plus its compaction. `nbs` are the neighbours on the side the
/// blocks grow from (upper neighbours when sweeping down).
fn one_alignment(
    input: &PosInput,
    pos: &[usize],
    nbs: &[Vec<Nb>],
    conflict: &[bool],
    down: bool,
    left: bool,
) -> Vec<f64> {
    let n = input.width.len();
    let mut root: Vec<usize> = (0..n).collect();
    let mut align: Vec<usize> = (0..n).collect();
    // Offset of every node from its block's reference x (ports line up inside a block).
    let mut delta = vec![0.0f64; n];
    let nl = input.layers.len();
    let layer_order: Vec<usize> = if down {
        (0..nl).collect()
    } else {
        (0..nl).rev().collect()
    };
    for &r in &layer_order {
        let l = &input.layers[r];
        let mut last: Option<usize> = None;
        let idx: Vec<usize> = if left {
            (0..l.len()).collect()
        } else {
            (0..l.len()).rev().collect()
        };
        for i in idx {
            let v = l[i];
            let nb = &nbs[v];
            let d = nb.len();
            if d == 0 {
                continue;
            }
            let (lo, hi) = weighted_medians(nb);
            // With two medians, the heavier edge goes first (main chains stay straight).
            let meds: Vec<usize> = if lo == hi {
                vec![lo]
            } else if nb[lo].w > nb[hi].w || (nb[lo].w == nb[hi].w && left) {
                vec![lo, hi]
            } else {
                vec![hi, lo]
            };
            for m in meds {
                if align[v] != v {
                    break;
                }
                let u = nb[m].other;
                let pu = pos[u];
                let ok_side = match last {
                    None => true,
                    Some(lp) => {
                        if left {
                            pu > lp
                        } else {
                            pu < lp
                        }
                    }
                };
                if !conflict[nb[m].seg] && ok_side {
                    align[u] = v;
                    root[v] = root[u];
                    align[v] = root[v];
                    delta[v] = delta[u] + nb[m].theirs - nb[m].own;
                    last = Some(pu);
                }
            }
        }
    }
    // Block graph: consecutive nodes in a layer separate their blocks.
    let sep = |a: usize, b: usize| {
        let gap = if input.dummy[a] && input.dummy[b] {
            input.edge_sep
        } else {
            input.node_sep
        };
        (input.width[a] + input.width[b]) / 2.0 + gap
    };
    let mut succ: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for l in input.layers {
        let seq: Vec<usize> = if left {
            l.clone()
        } else {
            l.iter().rev().copied().collect()
        };
        for p in seq.windows(2) {
            let (a, b) = (p[0], p[1]);
            // In mirrored (right) mode, coordinates grow leftwards; deltas flip sign.
            let (da, db) = if left {
                (delta[a], delta[b])
            } else {
                (-delta[a], -delta[b])
            };
            let w = sep(a, b) + da - db;
            let (ra, rb) = (root[a], root[b]);
            if ra == rb {
                continue;
            }
            succ[ra].push((rb, w));
            indeg[rb] += 1;
        }
    }
    // Longest path from the left, then pull blocks right towards their successors.
    let mut xs = vec![0.0f64; n];
    let mut topo = Vec::with_capacity(n);
    let mut stack: Vec<usize> = (0..n)
        .rev()
        .filter(|&v| root[v] == v && indeg[v] == 0)
        .collect();
    let mut indeg2 = indeg.clone();
    while let Some(b) = stack.pop() {
        topo.push(b);
        for &(c, _) in succ[b].iter().rev() {
            indeg2[c] -= 1;
            if indeg2[c] == 0 {
                stack.push(c);
            }
        }
    }
    let roots = (0..n).filter(|&v| root[v] == v).count();
    if topo.len() < roots {
        // A cyclic block graph cannot happen with consistent alignments; pack as a fallback.
        return packed(input);
    }
    for &b in &topo {
        for &(c, w) in &succ[b] {
            if xs[b] + w > xs[c] {
                xs[c] = xs[b] + w;
            }
        }
    }
    for &b in topo.iter().rev() {
        let lim = succ[b]
            .iter()
            .map(|&(c, w)| xs[c] - w)
            .fold(f64::INFINITY, f64::min);
        if PULL && lim.is_finite() && lim > xs[b] {
            xs[b] = lim;
        }
    }
    (0..n)
        .map(|v| {
            let x = xs[root[v]];
            if left { x + delta[v] } else { -x + delta[v] }
        })
        .collect()
}

const PULL: bool = false;

/// The weighted median neighbour(s): the index where the cumulative weight passes half, or the
/// two indices around an exact half. With equal weights this is the usual median.
fn weighted_medians(nb: &[Nb]) -> (usize, usize) {
    let total: f64 = nb.iter().map(|x| x.w.max(1e-9)).sum();
    let half = total / 2.0;
    let mut acc = 0.0;
    for (i, x) in nb.iter().enumerate() {
        acc += x.w.max(1e-9);
        if acc > half * (1.0 + 1e-9) {
            return (i, i);
        }
        if acc >= half * (1.0 - 1e-9) {
            return (i, (i + 1).min(nb.len() - 1));
        }
    }
    let last = nb.len().saturating_sub(1);
    (last, last)
}

/// Every layer packed from zero with the minimum separations.
fn packed(input: &PosInput) -> Vec<f64> {
    let mut x = vec![0.0; input.width.len()];
    for l in input.layers {
        let mut cur = 0.0;
        for (i, &v) in l.iter().enumerate() {
            if i > 0 {
                let a = l[i - 1];
                let gap = if input.dummy[a] && input.dummy[v] {
                    input.edge_sep
                } else {
                    input.node_sep
                };
                cur += (input.width[a] + input.width[v]) / 2.0 + gap;
            }
            x[v] = cur;
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
    /// Where the block currently is; decides ties.
    cur: f64,
}

/// Places one layer with the others fixed.
fn place_layer(
    l: &[usize],
    sep: &[f64],
    adj: &[Vec<(usize, f64, f64, f64)>],
    x: &mut [f64],
    work: &mut Work,
    snap: bool,
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
        let cur = x[v] - offset;
        let y = weighted_median(&mut work.targets[start..end], cur, snap);
        work.blocks.push(Block {
            start,
            end,
            first: i,
            y,
            cur,
        });
        while work.blocks.len() >= 2 {
            let k = work.blocks.len();
            if work.blocks[k - 2].y <= work.blocks[k - 1].y {
                break;
            }
            let last = work.blocks.pop();
            if let (Some(last), Some(prev)) = (last, work.blocks.last_mut()) {
                prev.end = last.end;
                prev.cur = (prev.cur + last.cur) / 2.0;
                prev.y = weighted_median(&mut work.targets[prev.start..prev.end], prev.cur, snap);
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

/// The weighted median of `(value, weight)` pairs. When the median is an interval, `snap` keeps
/// the current place clamped into it (so a refinement only moves what it clearly improves),
/// otherwise the middle of the interval is taken.
fn weighted_median(t: &mut [(f64, f64)], cur: f64, snap: bool) -> f64 {
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
            let (a, b) = (t[i].0, t[i + 1].0);
            if !snap {
                return (a + b) / 2.0;
            }
            return cur.clamp(a, b);
        }
    }
    t.last().map_or(0.0, |p| p.0)
}
