//! The components, one per file, in folders that mirror the screen.

pub mod app;
pub mod canvas;
pub mod code;
pub mod diagnostics;
pub mod drop;
pub mod header;
pub mod inspector;
pub mod palette;
pub mod run;
