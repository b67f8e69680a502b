//! When and how often a failed request is sent again.
//!
//! A request is retried only where a second copy cannot do harm:
//!
//! | Failure | GET, PUT, DELETE | POST with `msg_seq` | Other POST, PATCH |
//! | --- | --- | --- | --- |
//! | connection refused before sending | retried | retried | retried |
//! | timeout, broken connection, HTTP 5xx, transient code | retried | retried (same `msg_seq`) | returned |
//! | HTTP 429 or a rate-limit code | waited out, retried | waited out, retried | waited out, retried |
//! | invalid token (401, 11244 …) | token refetched, replayed once | same | same |
//! | system error of a pre-check (11242, 11252, 11263, 11281) | retried once | retried once | retried once |
//!
//! A rate-limited request was rejected before it took effect, so repeating it is safe for every
//! method. A POST carrying `msg_seq` is idempotent on the platform: a duplicate comes back as
//! 40054005, which the client reports as
//! [`ErrorKind::DeliveryUnconfirmed`](crate::ErrorKind::DeliveryUnconfirmed) instead of
//! sending again.

use std::time::Duration;

/// Retry limits and backoff of a [`Client`](crate::Client).
///
/// Backoff is exponential, `initial_backoff × 2^n` capped at `max_backoff`, with jitter that
/// picks a delay between half and all of that value.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use qie_http::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(200));
/// assert_eq!(policy.retries(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    max_rate_limit_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    default_rate_limit_wait: Duration,
    max_rate_limit_wait: Duration,
}

impl RetryPolicy {
    /// A policy that never retries transient failures and never waits out a rate limit.
    ///
    /// The single replay after a token refetch still happens.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            max_rate_limit_retries: 0,
            ..Self::default()
        }
    }

    /// Sets how many times a transient failure is retried (default 3).
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sets how many times a rate-limited request is waited out and retried (default 5).
    #[must_use]
    pub fn max_rate_limit_retries(mut self, retries: u32) -> Self {
        self.max_rate_limit_retries = retries;
        self
    }

    /// Sets the first backoff delay (default 500 ms).
    #[must_use]
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets the largest backoff delay (default 30 s).
    #[must_use]
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Sets the wait after a rate limit that names no `Retry-After` (default 1 s, doubled on each
    /// further rate limit of the same request).
    #[must_use]
    pub fn default_rate_limit_wait(mut self, delay: Duration) -> Self {
        self.default_rate_limit_wait = delay;
        self
    }

    /// Sets the longest rate-limit wait the client accepts (default 60 s). A longer
    /// `Retry-After` is returned to the caller as the error.
    #[must_use]
    pub fn max_rate_limit_wait(mut self, delay: Duration) -> Self {
        self.max_rate_limit_wait = delay;
        self
    }

    /// Returns how many times a transient failure is retried.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Returns how many times a rate limit is waited out.
    pub fn rate_limit_retries(&self) -> u32 {
        self.max_rate_limit_retries
    }

    /// Returns the delay before retry number `retry` (0-based) of a transient failure.
    pub fn backoff(&self, retry: u32) -> Duration {
        jittered(self.exponential(self.initial_backoff, retry))
    }

    /// Returns the wait before retry number `retry` (0-based) of a rate-limited request, given
    /// the response's `Retry-After`, or `None` when the wait exceeds the allowed maximum.
    pub fn rate_limit_wait(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let wait = match retry_after {
            Some(delay) => delay,
            None => self.exponential(self.default_rate_limit_wait, retry),
        };

        (wait <= self.max_rate_limit_wait).then_some(wait)
    }

    fn exponential(&self, base: Duration, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(16));

        base.saturating_mul(factor).min(self.max_backoff)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            max_rate_limit_retries: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            default_rate_limit_wait: Duration::from_secs(1),
            max_rate_limit_wait: Duration::from_secs(60),
        }
    }
}

/// Picks a delay between half and all of `delay`.
pub(crate) fn jittered(delay: Duration) -> Duration {
    let nanos = u64::try_from(delay.as_nanos()).unwrap_or(u64::MAX);
    if nanos < 2 {
        return delay;
    }

    let half = nanos / 2;
    Duration::from_nanos(half + rand::random_range(0..=half))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));

        for retry in 0..10 {
            let full = Duration::from_millis(100 * 2u64.pow(retry)).min(Duration::from_secs(1));
            let delay = policy.backoff(retry);
            assert!(
                delay >= full / 2,
                "retry {retry}: {delay:?} < half of {full:?}"
            );
            assert!(delay <= full, "retry {retry}: {delay:?} > {full:?}");
        }
    }

    #[test]
    fn rate_limit_wait_honours_retry_after_and_cap() {
        let policy = RetryPolicy::default();

        assert_eq!(
            policy.rate_limit_wait(0, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.rate_limit_wait(0, None),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            policy.rate_limit_wait(2, None),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            policy.rate_limit_wait(0, Some(Duration::from_secs(120))),
            None
        );
    }

    #[test]
    fn none_disables_retries() {
        let policy = RetryPolicy::none();

        assert_eq!(policy.retries(), 0);
        assert_eq!(policy.rate_limit_retries(), 0);
    }
}
