//! ASL Studio web app (Leptos CSR): mounts the studio.
fn main() {}
