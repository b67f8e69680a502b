//! The bounded window of recent event ids that catches an event delivered twice.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;

/// The most recent event ids, oldest first, at most `capacity` of them.
///
/// Lookups go through a map from a keyed 64-bit hash to the number of remembered ids with that
/// hash. A hash hit is confirmed by comparing the full ids, so a hash collision never drops an
/// event.
#[derive(Debug)]
pub(crate) struct EventIdWindow {
    capacity: usize,
    order: VecDeque<(u64, Box<str>)>,
    counts: HashMap<u64, u32, IdentityHasher>,
    hasher: foldhash::quality::RandomState,
}

impl EventIdWindow {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            order: VecDeque::with_capacity(capacity.min(4096)),
            counts: HashMap::with_capacity_and_hasher(capacity.min(4096), IdentityHasher),
            hasher: foldhash::quality::RandomState::default(),
        }
    }

    /// Remembers `id` and returns `true`, or returns `false` if it is already in the window.
    pub(crate) fn insert(&mut self, id: &str) -> bool {
        if self.capacity == 0 {
            return true;
        }

        let hash = self.hasher.hash_one(id);
        if self.counts.contains_key(&hash)
            && self
                .order
                .iter()
                .any(|(entry_hash, entry)| *entry_hash == hash && **entry == *id)
        {
            return false;
        }

        if self.order.len() == self.capacity {
            self.evict_oldest();
        }
        self.order.push_back((hash, Box::from(id)));
        *self.counts.entry(hash).or_insert(0) += 1;

        true
    }

    fn evict_oldest(&mut self) {
        let Some((hash, _)) = self.order.pop_front() else {
            return;
        };
        if let Some(count) = self.counts.get_mut(&hash) {
            *count -= 1;
            if *count == 0 {
                self.counts.remove(&hash);
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.order.len()
    }
}

/// Keys are already keyed SipHash outputs, so hashing them again is wasted work.
#[derive(Clone, Copy, Debug, Default)]
struct IdentityHasher;

impl BuildHasher for IdentityHasher {
    type Hasher = IdentityState;

    fn build_hasher(&self) -> IdentityState {
        IdentityState(0)
    }
}

#[derive(Debug)]
struct IdentityState(u64);

impl std::hash::Hasher for IdentityState {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by the map; fold anything else so it still works.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

#[cfg(test)]
mod tests {
    use super::EventIdWindow;

    #[test]
    fn rejects_repeated_id() {
        let mut window = EventIdWindow::new(4);

        assert!(window.insert("AT_MESSAGE_CREATE:1"));
        assert!(window.insert("AT_MESSAGE_CREATE:2"));
        assert!(!window.insert("AT_MESSAGE_CREATE:1"));
        assert!(!window.insert("AT_MESSAGE_CREATE:2"));
    }

    #[test]
    fn forgets_ids_beyond_capacity() {
        let mut window = EventIdWindow::new(2);

        assert!(window.insert("a"));
        assert!(window.insert("b"));
        assert!(window.insert("c"));
        assert_eq!(window.len(), 2);
        // "a" was evicted, so it is accepted again; "c" is still remembered.
        assert!(window.insert("a"));
        assert!(!window.insert("c"));
    }

    #[test]
    fn zero_capacity_disables_window() {
        let mut window = EventIdWindow::new(0);

        assert!(window.insert("a"));
        assert!(window.insert("a"));
    }

    #[test]
    fn counts_follow_evictions() {
        let mut window = EventIdWindow::new(3);
        for round in 0..100 {
            assert!(window.insert(&format!("id-{round}")));
        }

        assert_eq!(window.len(), 3);
        assert_eq!(window.counts.values().sum::<u32>(), 3);
        assert!(!window.insert("id-99"));
        assert!(window.insert("id-96"));
    }
}
