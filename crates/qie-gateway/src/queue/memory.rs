//! The in-process identify queue.

use std::sync::Mutex;
use std::time::Duration;

use crate::ShardId;
use futures_util::future::BoxFuture;
use tokio::time::Instant;

use super::schedule::Schedule;
use super::{IdentifyLimits, IdentifyQueue};

/// An identify queue for the shards of one process.
///
/// Admits at most `max_concurrency` Identify frames in any 5-second window and, once
/// `remaining` sessions have started, waits until the budget resets. Times follow tokio's clock,
/// so the queue runs on a paused clock in tests.
///
/// # Examples
///
/// ```
/// use qie_gateway::queue::{IdentifyLimits, LocalQueue};
///
/// // From `session_start_limit` of `GET /gateway/bot`.
/// let queue = LocalQueue::new(IdentifyLimits::from_session_start_limit(1000, 998, 86_400_000, 1));
/// ```
#[derive(Debug)]
pub struct LocalQueue {
    schedule: Mutex<Schedule>,
    origin: Instant,
}

impl LocalQueue {
    /// Creates a queue that enforces `limits` from now on.
    pub fn new(limits: IdentifyLimits) -> Self {
        Self {
            schedule: Mutex::new(Schedule::new(limits, 0)),
            origin: Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn reserve(&self, shard: ShardId) -> Instant {
        let now = self.now_ms();
        let (at, remaining) = {
            let mut schedule = self
                .schedule
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (schedule.reserve(now), schedule.remaining())
        };

        let wait = Duration::from_millis(at.saturating_sub(now));
        if wait >= Duration::from_secs(60) {
            tracing::info!(
                shard = shard.id,
                wait_secs = wait.as_secs(),
                remaining,
                "identify waits for the session start budget"
            );
        } else {
            tracing::debug!(
                shard = shard.id,
                wait_ms = wait.as_millis(),
                remaining,
                "identify slot reserved"
            );
        }

        self.origin + Duration::from_millis(at)
    }
}

impl Default for LocalQueue {
    /// Creates a queue for `max_concurrency` 1 without a daily budget.
    fn default() -> Self {
        Self::new(IdentifyLimits::default())
    }
}

impl IdentifyQueue for LocalQueue {
    fn acquire(&self, shard: ShardId) -> BoxFuture<'_, ()> {
        let at = self.reserve(shard);

        Box::pin(tokio::time::sleep_until(at))
    }

    fn update_limits(&self, limits: IdentifyLimits) {
        let now = self.now_ms();
        self.schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .update(limits, now);
    }
}
