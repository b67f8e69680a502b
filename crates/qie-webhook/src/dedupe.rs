//! A bounded set of recently handled event ids.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use qie_model::id::{AppId, EventId};
use tokio::time::Instant;

/// The key of one delivery: the bot and the top-level `id` of the dispatch.
pub(crate) type DeliveryKey = (AppId, EventId);

/// Remembers event ids for `retention`, at most `capacity` of them.
///
/// Entries leave in insertion order: when they expire, or, when the set is full, the oldest one
/// first. An id evicted early by the capacity bound can be handled a second time, so the capacity
/// should exceed the number of events a bot receives within the retention time.
#[derive(Debug)]
pub(crate) struct Dedupe {
    capacity: usize,
    retention: Duration,
    seen: HashMap<DeliveryKey, Instant>,
    order: VecDeque<(DeliveryKey, Instant)>,
}

impl Dedupe {
    pub(crate) fn new(capacity: usize, retention: Duration) -> Self {
        Self {
            capacity: capacity.max(1),
            retention,
            seen: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Returns whether `key` was inserted within the retention time.
    pub(crate) fn contains(&mut self, key: &DeliveryKey, now: Instant) -> bool {
        self.expire(now);

        self.seen.contains_key(key)
    }

    /// Inserts `key`; returns `false` when it is already present.
    pub(crate) fn insert(&mut self, key: DeliveryKey, now: Instant) -> bool {
        self.expire(now);
        if self.seen.contains_key(&key) {
            return false;
        }

        while self.order.len() >= self.capacity {
            self.pop_oldest();
        }
        self.seen.insert(key.clone(), now);
        self.order.push_back((key, now));

        true
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }

    fn expire(&mut self, now: Instant) {
        while let Some((_, inserted)) = self.order.front() {
            if now.saturating_duration_since(*inserted) < self.retention {
                break;
            }
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((key, _)) = self.order.pop_front() {
            self.seen.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(event: &str) -> DeliveryKey {
        (AppId::new("102000001"), EventId::new(event))
    }

    #[tokio::test(start_paused = true)]
    async fn dedupe_forgets_after_retention() {
        let mut dedupe = Dedupe::new(16, Duration::from_secs(60));

        assert!(dedupe.insert(key("a"), Instant::now()));
        assert!(!dedupe.insert(key("a"), Instant::now()));

        tokio::time::advance(Duration::from_secs(59)).await;
        assert!(dedupe.contains(&key("a"), Instant::now()));

        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(!dedupe.contains(&key("a"), Instant::now()));
        assert_eq!(dedupe.len(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn dedupe_evicts_oldest_when_full() {
        let mut dedupe = Dedupe::new(2, Duration::from_secs(60));

        assert!(dedupe.insert(key("a"), Instant::now()));
        assert!(dedupe.insert(key("b"), Instant::now()));
        assert!(dedupe.insert(key("c"), Instant::now()));

        assert_eq!(dedupe.len(), 2);
        assert!(!dedupe.contains(&key("a"), Instant::now()));
        assert!(dedupe.contains(&key("b"), Instant::now()));
        assert!(dedupe.contains(&key("c"), Instant::now()));
    }

    #[test]
    fn dedupe_keys_by_bot_and_event() {
        let mut dedupe = Dedupe::new(16, Duration::from_secs(60));
        let now = Instant::now();

        assert!(dedupe.insert(key("a"), now));
        assert!(dedupe.insert((AppId::new("102000002"), EventId::new("a")), now));
    }
}
