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
        Options { rank_sep: 48.0, node_sep: 32.0, edge_sep: 12.0 }
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
