//! Client-side rate limiting.
//!
//! Before each request the [`Client`](crate::Client) waits on its [`RateLimiter`]; requests wait
//! rather than fail. When the platform still answers with HTTP 429 or a rate-limit code, the
//! client reports it through [`RateLimiter::rate_limited`] so later requests of the same bucket
//! wait too, then retries.
//!
//! [`InProcessRateLimiter`] keeps the documented limits ([`LimitTable`]) in memory. A limiter
//! shared by several processes (a Redis store, for example) implements the same trait.

mod in_process;
mod limits;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use qie_model::id::AppId;

pub use self::in_process::InProcessRateLimiter;
pub use self::limits::{BotTier, Limit, LimitScope, LimitTable, LimitTraffic};
use crate::route::{Conversation, Route, Traffic};

/// A boxed future returned by [`RateLimiter`] methods.
pub type RateLimitFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// What a request is, as far as rate limits are concerned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RateLimitKey {
    /// The bot sending the request.
    pub app_id: AppId,
    /// The endpoint.
    pub route: Route,
    /// The chat it writes to, when it writes to one.
    pub conversation: Option<Conversation>,
    /// Passive reply, proactive send or other.
    pub traffic: Traffic,
}

impl RateLimitKey {
    /// Returns whether the request goes ahead of other traffic (passive replies).
    pub fn is_priority(&self) -> bool {
        self.traffic == Traffic::Passive
    }
}

/// Waits requests out so they stay within the platform's limits.
///
/// Implementations must be fair within one priority (first come, first served) and let
/// priority requests ([`RateLimitKey::is_priority`]) overtake waiting ordinary ones.
pub trait RateLimiter: fmt::Debug + Send + Sync + 'static {
    /// Completes when the request described by `key` may be sent.
    ///
    /// # Cancel safety
    ///
    /// Implementations must be cancel safe: dropping the future gives up the place in the
    /// queue without consuming capacity.
    fn acquire<'a>(&'a self, key: &'a RateLimitKey) -> RateLimitFuture<'a>;

    /// Records that the platform rejected `key` as rate limited; requests of the same bucket
    /// wait at least `retry_after` from now.
    fn rate_limited<'a>(
        &'a self,
        key: &'a RateLimitKey,
        retry_after: Duration,
    ) -> RateLimitFuture<'a>;
}

/// A limiter that never waits. Use it when another component (a proxy) enforces the limits.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoRateLimiter;

impl RateLimiter for NoRateLimiter {
    fn acquire<'a>(&'a self, _key: &'a RateLimitKey) -> RateLimitFuture<'a> {
        Box::pin(async {})
    }

    fn rate_limited<'a>(
        &'a self,
        _key: &'a RateLimitKey,
        _retry_after: Duration,
    ) -> RateLimitFuture<'a> {
        Box::pin(async {})
    }
}
