//! Frame parsing throughput: the typed parse of three message frames beside two floors on the
//! same compact bytes, `serde_json::from_slice::<IgnoredAny>` (validate and skip) and
//! `serde_json::Value` (generic tree).
//!
//! Run with `cargo bench -p qie-model`; results are recorded in `docs/benchmarks.md`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qie_model::gateway::ServerFrame;
use serde::de::IgnoredAny;

const FIXTURES: [&str; 3] = [
    "dispatch.message_create.json",
    "dispatch.group_at_message_create.json",
    "dispatch.c2c_message_create.json",
];

/// Reads a fixture and removes the whitespace outside strings, keeping the key order of the
/// WebSocket frame (`op`, `s`, `t`, `id`, then `d`).
fn compact_fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("read {path}: {error}"));

    let mut compact = Vec::with_capacity(bytes.len());
    let (mut in_string, mut escaped) = (false, false);
    for byte in bytes {
        if in_string {
            compact.push(byte);
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
            compact.push(byte);
        } else if !byte.is_ascii_whitespace() {
            compact.push(byte);
        }
    }

    // The compact form must still be the same JSON.
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("fixture is JSON");
    let reparsed: serde_json::Value =
        serde_json::from_slice(&compact).expect("compact form is JSON");
    assert_eq!(original, reparsed, "{name}");

    compact
}

fn parse_frames(criterion: &mut Criterion) {
    for name in FIXTURES {
        let bytes = compact_fixture(name);
        let label = name
            .trim_start_matches("dispatch.")
            .trim_end_matches(".json");

        // The typed parse must produce a typed event, not the raw fallback.
        let ServerFrame::Dispatch(dispatch) =
            ServerFrame::from_slice(&bytes).expect("frame parses")
        else {
            panic!("{name} is not a dispatch");
        };
        assert!(
            dispatch.event.kind().is_some(),
            "{name} parsed as {:?}",
            dispatch.event
        );

        let mut group = criterion.benchmark_group(label);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("typed", |bencher| {
            bencher.iter(|| ServerFrame::from_slice(black_box(&bytes)));
        });
        group.bench_function("ignored_any", |bencher| {
            bencher.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(&bytes)));
        });
        group.bench_function("value", |bencher| {
            bencher.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)));
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = parse_frames
}
criterion_main!(benches);
