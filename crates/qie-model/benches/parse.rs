//! Placeholder replaced by the frame parsing benchmark.
fn main() {}
