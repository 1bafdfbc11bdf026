//! The only code that talks to the browser: storage, files, timers, the DOM and the code editor bundle.

pub mod dom;
pub mod editor;
pub mod files;
pub mod js_api;
pub mod location;
pub mod measure;
pub mod storage;
