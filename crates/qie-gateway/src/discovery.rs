//! Gateway discovery (`GET /gateway/bot`) and the cached gateway URL shared by shards.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::time::Instant;

use qie_model::gateway::GatewayBot;

use crate::event::TransportError;
use crate::queue::{IdentifyLimits, IdentifyQueue};

/// Supplies what `GET /gateway/bot` returns.
///
/// [`qie_http::Client`] implements it; tests return fixed values.
pub trait GatewayDiscovery: fmt::Debug + Send + Sync + 'static {
    /// Fetches the gateway URL, the recommended shard count and the session start limits.
    fn gateway_bot(&self) -> BoxFuture<'_, Result<GatewayBot, DiscoveryError>>;
}

/// `GET /gateway/bot` failed.
#[derive(Debug)]
pub struct DiscoveryError {
    retry_after: Option<Duration>,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl DiscoveryError {
    /// Creates an error. `retry_after` is the wait the platform named when it rate-limited the
    /// call.
    pub fn new(
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
        retry_after: Option<Duration>,
    ) -> Self {
        Self {
            retry_after,
            source: source.into(),
        }
    }

    /// Creates a rate-limit error. Without a `retry_after` from the platform, the gateway waits
    /// [`DISCOVERY_MIN_INTERVAL`] before calling again.
    pub fn rate_limited(
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
        retry_after: Option<Duration>,
    ) -> Self {
        Self::new(source, Some(retry_after.unwrap_or(DISCOVERY_MIN_INTERVAL)))
    }

    /// Returns how long to wait before asking again, when the platform rate-limited the call.
    pub const fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for DiscoveryError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "GET /gateway/bot failed: {}", self.source)
    }
}

impl std::error::Error for DiscoveryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// Shortest time between two `GET /gateway/bot` calls of one cluster. The platform allows about
/// 2 calls a minute on this route.
pub const DISCOVERY_MIN_INTERVAL: Duration = Duration::from_secs(30);

/// The gateway URL of a cluster: fixed, or fetched and cached.
#[derive(Debug)]
pub(crate) struct UrlCache {
    fixed: Option<Arc<str>>,
    discovery: Option<Arc<dyn GatewayDiscovery>>,
    /// Receives the session start limits of each successful discovery.
    queue: Arc<dyn IdentifyQueue>,
    state: tokio::sync::Mutex<UrlState>,
}

#[derive(Debug, Default)]
struct UrlState {
    url: Option<Arc<str>>,
    /// When the last call was made, successful or not.
    fetched_at: Option<Instant>,
    /// No call before this instant (rate limit).
    blocked_until: Option<Instant>,
}

/// A gateway URL could not be had.
#[derive(Debug)]
pub(crate) struct UrlError {
    pub(crate) error: TransportError,
    /// Minimum wait before the next try.
    pub(crate) retry_after: Option<Duration>,
    /// Neither a URL nor a discovery source is configured, so retrying cannot help.
    pub(crate) unconfigured: bool,
}

impl UrlCache {
    pub(crate) fn new(
        fixed: Option<String>,
        discovery: Option<Arc<dyn GatewayDiscovery>>,
        queue: Arc<dyn IdentifyQueue>,
    ) -> Self {
        Self {
            fixed: fixed.map(Arc::from),
            discovery,
            queue,
            state: tokio::sync::Mutex::new(UrlState::default()),
        }
    }

    /// Seeds the cache with a URL fetched elsewhere (a cluster's start-up discovery).
    pub(crate) async fn seed(&self, url: &str) {
        let mut state = self.state.lock().await;
        state.url = Some(Arc::from(url));
        state.fetched_at = Some(Instant::now());
    }

    /// Returns the URL to connect to. With `refresh`, calls `GET /gateway/bot` again unless the
    /// last call was less than [`DISCOVERY_MIN_INTERVAL`] ago or the route is rate limited.
    pub(crate) async fn get(&self, refresh: bool) -> Result<Arc<str>, UrlError> {
        if let Some(url) = &self.fixed {
            return Ok(Arc::clone(url));
        }
        let Some(discovery) = &self.discovery else {
            return Err(UrlError {
                error: TransportError::new(std::io::Error::other(
                    "no gateway URL and no discovery source configured; set \
                     ConfigBuilder::gateway_url or ConfigBuilder::discovery",
                )),
                retry_after: None,
                unconfigured: true,
            });
        };

        let mut state = self.state.lock().await;
        let now = Instant::now();
        let next_allowed = [
            state.fetched_at.map(|at| at + DISCOVERY_MIN_INTERVAL),
            state.blocked_until,
        ]
        .into_iter()
        .flatten()
        .max();
        let wait = next_allowed
            .map(|at| at.saturating_duration_since(now))
            .unwrap_or_default();

        if let Some(url) = &state.url {
            if !refresh || !wait.is_zero() {
                return Ok(Arc::clone(url));
            }
        } else if !wait.is_zero() {
            return Err(UrlError {
                error: TransportError::new(std::io::Error::other(
                    "GET /gateway/bot failed recently and is not asked again yet",
                )),
                retry_after: Some(wait),
                unconfigured: false,
            });
        }

        state.fetched_at = Some(now);
        match discovery.gateway_bot().await {
            Ok(info) => {
                tracing::debug!(shards = info.shards, "gateway URL discovered");
                self.queue
                    .update_limits(IdentifyLimits::from(info.session_start_limit));
                let url: Arc<str> = Arc::from(info.url);
                state.url = Some(Arc::clone(&url));
                Ok(url)
            }
            Err(error) => {
                let retry_after = error.retry_after();
                if let Some(wait) = retry_after {
                    tracing::info!(
                        retry_after_ms = wait.as_millis(),
                        "GET /gateway/bot rate limited"
                    );
                    state.blocked_until = Some(now + wait);
                }
                if let Some(url) = &state.url {
                    tracing::warn!(%error, "gateway discovery failed, keeping the known URL");
                    return Ok(Arc::clone(url));
                }
                Err(UrlError {
                    error: TransportError::new(error),
                    retry_after,
                    unconfigured: false,
                })
            }
        }
    }
}
