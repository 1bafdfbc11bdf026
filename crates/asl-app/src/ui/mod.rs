//! The components, one per file, in folders that mirror the screen.

pub mod app;
pub mod canvas;
pub mod code;
pub mod diagnostics;
pub mod dialogs;
pub mod drop;
pub mod file_button;
pub mod header;
pub mod iac;
pub mod image;
pub mod inspector;
pub mod palette;
pub mod run;
pub mod share;
