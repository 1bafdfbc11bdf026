//! Generic, deterministic layered layout for directed graphs with nested (compound) nodes.
//!
//! The crate knows nothing about ASL. Callers give node and label sizes; the layout returns
//! boxes for every node (clusters included) and a polyline route for every edge.
//! Coordinates: x grows right, y grows down, the graph flows top to bottom.
//!
//! Pipeline per nesting level (see `README.md`): cycle breaking (`acyclic`), layering (`rank`),
//! crossing minimisation (`order`), coordinate assignment (`position`) and routing (`route`);
//! `cluster` splits the graph into levels, lays them out bottom-up and places them top-down.
//! [`metrics::metrics`] measures a result (crossings, bends, area, overlaps).

mod acyclic;
mod cluster;
pub mod metrics;
mod order;
mod position;
mod rank;
mod route;

/// Index of a node in [`Graph::nodes`].
pub type NodeId = usize;

/// A graph to lay out. Nodes that are the `parent` of other nodes are clusters (compound nodes):
/// their size is computed from their children, plus padding.
/// Equal graphs (and options) get equal layouts: the layout is deterministic, so a caller may
/// keep a result for as long as its input compares equal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Clone, Debug, PartialEq)]
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

#[derive(Clone, Debug, PartialEq)]
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

#[derive(Clone, Debug, PartialEq)]
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
    cluster::layout(graph, options)
}
