//! Dispatch throughput of one shard: a WebSocket server on 127.0.0.1 sends GROUP_AT_MESSAGE_CREATE
//! frames as fast as it can, and the benchmark times until the shard's stream has yielded all of
//! them as typed events. The server runs on its own thread and runtime, so its work overlaps the
//! shard's as it would over a network.
//!
//! Three groups: `shard/wall` is elapsed time, which on a busy machine also measures the other
//! processes; `shard/cpu` is the CPU time of the thread that runs the shard and its consumer (read
//! from `/proc/thread-self/schedstat`, so Linux only), which is what the shard costs; `parse` is
//! the floor, `ServerFrame::from_slice` on the same frames.
//!
//! Run with `cargo bench -p qie-gateway --bench throughput`.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::{SinkExt, StreamExt};
use qie_gateway::{Config, Shard, ShardEvent, ShardId, StaticToken};
use qie_model::event::Event;
use qie_model::gateway::Intents;
use qie_model::secret::AccessToken;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// Events per measured batch.
const BATCH: u64 = 20_000;

/// The `d` of the group message fixture, compacted.
fn group_message_payload() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/dispatch.group_at_message_create.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let frame: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");

    frame["d"].to_string()
}

/// Builds the frames of one batch, numbered from `first`.
fn batch_frames(payload: &str, first: u64) -> Vec<Message> {
    (first..first + BATCH)
        .map(|seq| {
            Message::text(format!(
                r#"{{"op":0,"s":{seq},"t":"GROUP_AT_MESSAGE_CREATE","id":"GROUP_AT_MESSAGE_CREATE:{seq:012}","d":{payload}}}"#
            ))
        })
        .collect()
}

/// Starts a gateway on its own thread that answers Identify with READY and then sends each batch
/// it receives; returns its URL and the batch sender.
fn start_gateway() -> (String, mpsc::UnboundedSender<Vec<Message>>) {
    let (batches, mut batch_receiver) = mpsc::unbounded_channel::<Vec<Message>>();
    let (url_sender, url_receiver) = std::sync::mpsc::channel();

    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            url_sender
                .send(format!("ws://{}/websocket", listener.local_addr().expect("address")))
                .expect("url");
            let (stream, _) = listener.accept().await.expect("accept");
            stream.set_nodelay(true).expect("nodelay");
            let socket = tokio_tungstenite::accept_async(stream).await.expect("upgrade");
            let (mut sink, mut source) = socket.split();

            sink.send(Message::text(r#"{"op":10,"d":{"heartbeat_interval":45000}}"#))
                .await
                .expect("hello");
            // Identify, then acknowledge heartbeats for the rest of the run.
            source.next().await.expect("identify").expect("identify frame");
            let ready = r#"{"op":0,"s":1,"t":"READY","d":{"version":1,"session_id":"bench","user":{"id":"1","username":"bench","bot":true},"shard":[0,1]}}"#;
            sink.send(Message::text(ready)).await.expect("ready");
            let (acks, mut ack_receiver) = mpsc::unbounded_channel::<()>();
            tokio::spawn(async move {
                while let Some(Ok(_)) = source.next().await {
                    let _ = acks.send(());
                }
            });

            loop {
                tokio::select! {
                    batch = batch_receiver.recv() => {
                        let Some(batch) = batch else { return };
                        for frame in batch {
                            sink.feed(frame).await.expect("send");
                        }
                        sink.flush().await.expect("flush");
                    }
                    Some(()) = ack_receiver.recv() => {
                        sink.send(Message::text(r#"{"op":11}"#)).await.expect("ack");
                    }
                }
            }
        });
    });

    (url_receiver.recv().expect("gateway url"), batches)
}

/// What a measurement counts.
#[derive(Clone, Copy)]
enum Clock {
    Wall,
    Cpu,
}

impl Clock {
    fn name(self) -> &'static str {
        match self {
            Self::Wall => "wall",
            Self::Cpu => "cpu",
        }
    }

    /// Elapsed time since a fixed origin, or the calling thread's CPU time.
    fn now(self) -> Duration {
        static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        let wall = || ORIGIN.get_or_init(Instant::now).elapsed();
        match self {
            Self::Wall => wall(),
            Self::Cpu => std::fs::read_to_string("/proc/thread-self/schedstat")
                .ok()
                .and_then(|text| text.split_whitespace().next()?.parse().ok())
                .map_or_else(wall, Duration::from_nanos),
        }
    }
}

/// Takes one batch of typed dispatches from the shard.
async fn receive_batch(shard: &mut Shard) {
    let mut received = 0;
    while received < BATCH {
        match shard.next().await {
            Some(Ok(ShardEvent::Dispatch(dispatch))) => {
                assert!(matches!(dispatch.event, Event::GroupAtMessageCreate(_)));
                received += 1;
            }
            Some(Ok(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn shard_throughput(criterion: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("shard runtime");
    let payload = group_message_payload();
    let (url, batches) = start_gateway();

    let config = Config::builder(
        StaticToken::new(AccessToken::new("bench-token")),
        Intents::GROUP_AND_C2C,
    )
    .gateway_url(url)
    .build();
    let mut shard = Shard::new(ShardId::ONE, config);
    runtime
        .block_on(async { while !matches!(shard.next().await, Some(Ok(ShardEvent::Ready(_)))) {} });

    let mut next_seq = 2;
    let mut group = criterion.benchmark_group("shard");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(20));
    for clock in [Clock::Wall, Clock::Cpu] {
        group.bench_function(clock.name(), |bencher| {
            bencher.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let frames = batch_frames(&payload, next_seq);
                    next_seq += BATCH;

                    let start = clock.now();
                    batches.send(frames).expect("gateway running");
                    runtime.block_on(receive_batch(&mut shard));
                    total += clock.now().saturating_sub(start);
                }

                total
            });
        });
    }
    group.finish();
}

/// The floor: parsing the same frames with `ServerFrame::from_slice` and nothing else.
fn parse_only(criterion: &mut Criterion) {
    let payload = group_message_payload();
    let frames: Vec<String> = batch_frames(&payload, 2)
        .into_iter()
        .map(|frame| frame.into_text().expect("text frame").to_string())
        .collect();

    let mut group = criterion.benchmark_group("parse");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(20);
    group.bench_function("group_at_message_create", |bencher| {
        bencher.iter(|| {
            for frame in &frames {
                let parsed = qie_model::gateway::ServerFrame::from_slice(frame.as_bytes());
                assert!(parsed.is_ok());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, shard_throughput, parse_only);
criterion_main!(benches);
