//! The file-backed identify queue, shared by processes on one host.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ShardId;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::schedule::Schedule;
use super::{IdentifyLimits, IdentifyQueue};
use crate::fs::{LockFile, write_atomic};

/// Age after which a lock file is taken to belong to a dead process. The lock is held only for a
/// read and a write of a small file.
const STALE_LOCK: Duration = Duration::from_secs(10);

/// An identify queue whose state lives in a file, so that every process of one bot on a host,
/// and a process that restarts, paces Identify together.
///
/// The file keeps the latest grants as Unix times in milliseconds and the session start budget.
/// A lock file beside it (`<path>.lock`) serializes updates. Without a file (first start, or an
/// unreadable file) the queue starts from the limits it was created with.
///
/// # Examples
///
/// ```no_run
/// use qie_gateway::queue::{FileQueue, IdentifyLimits};
///
/// let queue = FileQueue::new("/var/lib/my-bot/identify.json", IdentifyLimits::new(1));
/// ```
#[derive(Debug, Clone)]
pub struct FileQueue {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    lock_path: PathBuf,
    limits: std::sync::Mutex<Option<IdentifyLimits>>,
    default_limits: IdentifyLimits,
    /// Wall-clock time at `origin`; later times advance with tokio's clock from there.
    origin_unix_ms: u64,
    origin: Instant,
}

/// The file format.
#[derive(Debug, Serialize, Deserialize)]
struct QueueFile {
    version: u32,
    schedule: Schedule,
}

const FILE_VERSION: u32 = 1;

impl FileQueue {
    /// Creates a queue stored at `path` that starts from `limits` when the file does not exist.
    pub fn new(path: impl Into<PathBuf>, limits: IdentifyLimits) -> Self {
        let path = path.into();
        let mut lock_name = path.file_name().unwrap_or_default().to_os_string();
        lock_name.push(".lock");
        let lock_path = path.with_file_name(lock_name);

        let origin_unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            });

        Self {
            inner: Arc::new(Inner {
                path,
                lock_path,
                limits: std::sync::Mutex::new(None),
                default_limits: limits,
                origin_unix_ms,
                origin: Instant::now(),
            }),
        }
    }

    /// Returns the state file's path.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }
}

impl Inner {
    /// Milliseconds since the Unix epoch, advancing with tokio's clock.
    fn now_unix_ms(&self) -> u64 {
        let elapsed = u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.origin_unix_ms.saturating_add(elapsed)
    }

    /// Runs `change` on the stored schedule under the lock and writes the result back.
    fn update_file<T>(&self, now: u64, change: impl FnOnce(&mut Schedule) -> T) -> io::Result<T> {
        let _lock = LockFile::acquire(self.lock_path.clone(), STALE_LOCK)?;

        let fresh_limits = self
            .limits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let mut schedule = match self.read() {
            Some(mut schedule) => {
                if let Some(limits) = fresh_limits {
                    schedule.update(limits, now);
                }
                schedule
            }
            None => Schedule::new(fresh_limits.unwrap_or(self.default_limits), now),
        };

        let output = change(&mut schedule);

        let file = QueueFile {
            version: FILE_VERSION,
            schedule,
        };
        let bytes = serde_json::to_vec(&file).map_err(io::Error::other)?;
        write_atomic(&self.path, &bytes)?;

        Ok(output)
    }

    fn read(&self) -> Option<Schedule> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return None,
            Err(error) => {
                tracing::warn!(path = %self.path.display(), %error, "cannot read the identify queue file, starting afresh");
                return None;
            }
        };

        match serde_json::from_slice::<QueueFile>(&bytes) {
            Ok(file) if file.version == FILE_VERSION => Some(file.schedule),
            Ok(file) => {
                tracing::warn!(path = %self.path.display(), version = file.version, "unknown identify queue file version, starting afresh");
                None
            }
            Err(error) => {
                tracing::warn!(path = %self.path.display(), %error, "invalid identify queue file, starting afresh");
                None
            }
        }
    }
}

impl IdentifyQueue for FileQueue {
    fn acquire(&self, shard: ShardId) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let inner = Arc::clone(&self.inner);
            let now = inner.now_unix_ms();
            let reserved = tokio::task::spawn_blocking(move || {
                inner.update_file(now, |schedule| {
                    (schedule.reserve(now), schedule.remaining())
                })
            })
            .await;

            let (at, remaining) = match reserved {
                Ok(Ok(reservation)) => reservation,
                Ok(Err(error)) => {
                    // NOTE: without the file the queue cannot coordinate; pacing this one caller
                    // by a full window keeps it within the limit on its own.
                    tracing::warn!(path = %self.inner.path.display(), %error, "identify queue file unavailable, waiting one window");
                    (now.saturating_add(window_ms(&self.inner.default_limits)), 0)
                }
                Err(join_error) => {
                    tracing::warn!(%join_error, "identify queue task failed, waiting one window");
                    (now.saturating_add(window_ms(&self.inner.default_limits)), 0)
                }
            };

            let wait = Duration::from_millis(at.saturating_sub(now));
            tracing::debug!(
                shard = shard.id,
                wait_ms = wait.as_millis(),
                remaining,
                "identify slot reserved"
            );
            tokio::time::sleep(wait).await;
        })
    }

    fn update_limits(&self, limits: IdentifyLimits) {
        // Applied under the file lock at the next reservation.
        *self
            .inner
            .limits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(limits);
    }
}

fn window_ms(limits: &IdentifyLimits) -> u64 {
    u64::try_from(limits.window.as_millis()).unwrap_or(u64::MAX)
}
