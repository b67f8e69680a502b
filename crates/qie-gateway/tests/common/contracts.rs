//! Behaviour every implementation of the store and queue traits must have, run from each
//! implementation's tests.

use std::time::Duration;

use qie_gateway::ShardId;
use qie_gateway::queue::{IdentifyLimits, IdentifyQueue};
use qie_gateway::session::{SessionRecord, SessionStore};
use qie_model::gateway::Intents;
use tokio::time::Instant;

/// Saving, loading, replacing and removing sessions, each shard on its own.
pub async fn session_store_contract(store: &dyn SessionStore) {
    let shard = ShardId::new(1, 4);
    assert_eq!(
        store.load(shard).await.unwrap(),
        None,
        "a new store is empty"
    );

    let record = SessionRecord::new(shard, "session-a", 42, Intents::DEFAULT);
    store.save(record.clone()).await.unwrap();
    assert_eq!(store.load(shard).await.unwrap(), Some(record.clone()));

    assert_eq!(
        store.load(ShardId::new(2, 4)).await.unwrap(),
        None,
        "other shard id"
    );
    assert_eq!(
        store.load(ShardId::new(1, 2)).await.unwrap(),
        None,
        "other shard count"
    );

    let newer = SessionRecord::new(shard, "session-b", 7, Intents::GROUP_AND_C2C);
    store.save(newer.clone()).await.unwrap();
    assert_eq!(store.load(shard).await.unwrap(), Some(newer));

    store.remove(shard).await.unwrap();
    assert_eq!(store.load(shard).await.unwrap(), None);
    store.remove(shard).await.unwrap();
}

/// Pacing with `max_concurrency` 2: two at once, then two per 5-second window, for sequential
/// and concurrent callers.
pub async fn identify_queue_contract(make: impl Fn(IdentifyLimits) -> Box<dyn IdentifyQueue>) {
    let queue = make(IdentifyLimits::new(2));
    let start = Instant::now();
    let mut grants = Vec::new();
    for shard in 0..5 {
        queue.acquire(ShardId::new(shard, 5)).await;
        grants.push(start.elapsed());
    }

    assert_eq!(grants[0], Duration::ZERO);
    assert_eq!(grants[1], Duration::ZERO);
    assert_no_window_exceeds(&grants, 2);
    assert!(grants[4] >= Duration::from_secs(10), "{grants:?}");

    let queue: std::sync::Arc<dyn IdentifyQueue> = make(IdentifyLimits::new(1)).into();
    let start = Instant::now();
    let tasks: Vec<_> = (0..3)
        .map(|shard| {
            let queue = std::sync::Arc::clone(&queue);
            tokio::spawn(async move {
                queue.acquire(ShardId::new(shard, 3)).await;
                start.elapsed()
            })
        })
        .collect();
    let mut concurrent = Vec::new();
    for task in tasks {
        concurrent.push(task.await.unwrap());
    }
    concurrent.sort();
    assert_no_window_exceeds(&concurrent, 1);

    let queue = make(IdentifyLimits::from_session_start_limit(
        1000, 1, 60_000, 10,
    ));
    let start = Instant::now();
    queue.acquire(ShardId::ONE).await;
    queue.acquire(ShardId::ONE).await;
    assert!(
        start.elapsed() >= Duration::from_secs(60),
        "an exhausted budget waits for reset_after, waited {:?}",
        start.elapsed()
    );
}

fn assert_no_window_exceeds(grants: &[Duration], max_concurrency: usize) {
    for (index, start) in grants.iter().enumerate() {
        let in_window = grants[index..]
            .iter()
            .filter(|grant| **grant < *start + Duration::from_secs(5))
            .count();
        assert!(
            in_window <= max_concurrency,
            "{in_window} identifies within 5 s of {start:?}: {grants:?}"
        );
    }
}
