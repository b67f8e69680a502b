//! Gateway discovery responses (`GET /gateway`, `GET /gateway/bot`).

/// `GET /gateway` response.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GatewayUrl {
    /// WebSocket URL.
    pub url: String,
}

impl GatewayUrl {
    /// Builds the response.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }
}

/// `GET /gateway/bot` response.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GatewayBot {
    /// WebSocket URL.
    pub url: String,
    /// Suggested number of shards.
    pub shards: u32,
    /// Session start budget.
    pub session_start_limit: SessionStartLimit,
}

impl GatewayBot {
    /// Builds the response.
    pub fn new(
        url: impl Into<String>,
        shards: u32,
        session_start_limit: SessionStartLimit,
    ) -> Self {
        Self {
            url: url.into(),
            shards,
            session_start_limit,
        }
    }
}

/// `session_start_limit` of `GET /gateway/bot`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SessionStartLimit {
    /// Sessions that may be created per 24 hours.
    pub total: u32,
    /// Sessions still creatable now.
    pub remaining: u32,
    /// Milliseconds until `remaining` resets.
    pub reset_after: u64,
    /// Sessions that may be created per 5-second window.
    pub max_concurrency: u32,
}

impl SessionStartLimit {
    /// Builds the limit.
    pub const fn new(total: u32, remaining: u32, reset_after: u64, max_concurrency: u32) -> Self {
        Self {
            total,
            remaining,
            reset_after,
            max_concurrency,
        }
    }

    /// Returns the minimum spacing between Identify frames in milliseconds:
    /// `ceil(5000 / max_concurrency)` (5000 when `max_concurrency` is 0).
    pub const fn identify_interval_millis(&self) -> u64 {
        let concurrency = if self.max_concurrency == 0 {
            1
        } else {
            self.max_concurrency as u64
        };

        5000_u64.div_ceil(concurrency)
    }
}
