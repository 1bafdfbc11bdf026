//! Project automation: setup, serve, test, bench.
fn main() {}
