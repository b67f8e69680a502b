//! Shard configuration shared by every shard of a bot.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use qie_model::gateway::{IdentifyProperties, Intents};

use crate::discovery::{GatewayDiscovery, UrlCache};
use crate::policy::ReconnectPolicy;
use crate::queue::{IdentifyQueue, LocalQueue};
use crate::session::{MemorySessionStore, SessionStore};
use crate::token::TokenProvider;

/// Settings and shared components of a bot's shards.
///
/// Cheap to clone. Clones share the token provider, identify queue, session store and the cached
/// gateway URL, so give every shard of a bot a clone of one `Config`.
///
/// # Examples
///
/// ```
/// use qie_gateway::{Config, StaticToken};
/// use qie_model::gateway::Intents;
/// use qie_model::secret::AccessToken;
///
/// let config = Config::builder(StaticToken::new(AccessToken::new("token")), Intents::DEFAULT)
///     .gateway_url("wss://api.sgroup.qq.com/websocket/")
///     .build();
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) token: Arc<dyn TokenProvider>,
    pub(crate) intents: Intents,
    pub(crate) url: UrlCache,
    pub(crate) discovery: Option<Arc<dyn GatewayDiscovery>>,
    pub(crate) queue: Arc<dyn IdentifyQueue>,
    pub(crate) sessions: Arc<dyn SessionStore>,
    pub(crate) reconnect: ReconnectPolicy,
    pub(crate) handshake_timeout: Duration,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) event_buffer: usize,
    pub(crate) dedupe_window: usize,
    pub(crate) properties: Option<IdentifyProperties>,
}

impl Config {
    /// Starts a configuration for a bot with the given token provider and intents.
    pub fn builder(token: impl TokenProvider, intents: Intents) -> ConfigBuilder {
        ConfigBuilder {
            token: Arc::new(token),
            intents,
            url: None,
            discovery: None,
            queue: None,
            sessions: None,
            reconnect: ReconnectPolicy::default(),
            handshake_timeout: Duration::from_secs(15),
            shutdown_timeout: Duration::from_secs(5),
            event_buffer: 1024,
            dedupe_window: 2048,
            properties: Some(IdentifyProperties::new(std::env::consts::OS, "qie")),
        }
    }

    /// Returns the intents shards identify with.
    pub fn intents(&self) -> Intents {
        self.inner.intents
    }

    /// Returns the reconnect policy.
    pub fn reconnect_policy(&self) -> &ReconnectPolicy {
        &self.inner.reconnect
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Config")
            .field("token", &self.inner.token)
            .field("intents", &self.inner.intents)
            .field("url", &self.inner.url)
            .field("queue", &self.inner.queue)
            .field("sessions", &self.inner.sessions)
            .field("reconnect", &self.inner.reconnect)
            .field("handshake_timeout", &self.inner.handshake_timeout)
            .field("shutdown_timeout", &self.inner.shutdown_timeout)
            .field("event_buffer", &self.inner.event_buffer)
            .field("dedupe_window", &self.inner.dedupe_window)
            .finish_non_exhaustive()
    }
}

/// Builder of [`Config`].
#[must_use]
pub struct ConfigBuilder {
    token: Arc<dyn TokenProvider>,
    intents: Intents,
    url: Option<String>,
    discovery: Option<Arc<dyn GatewayDiscovery>>,
    queue: Option<Arc<dyn IdentifyQueue>>,
    sessions: Option<Arc<dyn SessionStore>>,
    reconnect: ReconnectPolicy,
    handshake_timeout: Duration,
    shutdown_timeout: Duration,
    event_buffer: usize,
    dedupe_window: usize,
    properties: Option<IdentifyProperties>,
}

impl ConfigBuilder {
    /// Connects to this URL instead of asking `GET /gateway/bot`.
    pub fn gateway_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Asks this source for the gateway URL (and, for a [`Cluster`](crate::Cluster), the shard
    /// count and session start limits). Ignored for the URL when
    /// [`gateway_url`](Self::gateway_url) is set.
    pub fn discovery(mut self, discovery: impl GatewayDiscovery) -> Self {
        self.discovery = Some(Arc::new(discovery));
        self
    }

    /// Paces Identify with this queue. Default: a [`LocalQueue`] for `max_concurrency` 1, which a
    /// [`Cluster`](crate::Cluster) replaces with the limits from `GET /gateway/bot`.
    pub fn identify_queue(mut self, queue: impl IdentifyQueue) -> Self {
        self.queue = Some(Arc::new(queue));
        self
    }

    /// Keeps sessions in this store. Default: a [`MemorySessionStore`]; use a
    /// [`FileSessionStore`](crate::session::FileSessionStore) to resume after a restart.
    pub fn session_store(mut self, store: impl SessionStore) -> Self {
        self.sessions = Some(Arc::new(store));
        self
    }

    /// Sets the reconnect timing.
    pub fn reconnect_policy(mut self, policy: ReconnectPolicy) -> Self {
        self.reconnect = policy;
        self
    }

    /// Sets how long opening the WebSocket and receiving Hello may take, and how long READY or
    /// RESUMED may take after Identify or Resume. Default 15 s.
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    /// Sets how long a graceful shutdown waits for the application to take the events already
    /// received before it saves the session. Default 5 s.
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// Sets how many received events may wait for the application per stream. When the buffer
    /// is full the shard stops reading the socket (the platform buffers) but keeps sending
    /// heartbeats. Default 1024, at least 1.
    pub fn event_buffer(mut self, events: usize) -> Self {
        self.event_buffer = events.max(1);
        self
    }

    /// Sets how many recent event ids each shard remembers to drop an event delivered twice.
    /// 0 turns the check off. Default 2048.
    pub fn dedupe_window(mut self, ids: usize) -> Self {
        self.dedupe_window = ids;
        self
    }

    /// Sets the Identify `properties` (ignored by the platform), or `None` to omit them.
    pub fn identify_properties(mut self, properties: Option<IdentifyProperties>) -> Self {
        self.properties = properties;
        self
    }

    /// Builds the configuration.
    pub fn build(self) -> Config {
        let queue = self
            .queue
            .unwrap_or_else(|| Arc::new(LocalQueue::default()));
        let url = UrlCache::new(self.url, self.discovery.clone(), Arc::clone(&queue));

        Config {
            inner: Arc::new(Inner {
                token: self.token,
                intents: self.intents,
                url,
                discovery: self.discovery,
                queue,
                sessions: self
                    .sessions
                    .unwrap_or_else(|| Arc::new(MemorySessionStore::new())),
                reconnect: self.reconnect,
                handshake_timeout: self.handshake_timeout,
                shutdown_timeout: self.shutdown_timeout,
                event_buffer: self.event_buffer,
                dedupe_window: self.dedupe_window,
                properties: self.properties,
            }),
        }
    }
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ConfigBuilder")
            .field("token", &self.token)
            .field("intents", &self.intents)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use qie_model::gateway::Intents;
    use qie_model::secret::AccessToken;

    use super::Config;
    use crate::token::StaticToken;

    #[test]
    fn config_debug_redacts_token() {
        let config = Config::builder(
            StaticToken::new(AccessToken::new("secret-token-value")),
            Intents::DEFAULT,
        )
        .gateway_url("ws://127.0.0.1:1/websocket")
        .build();

        let debug = format!("{config:?}");

        assert!(!debug.contains("secret-token-value"), "{debug}");
        assert!(debug.contains("ws://127.0.0.1:1/websocket"), "{debug}");
    }
}
