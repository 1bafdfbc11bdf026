//! asl-path: see ARCHITECTURE.md.
