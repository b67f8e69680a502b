//! Frames the client cannot use are skipped without dropping the connection, payloads that do not
//! fit their type still arrive, and a slow application does not cost the connection.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use qie_gateway::{Shard, ShardEvent, ShardId};
use qie_model::event::Event;
use qie_model::gateway::ClientFrame;
use serde_json::json;

use common::{Events, Received, TestServer, config_builder, established};

/// Takes the next dispatch and returns its event.
async fn next_event(events: &mut Events) -> (u64, Event) {
    loop {
        if let ShardEvent::Dispatch(dispatch) = events.next_event().await {
            return (dispatch.seq.unwrap(), dispatch.event);
        }
    }
}

/// Checks that nothing but heartbeats happened on the connection for five minutes and that the
/// stream reported no reconnect.
async fn assert_connection_kept(
    server: &mut TestServer,
    connection: &mut common::ServerConn,
    events: &mut Events,
) {
    let received = connection
        .serve_heartbeats_for(Duration::from_secs(300))
        .await;

    assert!(received.is_none(), "unexpected {received:?}");
    assert_eq!(server.accepted(), 1);
    while let Some(item) = events.try_next() {
        assert!(!matches!(item, Ok(ShardEvent::Reconnecting(_))), "{item:?}");
    }
}

#[test]
fn bad_frames_skipped_connection_kept() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut connection) = established(&mut server).await;

        connection
            .send_text("{\"op\": 0, \"s\": 3, \"t\": \"FRIEND_ADD\"")
            .await;
        connection.send_text("not json at all").await;
        connection.send_json(json!({"s": 3})).await;
        connection
            .send_binary(common::dispatch_text(3, 3).into_bytes())
            .await;
        connection.send_json(json!({"op": 42, "d": {"x": 1}})).await;
        connection
            .send_json(json!({"op": 10, "d": {"heartbeat_interval": 1000}}))
            .await;
        connection.dispatch(3, 3).await;

        let (seq, event) = next_event(&mut events).await;
        assert_eq!(seq, 3);
        assert_eq!(event.name(), "FRIEND_ADD");
        assert_connection_kept(&mut server, &mut connection, &mut events).await;
    });
}

#[test]
fn second_hello_does_not_change_interval() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (_events, mut connection) = established(&mut server).await;

        connection
            .send_json(json!({"op": 10, "d": {"heartbeat_interval": 1000}}))
            .await;
        let Received::Frame(ClientFrame::Heartbeat(_)) = connection.recv_any().await else {
            panic!("expected a heartbeat");
        };

        assert_eq!(
            tokio::time::Instant::now() - connection.opened_at,
            Duration::from_secs(45)
        );
    });
}

#[test]
fn mistyped_payload_delivered_raw() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut connection) = established(&mut server).await;

        // `author` must be an object; the event still arrives, as raw JSON.
        connection
            .send_json(json!({
                "op": 0, "s": 3, "t": "AT_MESSAGE_CREATE", "id": "AT_MESSAGE_CREATE:3",
                "d": {"id": "m1", "author": 5, "content": "hi"}
            }))
            .await;
        connection
            .send_json(json!({"op": 0, "s": 4, "t": "SOMETHING_NEW", "id": "SOMETHING_NEW:4", "d": [1, 2]}))
            .await;

        let (seq, event) = next_event(&mut events).await;
        assert_eq!(seq, 3);
        let Event::Unknown { name, raw } = event else {
            panic!("expected Event::Unknown, got {event:?}");
        };
        assert_eq!(name, "AT_MESSAGE_CREATE");
        assert!(raw.get().contains("\"author\":5"), "{}", raw.get());
        let (seq, event) = next_event(&mut events).await;
        assert_eq!(seq, 4);
        assert!(
            matches!(&event, Event::Unknown { name, raw } if name == "SOMETHING_NEW" && raw.get() == "[1,2]"),
            "{event:?}"
        );
        assert_connection_kept(&mut server, &mut connection, &mut events).await;
    });
}

#[test]
fn fixture_dispatch_typed() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut connection) = established(&mut server).await;
        let fixture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/dispatch.at_message_create.json"
        ))
        .unwrap();

        connection
            .send_text(fixture.replace("\"s\": 2", "\"s\": 3"))
            .await;

        let (seq, event) = next_event(&mut events).await;
        assert_eq!(seq, 3);
        let Event::AtMessageCreate(message) = event else {
            panic!("expected AtMessageCreate, got {event:?}");
        };
        assert_eq!(
            message.content,
            "<@!11223344556677889900> /weather Shenzhen"
        );
    });
}

#[test]
fn slow_application_keeps_connection() {
    common::run(async {
        let mut server = TestServer::start().await;
        let config = config_builder(&server.url).event_buffer(2).build();
        let mut shard = Shard::new(ShardId::ONE, config);

        let gateway = tokio::spawn(async move {
            let mut connection = server.next_connection().await;
            connection.accept_identify("session-slow", [0, 1]).await;
            for seq in 2..=51 {
                connection.dispatch(seq, seq).await;
            }
            let received = connection
                .serve_heartbeats_for(Duration::from_secs(600))
                .await;
            (received, connection.heartbeats, server.accepted())
        });

        while !matches!(shard.next().await, Some(Ok(ShardEvent::Ready(_)))) {}
        // The application stops taking events for ten minutes.
        tokio::time::sleep(Duration::from_secs(600)).await;
        let mut seqs = Vec::new();
        while seqs.len() < 50 {
            match shard.next().await.unwrap().unwrap() {
                ShardEvent::Dispatch(dispatch) => seqs.push(dispatch.seq.unwrap()),
                other => panic!("unexpected {other:?}"),
            }
        }

        assert_eq!(seqs, (2..=51).collect::<Vec<u64>>());
        let (received, heartbeats, accepted) = gateway.await.unwrap();
        assert!(received.is_none(), "unexpected {received:?}");
        assert_eq!(accepted, 1);
        assert!(heartbeats.len() >= 13, "{} heartbeats", heartbeats.len());
        // Heartbeats carry the last sequence number received; it stalls while the stream is full.
        let seqs: Vec<u64> = heartbeats.iter().map(|(_, seq)| seq.unwrap()).collect();
        assert!(seqs.windows(2).all(|pair| pair[0] <= pair[1]), "{seqs:?}");
        assert!(seqs[0] >= 2, "{seqs:?}");
    });
}
