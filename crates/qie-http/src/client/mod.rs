//! The [`Client`]: configuration, token source, rate limiter and retry policy of one bot.

mod send;

use std::fmt;
use std::sync::Arc;

use qie_model::id::AppId;
use qie_model::secret::AppSecret;

use crate::config::HttpConfig;
use crate::error::Error;
use crate::ratelimit::{InProcessRateLimiter, LimitTable, RateLimiter};
use crate::reply::ReplyWindows;
use crate::retry::RetryPolicy;
use crate::token::TokenSource;

/// The OpenAPI client of one bot.
///
/// Cheap to clone: clones share the connection pool, the token source and the rate limiter.
/// Every endpoint is a method returning a request builder that runs when awaited; see the
/// [`request`](crate::request) modules for the list.
///
/// `Debug` shows the AppID and the hosts, never the secret or the token.
///
/// # Examples
///
/// ```no_run
/// use qie_http::Client;
/// use qie_model::id::AppId;
/// use qie_model::secret::AppSecret;
///
/// # async fn run() -> Result<(), qie_http::Error> {
/// let client = Client::builder(AppId::new("102000001"), AppSecret::new("secret")).build()?;
///
/// let gateway = client.get_gateway_bot().await?;
/// println!("{} shard(s) recommended", gateway.shards);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    config: HttpConfig,
    http: reqwest::Client,
    token: TokenSource,
    limiter: Arc<dyn RateLimiter>,
    retry: RetryPolicy,
    reply_windows: ReplyWindows,
}

impl Client {
    /// Starts a builder for a client that fetches its own tokens with `app_id` and `secret`.
    pub fn builder(app_id: AppId, secret: AppSecret) -> ClientBuilder {
        ClientBuilder::new(Credentials::Secret { app_id, secret })
    }

    /// Starts a builder for a client that takes its tokens from an existing source (shared with
    /// the gateway shards or with other clients of the same bot).
    ///
    /// The client reuses the source's connection pool, so the source's user agent and proxy
    /// setting apply; the builder's [`config`](ClientBuilder::config) still sets the API base
    /// URL and the timeouts.
    pub fn builder_with_token_source(source: TokenSource) -> ClientBuilder {
        ClientBuilder::new(Credentials::Source(source))
    }

    /// Returns the AppID of the bot.
    pub fn app_id(&self) -> &AppId {
        self.inner.token.app_id()
    }

    /// Returns the token source (clone it to share the token with the gateway).
    pub fn token_source(&self) -> &TokenSource {
        &self.inner.token
    }

    /// Returns the configuration.
    pub fn config(&self) -> &HttpConfig {
        &self.inner.config
    }

    /// Returns the retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Returns the reply windows used to check passive replies.
    pub fn reply_windows(&self) -> &ReplyWindows {
        &self.inner.reply_windows
    }

    /// Returns the rate limiter.
    pub fn rate_limiter(&self) -> &Arc<dyn RateLimiter> {
        &self.inner.limiter
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Client")
            .field("app_id", self.app_id())
            .field("config", &self.inner.config)
            .field("token", &self.inner.token)
            .field("rate_limiter", &self.inner.limiter)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

enum Credentials {
    Secret { app_id: AppId, secret: AppSecret },
    Source(TokenSource),
}

/// Builder of a [`Client`].
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    config: HttpConfig,
    limiter: Option<Arc<dyn RateLimiter>>,
    retry: RetryPolicy,
    reply_windows: ReplyWindows,
}

impl ClientBuilder {
    fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            config: HttpConfig::default(),
            limiter: None,
            retry: RetryPolicy::default(),
            reply_windows: ReplyWindows::default(),
        }
    }

    /// Sets hosts, timeouts and the user agent (default: the unified host).
    pub fn config(mut self, config: HttpConfig) -> Self {
        self.config = config;
        self
    }

    /// Replaces the rate limiter (default: an [`InProcessRateLimiter`] with the documented
    /// limits of an unverified bot).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Uses an [`InProcessRateLimiter`] with `table`.
    pub fn limit_table(mut self, table: LimitTable) -> Self {
        self.limiter = Some(Arc::new(InProcessRateLimiter::new(table)));
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the passive reply windows and per-message reply counts.
    pub fn reply_windows(mut self, windows: ReplyWindows) -> Self {
        self.reply_windows = windows;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Config`](crate::ErrorKind::Config) when the AppID or
    /// secret is empty or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let (http, token) = match self.credentials {
            Credentials::Secret { app_id, secret } => {
                let http = self.config.build_http_client()?;
                let token = TokenSource::builder(app_id, secret)
                    .config(&self.config)
                    .http_client(http.clone())
                    .retry_policy(self.retry.clone())
                    .build()?;
                (http, token)
            }
            Credentials::Source(source) => (source.http().clone(), source),
        };

        let limiter = self
            .limiter
            .unwrap_or_else(|| Arc::new(InProcessRateLimiter::default()));

        Ok(Client {
            inner: Arc::new(ClientInner {
                config: self.config,
                http,
                token,
                limiter,
                retry: self.retry,
                reply_windows: self.reply_windows,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let app_id = match &self.credentials {
            Credentials::Secret { app_id, .. } => app_id,
            Credentials::Source(source) => source.app_id(),
        };

        formatter
            .debug_struct("ClientBuilder")
            .field("app_id", app_id)
            .field("config", &self.config)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
