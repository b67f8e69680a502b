//! Tracking of what the application has taken from a shard's stream, so that a saved session
//! resumes exactly after the last event handed out.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::event::ShardEvent;

/// The position of a shard's stream: the session generation (one per READY) and the last
/// sequence number yielded in it.
///
/// The shard task counts generations as it sends READY into the channel and the stream counts
/// them as it yields READY; the channel keeps order, so equal generations mean the same session.
#[derive(Debug, Default)]
pub(crate) struct Delivered {
    position: Mutex<Position>,
    notify: Notify,
    /// Set while the shard task waits for the stream to catch up, so the stream only pays for a
    /// notification when someone listens.
    waiting: AtomicBool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) generation: u64,
    pub(crate) seq: u64,
}

impl Delivered {
    /// Records that the stream yielded `event`.
    pub(crate) fn record(&self, event: &ShardEvent) {
        let position = match event {
            ShardEvent::Dispatch(dispatch) => dispatch.seq.map(|seq| (false, seq)),
            ShardEvent::Ready(_) => Some((true, 0)),
            _ => None,
        };
        let Some((new_session, seq)) = position else {
            return;
        };

        {
            let mut current = self.lock();
            if new_session {
                current.generation += 1;
                current.seq = 0;
            } else {
                current.seq = current.seq.max(seq);
            }
        }

        if self.waiting.load(Ordering::Acquire) {
            self.notify.notify_waiters();
        }
    }

    pub(crate) fn position(&self) -> Position {
        *self.lock()
    }

    /// Waits until the stream yielded `seq` of `generation`, or `timeout` passes. Returns the
    /// position reached.
    pub(crate) async fn wait_for(&self, generation: u64, seq: u64, timeout: Duration) -> Position {
        let reached = |position: Position| {
            position.generation > generation
                || (position.generation == generation && position.seq >= seq)
        };

        self.waiting.store(true, Ordering::Release);
        let deadline = tokio::time::Instant::now() + timeout;
        let position = loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();

            let position = self.position();
            if reached(position) {
                break position;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                break self.position();
            }
        };
        self.waiting.store(false, Ordering::Release);

        position
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Position> {
        self.position
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
