//! The pacing arithmetic shared by the in-process and the file-backed queue.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::IdentifyLimits;

/// Grants and budget of one queue, with times in milliseconds on the owner's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Schedule {
    /// The latest grants, oldest first, at most `max_concurrency` of them.
    grants: VecDeque<u64>,
    /// Sessions that may still start before `reset_at`.
    remaining: u32,
    /// Sessions available after each reset.
    total: u32,
    /// When `remaining` goes back to `total`.
    reset_at: u64,
    /// Length of the budget period, so the next reset can be computed.
    reset_period: u64,
    max_concurrency: u32,
    window: u64,
}

impl Schedule {
    pub(super) fn new(limits: IdentifyLimits, now: u64) -> Self {
        Self {
            grants: VecDeque::new(),
            remaining: limits.remaining,
            total: limits.total,
            reset_at: now.saturating_add(duration_ms(limits.reset_after)),
            reset_period: duration_ms(limits.reset_after).max(1),
            max_concurrency: limits.max_concurrency.max(1),
            window: duration_ms(limits.window),
        }
    }

    /// Takes fresh limits and keeps the grants already made, so pacing continues across updates.
    pub(super) fn update(&mut self, limits: IdentifyLimits, now: u64) {
        let grants = std::mem::take(&mut self.grants);
        *self = Self::new(limits, now);
        self.grants = grants;
        self.trim();
    }

    /// Reserves the earliest permitted Identify at or after `now` and returns its time.
    pub(super) fn reserve(&mut self, now: u64) -> u64 {
        let mut at = now;

        // Grants stay sorted, so a new one never lands before the latest.
        if let Some(&latest) = self.grants.back() {
            at = at.max(latest);
        }
        if self.grants.len() >= self.max_concurrency as usize
            && let Some(&oldest) = self.grants.front()
        {
            at = at.max(oldest.saturating_add(self.window));
        }

        if at >= self.reset_at {
            self.start_period(at);
        }
        if self.remaining == 0 {
            at = at.max(self.reset_at);
            self.start_period(at);
        }
        self.remaining = self.remaining.saturating_sub(1);

        self.grants.push_back(at);
        self.trim();

        at
    }

    /// Returns the sessions left in the current budget period.
    pub(super) fn remaining(&self) -> u32 {
        self.remaining
    }

    fn start_period(&mut self, at: u64) {
        // Periods follow each other back to back from the first reset.
        while self.reset_at <= at {
            self.reset_at = self.reset_at.saturating_add(self.reset_period);
        }
        self.remaining = self.total;
    }

    fn trim(&mut self) {
        while self.grants.len() > self.max_concurrency as usize {
            self.grants.pop_front();
        }
    }
}

fn duration_ms(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn one_per_window_with_concurrency_one() {
        let mut schedule = Schedule::new(IdentifyLimits::new(1), 0);

        assert_eq!(schedule.reserve(0), 0);
        assert_eq!(schedule.reserve(0), 5_000);
        assert_eq!(schedule.reserve(1_000), 10_000);
        assert_eq!(schedule.reserve(30_000), 30_000);
    }

    #[test]
    fn bursts_up_to_max_concurrency() {
        let mut schedule = Schedule::new(IdentifyLimits::new(3), 0);

        let grants: Vec<u64> = (0..7).map(|_| schedule.reserve(100)).collect();

        assert_eq!(grants, [100, 100, 100, 5_100, 5_100, 5_100, 10_100]);
    }

    #[test]
    fn never_more_than_max_concurrency_in_any_window() {
        let mut schedule = Schedule::new(IdentifyLimits::new(2), 0);
        let mut grants = Vec::new();
        for now in [0, 10, 20, 4_000, 4_999, 9_000, 9_001, 9_002, 20_000] {
            grants.push(schedule.reserve(now));
        }

        for (index, &start) in grants.iter().enumerate() {
            let in_window = grants[index..]
                .iter()
                .filter(|&&grant| grant < start + 5_000)
                .count();
            assert!(
                in_window <= 2,
                "{in_window} grants in the window from {start}: {grants:?}"
            );
        }
    }

    #[test]
    fn exhausted_budget_waits_for_reset() {
        let limits = IdentifyLimits::from_session_start_limit(1000, 2, 60_000, 10);
        let mut schedule = Schedule::new(limits, 0);

        assert_eq!(schedule.reserve(0), 0);
        assert_eq!(schedule.reserve(0), 0);
        assert_eq!(schedule.reserve(0), 60_000);
        assert_eq!(schedule.remaining(), 999);
    }

    #[test]
    fn budget_resets_after_period_passes() {
        let limits = IdentifyLimits::from_session_start_limit(5, 1, 1_000, 1);
        let mut schedule = Schedule::new(limits, 0);

        assert_eq!(schedule.reserve(0), 0);
        assert_eq!(schedule.reserve(10_000), 10_000);
        assert_eq!(schedule.remaining(), 4);
    }

    #[test]
    fn update_keeps_pacing() {
        let mut schedule = Schedule::new(IdentifyLimits::new(1), 0);
        assert_eq!(schedule.reserve(0), 0);

        schedule.update(
            IdentifyLimits::new(1).with_window(Duration::from_secs(10)),
            1_000,
        );

        assert_eq!(schedule.reserve(1_000), 10_000);
    }
}
