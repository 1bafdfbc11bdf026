//! asl-graph: see ARCHITECTURE.md.
