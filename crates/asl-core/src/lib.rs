//! asl-core: see ARCHITECTURE.md.
