//! The in-process session store.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::ShardId;
use futures_util::future::BoxFuture;

use super::{SessionRecord, SessionStore, StoreError};

/// Sessions kept in memory: shards of one process resume across reconnects, and a new process
/// starts with new sessions.
#[derive(Debug, Default)]
pub struct MemorySessionStore {
    sessions: Mutex<HashMap<ShardId, SessionRecord>>,
}

impl MemorySessionStore {
    /// Creates an empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<ShardId, SessionRecord>> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SessionStore for MemorySessionStore {
    fn load(&self, shard: ShardId) -> BoxFuture<'_, Result<Option<SessionRecord>, StoreError>> {
        let record = self.sessions().get(&shard).cloned();

        Box::pin(std::future::ready(Ok(record)))
    }

    fn save(&self, record: SessionRecord) -> BoxFuture<'_, Result<(), StoreError>> {
        self.sessions().insert(record.shard, record);

        Box::pin(std::future::ready(Ok(())))
    }

    fn remove(&self, shard: ShardId) -> BoxFuture<'_, Result<(), StoreError>> {
        self.sessions().remove(&shard);

        Box::pin(std::future::ready(Ok(())))
    }
}
