//! Crossing minimisation: layer-by-layer barycenter sweeps with transposition, keeping the
//! best order seen. Crossings are counted with a Fenwick tree (O(E log V) per layer pair).

/// A segment between adjacent layers: upper node, lower node.
pub(crate) type Seg = (usize, usize);

/// Input of the ordering phase.
pub(crate) struct OrderInput<'a> {
    /// The layer of every node.
    pub layer: &'a [usize],
    /// Segments from a node in layer `r` to a node in layer `r + 1`.
    pub segs: &'a [Seg],
    /// Nodes with a key keep their relative order (by key) in every layer.
    pub pinned: &'a [Option<usize>],
    /// Number of sweeps at most.
    pub max_iter: usize,
}

/// Orders the nodes of every layer, returning the layers left to right.
pub(crate) fn order(input: &OrderInput) -> Vec<Vec<usize>> {
    let n = input.layer.len();
    let nl = input.layer.iter().copied().max().map_or(0, |m| m + 1);
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in input.segs {
        if a < n && b < n && input.layer[a] + 1 == input.layer[b] {
            down[a].push(b);
            up[b].push(a);
        }
    }
    let mut layers = initial_order(n, nl, input.layer, &down);
    let mut pos = vec![0usize; n];
    let set_pos = |layers: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    for l in &mut layers {
        apply_pins(l, input.pinned);
    }
    set_pos(&layers, &mut pos);
    let mut best = layers.clone();
    let mut best_cc = total_crossings(&layers, &down, &pos);
    let mut stale = 0;
    for it in 0..input.max_iter {
        if best_cc == 0 {
            break;
        }
        let downward = it % 2 == 0;
        let order_r: Vec<usize> = if downward {
            (1..nl).collect()
        } else {
            (0..nl.saturating_sub(1)).rev().collect()
        };
        for r in order_r {
            let nb = if downward { &up } else { &down };
            sort_layer(&mut layers[r], nb, &pos, input.pinned);
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
        transpose(&mut layers, &up, &down, &mut pos, input.pinned);
        let cc = total_crossings(&layers, &down, &pos);
        if cc < best_cc {
            best_cc = cc;
            best = layers.clone();
            stale = 0;
        } else {
            stale += 1;
            if stale >= 6 {
                break;
            }
        }
    }
    // Sifting: move every node to its best place in its layer, given the adjacent layers.
    set_pos(&best, &mut pos);
    for round in 0..input.max_iter {
        let downward = round % 2 == 0;
        let mut gained = 0;
        let rs: Vec<usize> = if downward {
            (0..nl).collect()
        } else {
            (0..nl).rev().collect()
        };
        for r in rs {
            gained += sift_layer(&mut best[r], &up, &down, &mut pos, input.pinned);
        }
        if gained == 0 {
            break;
        }
    }
    best
}

/// The widest layer that sifting still reorders.
const MAX_SIFT: usize = 1500;

/// Moves each node of one layer to the position with the fewest crossings towards both
/// adjacent layers. Returns the number of crossings saved.
fn sift_layer(
    l: &mut [usize],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    pos: &mut [usize],
    pinned: &[Option<usize>],
) -> usize {
    let m = l.len();
    // Sifting is quadratic in the layer size; very wide layers keep the sweep result.
    if !(2..=MAX_SIFT).contains(&m) {
        return 0;
    }
    let mut nbs = LayerNbs::default();
    nbs.fill(l, up, down, pos);
    // `slot[i]` is the node (as an index into `nbu`/`nbd`) at position `i`.
    let mut slot: Vec<usize> = (0..m).collect();

    let mut gained = 0;
    let nodes: Vec<usize> = (0..m).collect();
    for &a in &nodes {
        if pinned[l[a]].is_some() {
            continue;
        }
        let Some(cur) = slot.iter().position(|&x| x == a) else {
            continue;
        };
        slot.remove(cur);
        // Cost relative to placing `a` first: moving it past `b` adds c(b, a) - c(a, b).
        let mut best = (0i64, 0usize);
        let mut acc = 0i64;
        let mut cur_cost = 0i64;
        for (i, &b) in slot.iter().enumerate() {
            let (a_left, b_left) = nbs.cross(a, b);
            acc += b_left as i64 - a_left as i64;
            if i + 1 == cur {
                cur_cost = acc;
            }
            if acc < best.0 {
                best = (acc, i + 1);
            }
        }
        if cur == 0 {
            cur_cost = 0;
        }
        if best.0 < cur_cost {
            gained += (cur_cost - best.0) as usize;
            slot.insert(best.1, a);
        } else {
            slot.insert(cur, a);
        }
    }
    let old: Vec<usize> = l.to_vec();
    for (i, &x) in slot.iter().enumerate() {
        l[i] = old[x];
        pos[old[x]] = i;
    }
    gained
}

/// For sorted `a` and `b`: the number of pairs `(x in a, y in b)` with `x > y`, and with `x < y`.
fn count_both(a: &[usize], b: &[usize]) -> (usize, usize) {
    let (mut gt, mut lt) = (0, 0);
    let (mut j_lt, mut j_le) = (0, 0);
    for &x in a {
        while j_lt < b.len() && b[j_lt] < x {
            j_lt += 1;
        }
        if j_le < j_lt {
            j_le = j_lt;
        }
        while j_le < b.len() && b[j_le] <= x {
            j_le += 1;
        }
        gt += j_lt;
        lt += b.len() - j_le;
    }
    (gt, lt)
}

/// Depth-first initial order: nodes appear in each layer in the order a search from the top
/// layer reaches them, which keeps input order and tends to avoid crossings early.
fn initial_order(n: usize, nl: usize, layer: &[usize], down: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); nl];
    let mut seen = vec![false; n];
    let mut starts: Vec<usize> = (0..n).collect();
    starts.sort_by_key(|&v| layer[v]);
    let mut stack = Vec::new();
    for s in starts {
        if seen[s] {
            continue;
        }
        stack.push(s);
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[layer[v]].push(v);
            for &w in down[v].iter().rev() {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    layers
}

/// Sorts one layer by the barycenter of the neighbours in the fixed adjacent layer. Nodes
/// without neighbours keep their slots.
fn sort_layer(l: &mut [usize], nb: &[Vec<usize>], pos: &[usize], pinned: &[Option<usize>]) {
    let mut movable: Vec<(f64, usize, usize)> = Vec::with_capacity(l.len());
    let mut fixed_slot = vec![false; l.len()];
    for (i, &v) in l.iter().enumerate() {
        if nb[v].is_empty() {
            fixed_slot[i] = true;
        } else {
            let s: usize = nb[v].iter().map(|&u| pos[u]).sum();
            movable.push((s as f64 / nb[v].len() as f64, i, v));
        }
    }
    movable.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut k = 0;
    for (i, slot) in l.iter_mut().enumerate() {
        if !fixed_slot[i] {
            *slot = movable[k].2;
            k += 1;
        }
    }
    apply_pins(l, pinned);
}

/// Puts pinned nodes back in key order, using the slots they occupy.
fn apply_pins(l: &mut [usize], pinned: &[Option<usize>]) {
    let slots: Vec<usize> = (0..l.len()).filter(|&i| pinned[l[i]].is_some()).collect();
    if slots.len() < 2 {
        return;
    }
    let mut vs: Vec<usize> = slots.iter().map(|&i| l[i]).collect();
    vs.sort_by_key(|&v| (pinned[v], v));
    for (k, &i) in slots.iter().enumerate() {
        l[i] = vs[k];
    }
}

/// Sorted neighbour positions (above and below) of the nodes of one layer, flattened; the
/// adjacent layers stay fixed while one layer is reordered.
#[derive(Default)]
struct LayerNbs {
    up: Vec<usize>,
    up_off: Vec<usize>,
    down: Vec<usize>,
    down_off: Vec<usize>,
}

impl LayerNbs {
    fn fill(&mut self, l: &[usize], up: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) {
        fn one(
            flat: &mut Vec<usize>,
            off: &mut Vec<usize>,
            l: &[usize],
            nb: &[Vec<usize>],
            pos: &[usize],
        ) {
            flat.clear();
            off.clear();
            off.push(0);
            for &v in l {
                let start = flat.len();
                flat.extend(nb[v].iter().map(|&u| pos[u]));
                flat[start..].sort_unstable();
                off.push(flat.len());
            }
        }
        one(&mut self.up, &mut self.up_off, l, up, pos);
        one(&mut self.down, &mut self.down_off, l, down, pos);
    }

    /// Crossings among the edges of the nodes at indices `a` and `b`: with `a` left of `b`,
    /// and with `b` left of `a`.
    fn cross(&self, a: usize, b: usize) -> (usize, usize) {
        let u = |i: usize| &self.up[self.up_off[i]..self.up_off[i + 1]];
        let d = |i: usize| &self.down[self.down_off[i]..self.down_off[i + 1]];
        let (p, q) = count_both(u(a), u(b));
        let (r, t) = count_both(d(a), d(b));
        (p + r, q + t)
    }
}

/// Swaps adjacent nodes while that reduces crossings with both neighbouring layers.
fn transpose(
    layers: &mut [Vec<usize>],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    pos: &mut [usize],
    pinned: &[Option<usize>],
) {
    let mut nbs = LayerNbs::default();
    let mut slot: Vec<usize> = Vec::new();
    let mut old: Vec<usize> = Vec::new();
    for _ in 0..8 {
        let mut improved = false;
        for l in layers.iter_mut() {
            let m = l.len();
            if m < 2 {
                continue;
            }
            nbs.fill(l, up, down, pos);
            slot.clear();
            slot.extend(0..m);
            let mut changed = false;
            for i in 1..m {
                let (a, b) = (slot[i - 1], slot[i]);
                if pinned[l[a]].is_some() && pinned[l[b]].is_some() {
                    continue;
                }
                let (keep, swap) = nbs.cross(a, b);
                if swap < keep {
                    slot.swap(i - 1, i);
                    changed = true;
                }
            }
            if changed {
                improved = true;
                old.clear();
                old.extend_from_slice(l);
                for (i, &x) in slot.iter().enumerate() {
                    l[i] = old[x];
                    pos[old[x]] = i;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Total crossings between all adjacent layer pairs.
pub(crate) fn total_crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut tree: Vec<usize> = Vec::new();
    for r in 0..layers.len().saturating_sub(1) {
        pairs.clear();
        for &v in &layers[r] {
            for &w in &down[v] {
                pairs.push((pos[v], pos[w]));
            }
        }
        pairs.sort_unstable();
        let m = layers[r + 1].len();
        tree.clear();
        tree.resize(m + 1, 0);
        // Count earlier pairs whose lower end is strictly to the right (an inversion).
        for (k, &(_, q)) in pairs.iter().enumerate() {
            let mut s = 0;
            let mut i = q + 1;
            while i > 0 {
                s += tree[i];
                i &= i - 1;
            }
            total += k - s;
            let mut i = q + 1;
            while i <= m {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}
