//! Graceful shutdown, and sessions that survive a restart through the file-backed store.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use qie_gateway::session::{FileSessionStore, SessionRecord, SessionStore};
use qie_gateway::{Shard, ShardEvent, ShardId, ShutdownMode};
use qie_model::gateway::Intents;

use common::{Received, TestServer, config_builder, spawn};

fn scratch_directory(name: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let directory = std::env::temp_dir().join(format!(
        "qie-gateway-shutdown-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&directory);
    directory
}

/// Waits until the connection is closed and returns the close code.
async fn close_code(connection: &mut common::ServerConn) -> Option<u16> {
    match connection.recv(true).await {
        Received::Closed(code) => code,
        Received::Frame(frame) => panic!("unexpected {frame:?}"),
    }
}

/// Runs a shard with a file store until it delivered dispatches 2 to 4, then shuts it down
/// with `mode`. Returns the close code the gateway received.
async fn run_and_shut_down(
    server: &mut TestServer,
    directory: &PathBuf,
    mode: ShutdownMode,
) -> Option<u16> {
    let config = config_builder(&server.url)
        .session_store(FileSessionStore::new(directory))
        .build();
    let shard = Shard::new(ShardId::ONE, config);
    let handle = shard.handle();
    let mut events = spawn(shard);

    let mut connection = server.next_connection().await;
    connection.accept_identify("session-file", [0, 1]).await;
    for seq in 2..=4 {
        connection.dispatch(seq, seq).await;
    }
    for seq in 2..=4 {
        assert_eq!(events.next_dispatch().await.0, seq);
    }

    handle.shutdown(mode);
    let code = close_code(&mut connection).await;
    while let Some(item) = events.next().await {
        assert!(!matches!(item, Ok(ShardEvent::Dispatch(_))), "{item:?}");
    }

    code
}

#[test]
fn resumable_shutdown_resumes_after_restart() {
    common::run(async {
        let directory = scratch_directory("resumable");
        let mut server = TestServer::start().await;

        let code = run_and_shut_down(&mut server, &directory, ShutdownMode::Resumable).await;
        let stored = FileSessionStore::new(&directory)
            .load(ShardId::ONE)
            .await
            .unwrap()
            .unwrap();

        assert_eq!(code, Some(4000));
        assert_eq!(stored.session_id, "session-file");
        assert_eq!(stored.sequence, 4);

        // A new process with the same directory resumes instead of identifying.
        let config = config_builder(&server.url)
            .session_store(FileSessionStore::new(&directory))
            .build();
        let mut events = spawn(Shard::new(ShardId::ONE, config));
        let mut connection = server.next_connection().await;
        connection.hello(45_000).await;
        let resume = connection.expect_resume().await;
        connection.dispatch(5, 5).await;
        connection.resumed(6).await;

        assert_eq!(resume.session_id, "session-file");
        assert_eq!(resume.seq, 4);
        assert_eq!(events.next_dispatch().await.0, 5);
        let _ = std::fs::remove_dir_all(directory);
    });
}

#[test]
fn final_shutdown_forgets_session() {
    common::run(async {
        let directory = scratch_directory("final");
        let mut server = TestServer::start().await;

        let code = run_and_shut_down(&mut server, &directory, ShutdownMode::Final).await;
        let stored = FileSessionStore::new(&directory)
            .load(ShardId::ONE)
            .await
            .unwrap();

        assert_eq!(code, Some(1000));
        assert_eq!(stored, None);
        let config = config_builder(&server.url)
            .session_store(FileSessionStore::new(&directory))
            .build();
        let _events = spawn(Shard::new(ShardId::ONE, config));
        let mut connection = server.next_connection().await;
        connection.hello(45_000).await;
        connection.expect_identify().await;
        let _ = std::fs::remove_dir_all(directory);
    });
}

#[test]
fn saved_seq_is_last_yielded() {
    common::run(async {
        let directory = scratch_directory("yielded");
        let mut server = TestServer::start().await;
        let config = config_builder(&server.url)
            .session_store(FileSessionStore::new(&directory))
            .shutdown_timeout(Duration::from_secs(5))
            .build();
        let mut shard = Shard::new(ShardId::ONE, config);
        let handle = shard.handle();

        let gateway = tokio::spawn(async move {
            let mut connection = server.next_connection().await;
            connection.accept_identify("session-partial", [0, 1]).await;
            for seq in 2..=6 {
                connection.dispatch(seq, seq).await;
            }
            close_code(&mut connection).await
        });

        // The application takes dispatches 2 and 3, then stops reading.
        let mut taken = Vec::new();
        while taken.len() < 2 {
            if let ShardEvent::Dispatch(dispatch) = shard.next().await.unwrap().unwrap() {
                taken.push(dispatch.seq.unwrap());
            }
        }
        // Let the shard receive the rest before asking it to stop.
        tokio::time::sleep(Duration::from_secs(1)).await;
        handle.shutdown(ShutdownMode::Resumable);
        let code = gateway.await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;

        let stored = FileSessionStore::new(&directory)
            .load(ShardId::ONE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(taken, [2, 3]);
        assert_eq!(code, Some(4000));
        assert_eq!(
            stored.sequence, 3,
            "events 4 to 6 were received but never yielded"
        );
        drop(shard);
        let _ = std::fs::remove_dir_all(directory);
    });
}

#[test]
fn dropped_stream_closes_resumable() {
    common::run(async {
        let mut server = TestServer::start().await;
        let mut shard = Shard::new(ShardId::ONE, config_builder(&server.url).build());
        let gateway = tokio::spawn(async move {
            let mut connection = server.next_connection().await;
            connection.accept_identify("session-1", [0, 1]).await;
            close_code(&mut connection).await
        });

        while !matches!(shard.next().await, Some(Ok(ShardEvent::Ready(_)))) {}
        drop(shard);

        assert_eq!(gateway.await.unwrap(), Some(4000));
    });
}

#[test]
fn stored_session_other_intents_identifies() {
    common::run(async {
        let directory = scratch_directory("intents");
        let store = FileSessionStore::new(&directory);
        store
            .save(SessionRecord::new(
                ShardId::ONE,
                "session-old",
                99,
                Intents::GUILDS,
            ))
            .await
            .unwrap();
        let mut server = TestServer::start().await;

        let config = config_builder(&server.url)
            .session_store(store.clone())
            .build();
        let _events = spawn(Shard::new(ShardId::ONE, config));
        let mut connection = server.next_connection().await;
        connection.hello(45_000).await;
        connection.expect_identify().await;

        assert_eq!(store.load(ShardId::ONE).await.unwrap(), None);
        let _ = std::fs::remove_dir_all(directory);
    });
}

#[test]
fn shutdown_while_waiting_to_reconnect() {
    common::run(async {
        let mut server = TestServer::start().await;
        let config = config_builder(&server.url).build();
        let shard = Shard::new(ShardId::ONE, config);
        let handle = shard.handle();
        let mut events = spawn(shard);
        let mut connection = server.next_connection().await;
        connection.accept_identify("session-1", [0, 1]).await;
        events.until_ready().await;

        // 4008 makes the shard wait a minute before reconnecting.
        connection.close(4008).await;
        let reconnecting = events.until_reconnecting().await;
        handle.shutdown(ShutdownMode::Resumable);

        assert!(reconnecting.delay >= Duration::from_secs(60));
        assert!(events.next().await.is_none(), "the stream ends");
        tokio::time::sleep(Duration::from_secs(120)).await;
        assert_eq!(server.accepted(), 1);
    });
}
