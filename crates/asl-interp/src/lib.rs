//! asl-interp: see ARCHITECTURE.md.
