//! Heartbeats follow the Hello interval, restart on each connection, and a connection whose
//! heartbeats go unacknowledged is declared dead and resumed.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use qie_gateway::{ReconnectReason, Shard, ShardId};
use qie_model::gateway::ClientFrame;
use tokio::time::Instant;

use common::{Received, ServerConn, TestServer, config_builder, established, spawn};

/// Receives `count` heartbeats without anything else in between, acknowledging each, and
/// checks that each arrives one interval after the previous (the first one after `start`).
async fn assert_heartbeats(
    connection: &mut ServerConn,
    start: Instant,
    interval: Duration,
    count: usize,
    expected: Option<u64>,
) {
    let mut previous = start;
    for beat in 0..count {
        let Received::Frame(ClientFrame::Heartbeat(seq)) = connection.recv_any().await else {
            panic!("expected heartbeat {beat}");
        };
        let now = Instant::now();
        assert_eq!(now - previous, interval, "gap before heartbeat {beat}");
        assert_eq!(seq, expected, "d of heartbeat {beat}");
        connection.ack().await;
        previous = now;
    }
}

async fn heartbeat_interval_case(interval_ms: u64) {
    let interval = Duration::from_millis(interval_ms);
    let mut server = TestServer::start().await;
    // READY is held back past the first heartbeat, so the handshake timeout must be longer.
    let config = config_builder(&server.url)
        .handshake_timeout(Duration::from_secs(120))
        .build();
    let mut events = spawn(Shard::new(ShardId::ONE, config));

    let mut connection = server.next_connection().await;
    connection.hello(interval_ms).await;
    let hello_at = Instant::now();
    connection.expect_identify().await;

    // READY is held back, so the first heartbeat comes before any dispatch.
    assert_heartbeats(&mut connection, hello_at, interval, 1, None).await;
    let first_beat = Instant::now();
    connection.ready("session-hb", 1, [0, 1]).await;
    connection.dispatch(2, 2).await;
    assert_eq!(events.next_dispatch().await.0, 2);

    assert_heartbeats(&mut connection, first_beat, interval, 3, Some(2)).await;
}

#[test]
fn heartbeat_every_45_seconds() {
    common::run(async {
        heartbeat_interval_case(45_000).await;
    });
}

#[test]
fn heartbeat_every_41_25_seconds() {
    common::run(async {
        heartbeat_interval_case(41_250).await;
    });
}

#[test]
fn heartbeat_restarts_after_reconnect() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (_events, mut first) = established(&mut server).await;
        first.serve_heartbeats_for(Duration::from_secs(100)).await;
        first.close(4009).await;

        let mut second = server.next_connection().await;
        second.hello(41_250).await;
        let hello_at = Instant::now();
        let resume = second.expect_resume().await;
        second.resumed(3).await;

        assert_eq!(resume.seq, 2);
        // The new connection's timer starts at its Hello, with its interval, carrying the held seq.
        assert_heartbeats(
            &mut second,
            hello_at,
            Duration::from_millis(41_250),
            3,
            Some(2),
        )
        .await;
    });
}

#[test]
fn missing_acks_trigger_resume() {
    common::run(async {
        let interval = Duration::from_secs(45);
        let mut server = TestServer::start().await;
        let (mut events, mut first) = established(&mut server).await;
        first.serve_heartbeats_for(interval * 3).await;

        // From here on nothing is acknowledged.
        let silent_since = Instant::now();
        let mut unacknowledged = 0;
        let close_code = loop {
            match first.recv_any().await {
                Received::Frame(ClientFrame::Heartbeat(_)) => unacknowledged += 1,
                Received::Frame(other) => panic!("unexpected frame {other:?}"),
                Received::Closed(code) => break code,
            }
        };

        let mut second = server.next_connection().await;
        let detected_after = second.opened_at - silent_since;
        second.hello(45_000).await;
        let resume = second.expect_resume().await;

        assert_eq!(
            unacknowledged, 1,
            "one heartbeat goes unanswered, the next is not sent"
        );
        assert_eq!(close_code, Some(4000), "closed with a resumable code");
        assert!(
            detected_after <= interval * 2,
            "detected after {detected_after:?}"
        );
        assert_eq!(resume.session_id, "session-1");
        assert_eq!(resume.seq, 2);
        let reconnecting = events.until_reconnecting().await;
        assert!(
            matches!(reconnecting.reason, ReconnectReason::HeartbeatAckMissed),
            "{:?}",
            reconnecting.reason
        );
        assert!(reconnecting.resume);
        assert_eq!(reconnecting.delay, Duration::ZERO);
    });
}

#[test]
fn server_heartbeat_request_answered_at_once() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (_events, mut connection) = established(&mut server).await;

        let asked_at = Instant::now();
        connection
            .send_json(serde_json::json!({"op": 1, "d": null}))
            .await;
        let Received::Frame(ClientFrame::Heartbeat(seq)) = connection.recv_any().await else {
            panic!("expected a heartbeat");
        };

        assert_eq!(Instant::now(), asked_at);
        assert_eq!(seq, Some(2));
    });
}
