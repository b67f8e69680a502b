//! Session stores and identify queues: the shared contracts, and what the file-backed ones add.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use qie_gateway::ShardId;
use qie_gateway::queue::{FileQueue, IdentifyLimits, IdentifyQueue, LocalQueue};
use qie_gateway::session::{
    FileSessionStore, MemorySessionStore, SessionRecord, SessionStore, StoreErrorKind,
};
use qie_model::gateway::Intents;
use tokio::time::Instant;

use common::contracts::{identify_queue_contract, session_store_contract};

fn scratch_directory(name: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let directory = std::env::temp_dir().join(format!(
        "qie-gateway-test-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&directory);
    directory
}

#[tokio::test]
async fn memory_store_contract() {
    session_store_contract(&MemorySessionStore::new()).await;
}

#[tokio::test]
async fn file_store_contract() {
    let directory = scratch_directory("contract");
    session_store_contract(&FileSessionStore::new(&directory)).await;
    let _ = std::fs::remove_dir_all(directory);
}

#[tokio::test]
async fn file_store_survives_restart() {
    let directory = scratch_directory("restart");
    let shard = ShardId::new(0, 2);
    let record = SessionRecord::new(shard, "6f1d2c3b", 1337, Intents::DEFAULT);

    FileSessionStore::new(&directory)
        .save(record.clone())
        .await
        .unwrap();
    let reopened = FileSessionStore::new(&directory);

    assert_eq!(reopened.load(shard).await.unwrap(), Some(record));
    let _ = std::fs::remove_dir_all(directory);
}

#[tokio::test]
async fn file_store_reports_corrupt_file() {
    let directory = scratch_directory("corrupt");
    let store = FileSessionStore::new(&directory);
    let shard = ShardId::ONE;
    std::fs::create_dir_all(&directory).unwrap();
    std::fs::write(store.path_of(shard), b"{\"version\":1,\"sess").unwrap();

    let error = store.load(shard).await.unwrap_err();

    assert_eq!(error.kind(), StoreErrorKind::Corrupt);
    assert_eq!(error.path(), Some(store.path_of(shard).as_path()));
    let _ = std::fs::remove_dir_all(directory);
}

#[tokio::test]
async fn file_store_rejects_other_shard_file() {
    let directory = scratch_directory("mismatch");
    let store = FileSessionStore::new(&directory);
    let record = SessionRecord::new(ShardId::new(1, 2), "abc", 5, Intents::DEFAULT);
    store.save(record).await.unwrap();
    std::fs::rename(
        store.path_of(ShardId::new(1, 2)),
        store.path_of(ShardId::new(0, 2)),
    )
    .unwrap();

    let error = store.load(ShardId::new(0, 2)).await.unwrap_err();

    assert_eq!(error.kind(), StoreErrorKind::Corrupt);
    let _ = std::fs::remove_dir_all(directory);
}

#[tokio::test(start_paused = true)]
async fn local_queue_contract() {
    identify_queue_contract(|limits| Box::new(LocalQueue::new(limits))).await;
}

#[tokio::test(start_paused = true)]
async fn file_queue_contract() {
    let directory = scratch_directory("queue-contract");
    let counter = AtomicU32::new(0);
    identify_queue_contract(|limits| {
        let name = format!("queue-{}.json", counter.fetch_add(1, Ordering::Relaxed));
        Box::new(FileQueue::new(directory.join(name), limits))
    })
    .await;
    let _ = std::fs::remove_dir_all(directory);
}

#[tokio::test(start_paused = true)]
async fn file_queue_paces_across_instances() {
    let directory = scratch_directory("queue-shared");
    let path = directory.join("identify.json");
    // Two queues on one file behave like two processes of one bot.
    let first = FileQueue::new(&path, IdentifyLimits::new(1));
    let second = FileQueue::new(&path, IdentifyLimits::new(1));
    let start = Instant::now();

    first.acquire(ShardId::new(0, 2)).await;
    let after_first = start.elapsed();
    second.acquire(ShardId::new(1, 2)).await;
    let after_second = start.elapsed();

    assert_eq!(after_first, Duration::ZERO);
    assert!(
        after_second >= Duration::from_millis(4_990),
        "{after_second:?}"
    );
    let _ = std::fs::remove_dir_all(directory);
}

#[tokio::test(start_paused = true)]
async fn file_queue_remembers_budget_across_restart() {
    let directory = scratch_directory("queue-budget");
    let path = directory.join("identify.json");
    let limits = IdentifyLimits::from_session_start_limit(1000, 1, 120_000, 10);

    FileQueue::new(&path, limits).acquire(ShardId::ONE).await;
    // A restarted process starts from the file, not from its own (stale) limits.
    let restarted = FileQueue::new(&path, limits);
    let start = Instant::now();
    restarted.acquire(ShardId::ONE).await;

    assert!(
        start.elapsed() >= Duration::from_secs(119),
        "{:?}",
        start.elapsed()
    );
    let _ = std::fs::remove_dir_all(directory);
}
