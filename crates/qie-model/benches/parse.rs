//! Frame parsing throughput: the typed parse of three message frames beside two floors on the
//! same compact bytes, `serde_json::from_slice::<IgnoredAny>` (validate and skip) and
//! `serde_json::Value` (generic tree).
//!
//! `typed_d_first` parses the same frame with `d` moved before `t` (the order of webhook bodies),
//! which the fast path declines, so it measures the serde path.
//!
//! Each comparison runs twice: with criterion's wall-clock time (groups named after the
//! fixture) and with the benchmark thread's CPU time (groups ending in `@cpu`), which other
//! processes on a shared machine disturb much less.
//!
//! Run with `cargo bench -p qie-model`; results are recorded in `docs/benchmarks.md`.

use std::hint::black_box;
use std::time::Duration;

use cpu_time::ThreadTime;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
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

/// Moves `"d":…` of a compact `{"op":…,"s":…,"t":…,"id":…,"d":…}` frame to the front.
fn data_first(frame: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(frame).expect("fixture is UTF-8");
    let split = text
        .find(",\"d\":")
        .expect("frame has d after the envelope");
    let envelope = &text[1..split];
    let data = &text[split + 1..text.len() - 1];
    let reordered = format!("{{{data},{envelope}}}");

    let ServerFrame::Dispatch(original) = ServerFrame::from_slice(frame).expect("frame parses")
    else {
        panic!("not a dispatch");
    };
    let ServerFrame::Dispatch(moved) =
        ServerFrame::from_slice(reordered.as_bytes()).expect("reordered frame parses")
    else {
        panic!("not a dispatch");
    };
    assert_eq!(original, moved, "reordering keeps the frame");

    reordered.into_bytes()
}

/// CPU time of the benchmark thread (`CLOCK_THREAD_CPUTIME_ID`).
struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = ThreadTime;
    type Value = Duration;

    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }

    fn end(&self, started: ThreadTime) -> Duration {
        started.elapsed()
    }

    fn add(&self, first: &Duration, second: &Duration) -> Duration {
        *first + *second
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_secs_f64() * 1e9
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        // Values are nanoseconds, as for wall-clock time.
        WallTime.formatter()
    }
}

fn parse_frames<M: Measurement>(criterion: &mut Criterion<M>, suffix: &str) {
    for name in FIXTURES {
        let bytes = compact_fixture(name);
        let label = format!(
            "{}{suffix}",
            name.trim_start_matches("dispatch.")
                .trim_end_matches(".json")
        );

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

        let d_first = data_first(&bytes);
        let mut group = criterion.benchmark_group(label);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("typed", |bencher| {
            bencher.iter(|| ServerFrame::from_slice(black_box(&bytes)));
        });
        group.bench_function("typed_d_first", |bencher| {
            bencher.iter(|| ServerFrame::from_slice(black_box(&d_first)));
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

fn wall_clock(criterion: &mut Criterion) {
    parse_frames(criterion, "");
}

fn cpu_time(criterion: &mut Criterion<ThreadCpuTime>) {
    parse_frames(criterion, "@cpu");
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = wall_clock_benches;
    config = config();
    targets = wall_clock
}

criterion_group! {
    name = cpu_time_benches;
    config = config().with_measurement(ThreadCpuTime);
    targets = cpu_time
}

criterion_main!(wall_clock_benches, cpu_time_benches);
