//! Generic, deterministic layered layout for directed graphs with nested (compound) nodes.
//!
//! The crate knows nothing about ASL. Callers give node and label sizes; the layout returns
//! boxes for every node (clusters included) and a polyline route for every edge.
//! Coordinates: x grows right, y grows down, the graph flows top to bottom.

/// Index of a node in [`Graph::nodes`].
pub type NodeId = usize;

/// A graph to lay out. Nodes that are the `parent` of other nodes are clusters (compound nodes):
/// their size is computed from their children, plus padding.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Clone, Debug)]
pub struct Node {
    /// The cluster this node sits in, if any.
    pub parent: Option<NodeId>,
    /// Size of a leaf node. For clusters, the minimum size (e.g. to fit a title).
    pub width: f64,
    pub height: f64,
    /// Extra space inside a cluster: [top, right, bottom, left]. Ignored for leaves.
    pub padding: [f64; 4],
    /// Lay the children of this cluster out as side-by-side columns, one per child
    /// cluster (used for Parallel branches). Ignored for leaves.
    pub columns: bool,
}

#[derive(Clone, Debug)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    /// Size of the edge's label, if it has one.
    pub label: Option<(f64, f64)>,
    /// Prefer this edge to be straight and short (e.g. the main `Next` chain).
    pub weight: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Vertical gap between layers.
    pub rank_sep: f64,
    /// Horizontal gap between nodes in one layer.
    pub node_sep: f64,
    /// Horizontal gap between edges routed through one layer.
    pub edge_sep: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rank_sep: 48.0,
            node_sep: 32.0,
            edge_sep: 12.0,
        }
    }
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Adds a node and returns its id.
    pub fn add_node(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Adds an edge and returns its index in [`Graph::edges`].
    pub fn add_edge(&mut self, edge: Edge) -> usize {
        self.edges.push(edge);
        self.edges.len() - 1
    }
}

impl Node {
    /// A leaf node of the given size, at the top level.
    pub fn leaf(width: f64, height: f64) -> Node {
        Node {
            parent: None,
            width,
            height,
            padding: [0.0; 4],
            columns: false,
        }
    }

    /// A cluster (compound node) with the given inner padding `[top, right, bottom, left]`.
    /// Its size comes from its children; `width`/`height` stay as a minimum (zero here).
    pub fn cluster(padding: [f64; 4]) -> Node {
        Node {
            parent: None,
            width: 0.0,
            height: 0.0,
            padding,
            columns: false,
        }
    }

    /// Puts this node inside the cluster `parent`.
    pub fn with_parent(mut self, parent: NodeId) -> Node {
        self.parent = Some(parent);
        self
    }

    /// Sets the minimum size (for clusters) or the size (for leaves).
    pub fn with_size(mut self, width: f64, height: f64) -> Node {
        self.width = width;
        self.height = height;
        self
    }

    /// Lays the child clusters of this cluster out side by side (Parallel branches).
    pub fn with_columns(mut self) -> Node {
        self.columns = true;
        self
    }
}

impl Edge {
    /// An unlabelled edge with weight 1.
    pub fn new(from: NodeId, to: NodeId) -> Edge {
        Edge {
            from,
            to,
            label: None,
            weight: 1.0,
        }
    }

    /// Gives the edge a label of the given size.
    pub fn with_label(mut self, width: f64, height: f64) -> Edge {
        self.label = Some((width, height));
        self
    }

    /// Sets the weight (higher keeps the edge straighter and shorter).
    pub fn with_weight(mut self, weight: f64) -> Edge {
        self.weight = weight;
        self
    }
}

/// The result: one rect per node (same order as [`Graph::nodes`]) and one route per edge.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub nodes: Vec<Rect>,
    pub edges: Vec<EdgeRoute>,
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Debug, Default)]
pub struct EdgeRoute {
    /// Polyline from the source's border to the target's border (at least two points).
    pub points: Vec<Point>,
    /// Centre of the label, when the edge has one.
    pub label: Option<Point>,
    /// True if the edge was reversed to break a cycle (a back edge / loop).
    pub back: bool,
}

/// Lays the graph out top to bottom. Never panics: invalid parents are treated as top level,
/// and self-loops, multi-edges and cycles are allowed.
pub fn layout(graph: &Graph, options: &Options) -> Layout {
    simple_layout(graph, options)
}

/// A first, simple layout: longest-path ranks, nodes in input order per rank.
fn simple_layout(graph: &Graph, options: &Options) -> Layout {
    let n = graph.nodes.len();
    let parent: Vec<Option<NodeId>> = (0..n)
        .map(|i| graph.nodes[i].parent.filter(|&p| p < n && p != i))
        .collect();
    let mut has_child = vec![false; n];
    for p in parent.iter().flatten() {
        has_child[*p] = true;
    }
    // Ranks by longest path over forward edges (from < to in DFS finishing order).
    let mut adj = vec![Vec::new(); n];
    for e in &graph.edges {
        if e.from < n && e.to < n && e.from != e.to && !has_child[e.from] && !has_child[e.to] {
            adj[e.from].push(e.to);
        }
    }
    let mut state = vec![0u8; n];
    let mut post = Vec::with_capacity(n);
    for s in 0..n {
        if state[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        state[s] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if *i < adj[v].len() {
                let w = adj[v][*i];
                *i += 1;
                if state[w] == 0 {
                    state[w] = 1;
                    stack.push((w, 0));
                }
            } else {
                state[v] = 2;
                post.push(v);
                stack.pop();
            }
        }
    }
    let mut order_pos = vec![0usize; n];
    for (k, &v) in post.iter().rev().enumerate() {
        order_pos[v] = k;
    }
    let mut rank = vec![0usize; n];
    for &v in post.iter().rev() {
        for &w in &adj[v] {
            if order_pos[w] > order_pos[v] {
                rank[w] = rank[w].max(rank[v] + 1);
            }
        }
    }
    let max_w = graph.nodes.iter().map(|nd| nd.width).fold(0.0, f64::max);
    let max_h = graph.nodes.iter().map(|nd| nd.height).fold(0.0, f64::max);
    let mut count = vec![0usize; n + 1];
    let mut rects = vec![Rect::default(); n];
    for v in 0..n {
        if has_child[v] {
            continue;
        }
        let k = count[rank[v]];
        count[rank[v]] += 1;
        rects[v] = Rect {
            x: k as f64 * (max_w + options.node_sep),
            y: rank[v] as f64 * (max_h + options.rank_sep),
            width: graph.nodes[v].width,
            height: graph.nodes[v].height,
        };
    }
    for v in 0..n {
        if !has_child[v] {
            continue;
        }
        let mut bb: Option<(f64, f64, f64, f64)> = None;
        for c in 0..n {
            let mut p = parent[c];
            let mut steps = 0;
            let mut inside = false;
            while let Some(q) = p {
                if q == v {
                    inside = true;
                    break;
                }
                steps += 1;
                if steps > n {
                    break;
                }
                p = parent[q];
            }
            if inside && !has_child[c] {
                let r = rects[c];
                bb = Some(match bb {
                    None => (r.x, r.y, r.x + r.width, r.y + r.height),
                    Some((a, b, c2, d)) => (
                        a.min(r.x),
                        b.min(r.y),
                        c2.max(r.x + r.width),
                        d.max(r.y + r.height),
                    ),
                });
            }
        }
        let pad = graph.nodes[v].padding;
        let (x0, y0, x1, y1) = bb.unwrap_or((0.0, 0.0, 0.0, 0.0));
        rects[v] = Rect {
            x: x0 - pad[3],
            y: y0 - pad[0],
            width: (x1 - x0 + pad[1] + pad[3]).max(graph.nodes[v].width),
            height: (y1 - y0 + pad[0] + pad[2]).max(graph.nodes[v].height),
        };
    }
    let edges = graph
        .edges
        .iter()
        .map(|e| {
            let (a, b) = (
                rects.get(e.from).copied().unwrap_or_default(),
                rects.get(e.to).copied().unwrap_or_default(),
            );
            let p = Point {
                x: a.x + a.width / 2.0,
                y: a.y + a.height,
            };
            let q = Point {
                x: b.x + b.width / 2.0,
                y: b.y,
            };
            EdgeRoute {
                points: vec![p, q],
                label: e.label.map(|_| Point {
                    x: (p.x + q.x) / 2.0,
                    y: (p.y + q.y) / 2.0,
                }),
                back: b.y <= a.y,
            }
        })
        .collect();
    let width = rects.iter().map(|r| r.x + r.width).fold(0.0, f64::max);
    let height = rects.iter().map(|r| r.y + r.height).fold(0.0, f64::max);
    Layout {
        nodes: rects,
        edges,
        width,
        height,
    }
}
