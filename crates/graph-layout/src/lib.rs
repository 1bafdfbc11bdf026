//! graph-layout: see ARCHITECTURE.md.
