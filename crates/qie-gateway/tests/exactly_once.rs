//! Every dispatch reaches the application exactly once and in order, however the connection
//! breaks and however the gateway replays.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use qie_gateway::{ReconnectReason, Shard, ShardEvent, ShardId};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

use common::{ServerConn, TestServer, config_builder, established, spawn};

/// Dispatches after READY (`s` 1), so sequence numbers run from 2 to `EVENTS + 1`.
const EVENTS: u64 = 5_000;
const EVENT_COUNT: usize = 5_000;
const DROPS: usize = 50;
const SEED: u64 = 0x00C0_FFEE_2026;

/// How the scripted gateway breaks a connection.
#[derive(Clone, Copy, Debug)]
enum Break {
    /// Drop TCP without a closing handshake; frames the client has not read yet are lost.
    Drop,
    /// Close with a code that keeps the session.
    Close(u16),
    /// op 7, then drop TCP.
    Reconnect,
}

const BREAKS: [Break; 6] = [
    Break::Drop,
    Break::Close(4009),
    Break::Close(1000),
    Break::Close(4000),
    Break::Reconnect,
    Break::Drop,
];

/// Runs the scripted gateway. It sends every event and breaks the connection after each sequence
/// number in `drop_after`. On each Resume it replays from up to three events before the client's
/// `seq`. Returns the number of connections it accepted.
async fn flaky_gateway(
    mut server: TestServer,
    drop_after: BTreeSet<u64>,
    mut rng: SmallRng,
) -> usize {
    let last = EVENTS + 1;
    let mut connection = server.next_connection().await;
    connection.accept_identify("session-flaky", [0, 1]).await;

    let mut next = 2;
    loop {
        while next <= last {
            connection.dispatch(next, next).await;
            next += 1;
            if drop_after.contains(&(next - 1)) {
                break;
            }
        }
        if next > last && !drop_after.contains(&last) {
            break;
        }

        let how = BREAKS[rng.random_range(0..BREAKS.len())];
        break_connection(&mut connection, how).await;

        connection = resume_connection(&mut server, &mut rng, next).await;
    }

    // Keep the final connection alive until the test has what it needs.
    connection
        .serve_heartbeats_for(std::time::Duration::from_secs(3600))
        .await;

    server.accepted()
}

async fn break_connection(connection: &mut ServerConn, how: Break) {
    match how {
        Break::Drop => connection.drop_connection(),
        Break::Close(code) => connection.close(code).await,
        Break::Reconnect => {
            connection.send_json(serde_json::json!({"op": 7})).await;
            connection.drop_connection();
        }
    }
}

/// Accepts the client's next connection, checks its Resume and replays up to `next - 1`.
async fn resume_connection(server: &mut TestServer, rng: &mut SmallRng, next: u64) -> ServerConn {
    let mut connection = server.next_connection().await;
    connection.hello(45_000).await;
    let resume = connection.expect_resume().await;
    assert_eq!(resume.session_id, "session-flaky");
    assert!(
        resume.seq < next,
        "resume seq {} beyond what was sent",
        resume.seq
    );

    // Replay a few events the client already has, to check that they are dropped.
    let from = resume.seq.saturating_sub(rng.random_range(0..=3)).max(2);
    for seq in from..next {
        connection.dispatch(seq, seq).await;
    }
    connection.resumed(next).await;

    connection
}

#[test]
fn fifty_drops_lose_nothing() {
    common::run(async {
        let mut rng = SmallRng::seed_from_u64(SEED);
        let mut drop_after = BTreeSet::new();
        while drop_after.len() < DROPS {
            drop_after.insert(rng.random_range(2..=EVENTS + 1));
        }

        let server = TestServer::start().await;
        // Without the event id window, only sequence numbers keep replays out.
        let config = config_builder(&server.url).dedupe_window(0).build();
        let mut events = spawn(Shard::new(ShardId::ONE, config));
        let gateway = tokio::spawn(flaky_gateway(server, drop_after, rng));

        let mut delivered = Vec::with_capacity(EVENT_COUNT);
        let mut reconnects = 0;
        let deadline = tokio::time::Instant::now() + common::PATIENCE;
        while delivered.len() < EVENT_COUNT {
            if gateway.is_finished() || tokio::time::Instant::now() > deadline {
                // Surface the gateway's panic, if any, instead of waiting forever.
                gateway.await.unwrap();
                panic!("only {} of {EVENTS} events delivered", delivered.len());
            }
            match events.next_event().await {
                ShardEvent::Dispatch(dispatch) => delivered.push(dispatch.seq.unwrap()),
                ShardEvent::Reconnecting(reconnecting) => {
                    assert!(reconnecting.resume, "{:?}", reconnecting.reason);
                    assert!(
                        !matches!(reconnecting.reason, ReconnectReason::InvalidSession { .. }),
                        "{:?}",
                        reconnecting.reason
                    );
                    reconnects += 1;
                }
                _ => {}
            }
        }

        let expected: Vec<u64> = (2..=EVENTS + 1).collect();
        assert_eq!(delivered.len(), expected.len());
        let first_difference = delivered.iter().zip(&expected).position(|(a, b)| a != b);
        assert_eq!(first_difference, None, "stream diverges at this index");
        assert_eq!(reconnects, DROPS);
        gateway.abort();
    });
}

#[test]
fn duplicate_event_id_dropped() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut connection) = established(&mut server).await;

        // Same event id under a new sequence number, as a redelivery would look.
        connection.dispatch(3, 2).await;
        connection.dispatch(4, 4).await;

        assert_eq!(events.next_dispatch().await.0, 4);
    });
}

#[test]
fn replay_of_delivered_seq_dropped() {
    common::run(async {
        let mut server = TestServer::start().await;
        let config = config_builder(&server.url).dedupe_window(0).build();
        let mut events = spawn(Shard::new(ShardId::ONE, config));
        let mut connection = server.next_connection().await;
        connection.accept_identify("session-1", [0, 1]).await;
        connection.dispatch(2, 2).await;
        assert_eq!(events.next_dispatch().await.0, 2);
        connection.dispatch(3, 3).await;
        assert_eq!(events.next_dispatch().await.0, 3);

        connection.close(4009).await;
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        let resume = second.expect_resume().await;
        for seq in 2..=5 {
            second.dispatch(seq, seq).await;
        }
        second.resumed(6).await;

        assert_eq!(resume.seq, 3);
        assert_eq!(events.next_dispatch().await.0, 4);
        assert_eq!(events.next_dispatch().await.0, 5);
        let resumed = events.until_resumed().await;
        assert_eq!(resumed.replayed, 2);
    });
}

#[test]
fn dispatch_after_numbered_resumed_kept() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut connection) = established(&mut server).await;

        connection.close(4009).await;
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        second.expect_resume().await;
        // RESUMED numbered like the next dispatch must not hide that dispatch.
        second.resumed(3).await;
        second.dispatch(3, 3).await;

        assert_eq!(events.next_dispatch().await.0, 3);
    });
}
