//! Fixture loading shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// Returns the path of a fixture file.
pub(crate) fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures")).join(name)
}

/// Returns the bytes of a fixture file.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|error| panic!("read fixture {name}: {error}"))
}

/// Returns a fixture as compact JSON bytes (no whitespace between tokens).
pub(crate) fn compact_fixture(name: &str) -> Vec<u8> {
    serde_json::to_vec(&fixture_value(name)).expect("a JSON value serializes")
}

/// Returns a fixture parsed as a JSON value.
pub(crate) fn fixture_value(name: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}
