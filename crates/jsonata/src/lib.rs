//! jsonata: see ARCHITECTURE.md.
