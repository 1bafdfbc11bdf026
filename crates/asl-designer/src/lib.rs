//! asl-designer: see ARCHITECTURE.md.
