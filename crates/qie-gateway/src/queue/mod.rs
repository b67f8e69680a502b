//! Identify pacing: how many shards may start a new session, and when.
//!
//! The platform limits new sessions with `session_start_limit` from `GET /gateway/bot`: at most
//! `max_concurrency` Identify frames per 5 seconds, and at most `remaining` more sessions until
//! `reset_after` milliseconds have passed (after which `total` are available again). A Resume
//! does not start a session and is not paced.
//!
//! Every shard calls [`IdentifyQueue::acquire`] right before it sends Identify. Shards of one
//! [`Cluster`](crate::Cluster) share a queue; processes that share a bot can share a
//! [`FileQueue`].

mod file;
mod memory;
mod schedule;

use std::fmt::Debug;
use std::time::Duration;

use crate::ShardId;
use futures_util::future::BoxFuture;
use qie_model::gateway::SessionStartLimit;

pub use self::file::FileQueue;
pub use self::memory::LocalQueue;

/// The platform's rate window for new sessions: at most `max_concurrency` per 5 seconds.
pub const IDENTIFY_WINDOW: Duration = Duration::from_secs(5);

/// Decides when a shard may send Identify.
///
/// Implementations must be fair enough that every caller is eventually admitted, and must never
/// admit more than the platform allows. A caller that is dropped while waiting may still have
/// used up its slot.
pub trait IdentifyQueue: Debug + Send + Sync + 'static {
    /// Waits until `shard` may send Identify.
    ///
    /// # Cancel safety
    ///
    /// Cancelling the future is safe but may waste the reserved slot.
    fn acquire(&self, shard: ShardId) -> BoxFuture<'_, ()>;

    /// Replaces the known limits with a fresh `session_start_limit`.
    ///
    /// The default implementation ignores it.
    fn update_limits(&self, limits: IdentifyLimits) {
        let _ = limits;
    }
}

/// The limits of `session_start_limit`, in the units the queue uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdentifyLimits {
    /// Identify frames allowed per [`window`](Self::window) (`max_concurrency`, at least 1).
    pub max_concurrency: u32,
    /// Sessions that may still be started before [`reset_after`](Self::reset_after) elapses.
    pub remaining: u32,
    /// Sessions available after each reset (`total`).
    pub total: u32,
    /// Time until `remaining` is reset to `total`.
    pub reset_after: Duration,
    /// The rate window, [`IDENTIFY_WINDOW`] unless changed.
    pub window: Duration,
}

impl IdentifyLimits {
    /// Limits with `max_concurrency` Identify frames per 5 seconds and no daily budget.
    pub const fn new(max_concurrency: u32) -> Self {
        Self {
            max_concurrency: if max_concurrency == 0 {
                1
            } else {
                max_concurrency
            },
            remaining: u32::MAX,
            total: u32::MAX,
            reset_after: Duration::from_secs(24 * 60 * 60),
            window: IDENTIFY_WINDOW,
        }
    }

    /// Limits from the fields of `session_start_limit` (`reset_after` in milliseconds).
    ///
    /// A `max_concurrency` of 0 is taken as 1.
    pub const fn from_session_start_limit(
        total: u32,
        remaining: u32,
        reset_after_ms: u64,
        max_concurrency: u32,
    ) -> Self {
        Self {
            max_concurrency: if max_concurrency == 0 {
                1
            } else {
                max_concurrency
            },
            remaining,
            total,
            reset_after: Duration::from_millis(reset_after_ms),
            window: IDENTIFY_WINDOW,
        }
    }

    /// Sets the rate window.
    #[must_use]
    pub const fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }
}

impl From<SessionStartLimit> for IdentifyLimits {
    fn from(limit: SessionStartLimit) -> Self {
        Self::from_session_start_limit(
            limit.total,
            limit.remaining,
            limit.reset_after,
            limit.max_concurrency,
        )
    }
}

impl Default for IdentifyLimits {
    fn default() -> Self {
        Self::new(1)
    }
}
