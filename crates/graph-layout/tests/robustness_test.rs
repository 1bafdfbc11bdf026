//! Generated graphs (a fixed list of seeds, a small linear congruential generator): the layout
//! never panics, and on well-formed input keeps its guarantees (no overlaps, no route through a
//! node, clusters contain exactly their members).

use graph_layout::{Edge, Graph, Node, Options, layout, metrics::metrics};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// A graph; with `weird`, also invalid ids, parent cycles and non-finite sizes.
fn generate(seed: u64, weird: bool) -> Graph {
    let mut r = Lcg(seed);
    let n = r.below(40) as usize;
    let mut g = Graph::new();
    let sizes = [f64::NAN, -10.0, 0.0, f64::INFINITY, 1e300];
    for i in 0..n {
        let (w, h) = if weird && r.below(8) == 0 {
            (sizes[r.below(5) as usize], sizes[r.below(5) as usize])
        } else {
            (20.0 + r.below(140) as f64, 20.0 + r.below(40) as f64)
        };
        let mut node = if r.below(4) == 0 {
            Node::cluster([r.below(30) as f64, 5.0, 5.0, 5.0]).with_size(w, h)
        } else {
            Node::leaf(w, h)
        };
        node.columns = r.below(3) == 0;
        if i > 0 && r.below(2) == 0 {
            // Parents point backwards (a tree) unless the graph is weird.
            let p = if weird {
                r.below(n as u64 + 3) as usize
            } else {
                r.below(i as u64) as usize
            };
            node.parent = Some(p);
        }
        g.add_node(node);
    }
    let m = r.below(3 * n as u64 + 1) as usize;
    for _ in 0..m {
        let span = if weird { n as u64 + 2 } else { n as u64 };
        let mut e = Edge::new(r.below(span) as usize, r.below(span) as usize);
        if r.below(4) == 0 {
            e = e.with_label(
                if weird {
                    f64::NAN
                } else {
                    30.0 + r.below(60) as f64
                },
                14.0,
            );
        }
        e.weight = if weird {
            sizes[r.below(5) as usize]
        } else {
            1.0 + r.below(4) as f64
        };
        g.add_edge(e);
    }
    g
}

#[test]
fn generated_graphs() {
    for seed in 1..=120u64 {
        for weird in [false, true] {
            let g = generate(seed, weird);
            let options = if weird && seed % 3 == 0 {
                Options {
                    rank_sep: f64::NAN,
                    node_sep: -4.0,
                    edge_sep: f64::INFINITY,
                }
            } else {
                Options::default()
            };
            let l = layout(&g, &options);
            assert_eq!(l.nodes.len(), g.nodes.len(), "seed {seed}");
            assert_eq!(l.edges.len(), g.edges.len(), "seed {seed}");
            assert!(
                l.edges.iter().all(|e| e.points.len() >= 2),
                "seed {seed}: routes have two points"
            );
            if weird {
                continue;
            }
            assert!(
                l.nodes.iter().all(|r| r.x.is_finite() && r.y.is_finite()),
                "seed {seed}: finite rects"
            );
            let m = metrics(&g, &l);
            assert_eq!(m.node_overlaps, 0, "seed {seed}: node overlaps");
            assert_eq!(m.cluster_violations, 0, "seed {seed}: cluster boxes");
            assert_eq!(m.edges_through_nodes, 0, "seed {seed}: edges through nodes");
        }
    }
}
