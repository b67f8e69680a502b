//! Session storage: each shard's session id and last sequence number, kept so that a reconnect,
//! and a restarted process, can Resume instead of starting a new session.
//!
//! A shard saves its session after READY and RESUMED, at every heartbeat while the sequence
//! number moved, before each reconnect and when it shuts down. It removes the session when the
//! gateway invalidates it.
//! The saved sequence number is the last one the shard's stream yielded, so a restarted process
//! resumes after the last event it was handed. After a crash the server replays the events since
//! the last save (at most one heartbeat interval of them), because no shard can save after every
//! event without slowing delivery.

mod file;
mod memory;

use std::fmt::{self, Debug};
use std::io;
use std::path::PathBuf;

use futures_util::future::BoxFuture;
use qie_model::gateway::Intents;

use crate::ShardId;
use serde::{Deserialize, Serialize};

pub use self::file::FileSessionStore;
pub use self::memory::MemorySessionStore;

/// A resumable session of one shard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionRecord {
    /// The shard the session belongs to.
    pub shard: ShardId,
    /// `session_id` from READY.
    pub session_id: String,
    /// The last sequence number handed to the application.
    pub sequence: u64,
    /// The intents the session was identified with. A shard configured with other intents does
    /// not resume the session, because Resume keeps the old subscription.
    pub intents: Intents,
}

impl SessionRecord {
    /// Builds a record.
    pub fn new(
        shard: ShardId,
        session_id: impl Into<String>,
        sequence: u64,
        intents: Intents,
    ) -> Self {
        Self {
            shard,
            session_id: session_id.into(),
            sequence,
            intents,
        }
    }
}

/// Storage of shard sessions.
///
/// Shards call it from their own task. A slow store delays that shard's frame handling, so
/// implementations should return within milliseconds. Errors are logged and otherwise ignored: a
/// shard without a stored session identifies afresh.
pub trait SessionStore: Debug + Send + Sync + 'static {
    /// Returns the stored session of `shard`, if any.
    fn load(&self, shard: ShardId) -> BoxFuture<'_, Result<Option<SessionRecord>, StoreError>>;

    /// Stores `record`, replacing the shard's previous session.
    fn save(&self, record: SessionRecord) -> BoxFuture<'_, Result<(), StoreError>>;

    /// Removes the stored session of `shard`. Removing a missing session succeeds.
    fn remove(&self, shard: ShardId) -> BoxFuture<'_, Result<(), StoreError>>;
}

/// A session store failed.
#[derive(Debug)]
pub struct StoreError {
    kind: StoreErrorKind,
    path: Option<PathBuf>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The kind of [`StoreError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// Reading or writing the storage failed.
    Io,
    /// The stored data is not a valid session record.
    Corrupt,
}

impl StoreError {
    /// Builds an error; `path` names the file involved, if any.
    pub fn new(
        kind: StoreErrorKind,
        path: Option<PathBuf>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self { kind, path, source }
    }

    pub(crate) fn io(path: PathBuf, source: io::Error) -> Self {
        Self::new(StoreErrorKind::Io, Some(path), Some(Box::new(source)))
    }

    /// Returns what went wrong.
    pub const fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// Returns the file involved, if the store is file-backed.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            StoreErrorKind::Io => formatter.write_str("session store i/o failed")?,
            StoreErrorKind::Corrupt => formatter.write_str("stored session is invalid")?,
        }
        if let Some(path) = &self.path {
            write!(formatter, " at {}", path.display())?;
        }

        Ok(())
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
