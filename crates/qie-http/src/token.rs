//! The access-token source of one bot.
//!
//! The platform issues an access token for an AppID and AppSecret at
//! `POST {token_url}` with the JSON body `{"appId": "…", "clientSecret": "…"}`. A token lives
//! up to 7200 s. While more than 60 s remain, the endpoint returns the same token. During the
//! last 60 s it returns a new one, and the old one stays valid until its own expiry.
//!
//! [`TokenSource`] caches the token and refreshes it 45–55 s before expiry (50 s ± 5 s of
//! jitter), inside that rotation window, so a refresh yields a new token and bots started together
//! do not refresh in lockstep. The refresh runs in a background task while callers keep using
//! the current token. Only one fetch runs at a time, however many tasks wait, and a failed fetch
//! is reported to every task that waited for it, so a broken secret costs one request, not one
//! per caller.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use qie_model::auth::{TokenReply, TokenRequest};
use qie_model::id::AppId;
use qie_model::secret::{AccessToken, AppSecret};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use reqwest::{Method, Url};
use tokio::time::Instant;
use tracing::Instrument;

use crate::config::HttpConfig;
use crate::error::{Error, ErrorKind, TokenError};
use crate::retry::RetryPolicy;
use crate::route::Route;
use crate::transport;

/// The access-token endpoint (on the token host, see [`HttpConfig::token_url`]).
pub(crate) const ROUTE: Route = Route::new(Method::POST, crate::config::TOKEN_PATH);

/// Default time before expiry at which the token is refreshed.
pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(50);
/// Default jitter added to or subtracted from [`DEFAULT_REFRESH_AHEAD`].
pub const DEFAULT_REFRESH_JITTER: Duration = Duration::from_secs(5);
/// A token with less validity left than this is not handed out; callers wait for a new one.
const MIN_USABLE_VALIDITY: Duration = Duration::from_secs(5);
/// Time after a failed background refresh before the next one starts.
const BACKGROUND_RETRY_PAUSE: Duration = Duration::from_secs(5);

/// Source of access tokens for one bot (one AppID).
///
/// Cheap to clone; clones share the cached token, so give every shard and every
/// [`Client`](crate::Client) of the bot a clone of the same source. Two bots need two sources:
/// a source never serves another AppID's token.
///
/// `Debug` shows the AppID and the token's remaining validity, never the secret or the token.
///
/// # Examples
///
/// ```no_run
/// use qie_http::TokenSource;
/// use qie_model::id::AppId;
/// use qie_model::secret::AppSecret;
///
/// # async fn run() -> Result<(), qie_http::Error> {
/// let source = TokenSource::new(AppId::new("102000001"), AppSecret::new("secret"))?;
/// let token = source.token().await?;
/// // Put `token.expose()` on the wire only, e.g. as `QQBot {token}` in Identify.
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TokenSource {
    inner: Arc<Inner>,
}

struct Inner {
    app_id: AppId,
    secret: AppSecret,
    token_url: Url,
    http: reqwest::Client,
    timeout: Duration,
    refresh_ahead: Duration,
    refresh_jitter: Duration,
    retry: RetryPolicy,
    state: Mutex<State>,
    fetch_lock: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Default)]
struct State {
    current: Option<CachedToken>,
    /// Number of completed fetches, successful or not.
    fetches: u64,
    /// The error of the most recent fetch, when it failed.
    last_failure: Option<Failure>,
}

struct Failure {
    /// Number of the failed fetch.
    fetch: u64,
    /// When it failed.
    at: Instant,
    error: Error,
}

struct CachedToken {
    token: AccessToken,
    expires_at: Instant,
    refresh_at: Instant,
}

impl TokenSource {
    /// Creates a source that fetches from the unified host's token endpoint.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Config`] when the HTTP client cannot be built.
    pub fn new(app_id: AppId, secret: AppSecret) -> Result<Self, Error> {
        Self::builder(app_id, secret).build()
    }

    /// Starts a builder for a source with non-default settings.
    pub fn builder(app_id: AppId, secret: AppSecret) -> TokenSourceBuilder {
        TokenSourceBuilder {
            app_id,
            secret,
            config: HttpConfig::default(),
            http: None,
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
            refresh_jitter: DEFAULT_REFRESH_JITTER,
            retry: RetryPolicy::default(),
        }
    }

    /// Returns the AppID this source issues tokens for.
    pub fn app_id(&self) -> &AppId {
        &self.inner.app_id
    }

    /// Returns a valid access token.
    ///
    /// A token due for refresh but still valid is returned at once while a background task
    /// fetches its successor. Only a caller without a usable token waits for a fetch.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Token`] when the endpoint refuses (with its `code`
    /// and `message`, for example 100016 for a mismatched secret), and transport or timeout
    /// errors when it cannot be reached. Tasks that waited for the same fetch get the same
    /// error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe. Dropping the future while it fetches lets the next caller fetch.
    pub async fn token(&self) -> Result<AccessToken, Error> {
        let fetches_seen = {
            let state = self.inner.lock_state();
            let now = Instant::now();
            if let Some(token) = state.fresh_token(now) {
                return Ok(token);
            }
            if let Some(token) = state.usable_token(now) {
                drop(state);
                self.inner.refresh_in_background();
                return Ok(token);
            }
            state.fetches
        };

        // No usable token: wait for a fetch, one at a time.
        let _guard = self.inner.fetch_lock.lock().await;

        {
            let state = self.inner.lock_state();
            let now = Instant::now();
            if let Some(token) = state.fresh_token(now).or_else(|| state.usable_token(now)) {
                return Ok(token);
            }
            // Another task fetched while this one waited; share its failure.
            if state.fetches != fetches_seen
                && let Some(failure) = &state.last_failure
                && failure.fetch == state.fetches
            {
                return Err(failure.error.clone());
            }
        }

        self.inner.fetch_and_store().await
    }

    /// Drops `token` from the cache when it is still the cached token, so the next
    /// [`token`](Self::token) call fetches a new one.
    ///
    /// Call it when the platform rejects the token (HTTP 401, code 11244, gateway close code
    /// 4004). Returns whether the cache held `token`; `false` means another task has already
    /// replaced it.
    pub fn invalidate(&self, token: &AccessToken) -> bool {
        let mut state = self.inner.lock_state();
        let held = state
            .current
            .as_ref()
            .is_some_and(|cached| cached.token == *token);

        if held {
            state.current = None;
            tracing::debug!(app_id = %self.inner.app_id, "access token invalidated");
        }

        held
    }

    /// Returns how long the cached token stays valid, or `None` when nothing is cached.
    pub fn remaining_validity(&self) -> Option<Duration> {
        let state = self.inner.lock_state();

        state
            .current
            .as_ref()
            .map(|cached| cached.expires_at.saturating_duration_since(Instant::now()))
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TokenSource")
            .field("app_id", &self.inner.app_id)
            .field("token_url", &self.inner.token_url.as_str())
            .field("secret", &self.inner.secret)
            .field("remaining_validity", &self.remaining_validity())
            .finish_non_exhaustive()
    }
}

impl Inner {
    fn lock_state(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every update is one assignment.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a fetch in a background task, unless one is running or the last one failed less
    /// than [`BACKGROUND_RETRY_PAUSE`] ago.
    fn refresh_in_background(self: &Arc<Self>) {
        let Ok(guard) = Arc::clone(&self.fetch_lock).try_lock_owned() else {
            return;
        };
        let recently_failed = self
            .lock_state()
            .last_failure
            .as_ref()
            .is_some_and(|failure| failure.at.elapsed() < BACKGROUND_RETRY_PAUSE);
        if recently_failed {
            return;
        }

        let inner = Arc::clone(self);
        tokio::spawn(async move {
            let _guard = guard;
            // The outcome is stored in the state; a failure is logged there.
            let _ = inner.fetch_and_store().await;
        });
    }

    /// Fetches a token and stores the outcome. The caller holds `fetch_lock`.
    async fn fetch_and_store(&self) -> Result<AccessToken, Error> {
        let span = tracing::debug_span!("qie_http.token", app_id = %self.app_id);
        let result = self.fetch_with_retries().instrument(span).await;

        let mut state = self.lock_state();
        state.fetches += 1;
        match result {
            Ok(cached) => {
                let token = cached.token.clone();
                state.current = Some(cached);
                state.last_failure = None;

                Ok(token)
            }
            Err(error) => {
                state.last_failure = Some(Failure {
                    fetch: state.fetches,
                    at: Instant::now(),
                    error: error.clone(),
                });

                // A failed refresh does not invalidate a token that is still valid.
                if let Some(token) = state.usable_token(Instant::now()) {
                    tracing::warn!(
                        app_id = %self.app_id,
                        error = %error,
                        "access token refresh failed; using the current token until it expires"
                    );
                    return Ok(token);
                }

                Err(error)
            }
        }
    }

    async fn fetch_with_retries(&self) -> Result<CachedToken, Error> {
        let mut retry = 0;

        loop {
            let error = match self.fetch_once().await {
                Ok(cached) => return Ok(cached),
                Err(error) => error,
            };

            if retry >= self.retry.retries() || !is_transient_token_error(&error) {
                return Err(error);
            }

            let delay = self.retry.backoff(retry);
            tracing::info!(
                app_id = %self.app_id,
                retry = retry + 1,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying access token fetch"
            );
            tokio::time::sleep(delay).await;
            retry += 1;
        }
    }

    async fn fetch_once(&self) -> Result<CachedToken, Error> {
        let request_body = TokenRequest::new(self.app_id.clone(), self.secret.clone());
        let body = serde_json::to_vec(&request_body).map_err(|source| {
            Error::with_source(
                ErrorKind::Config {
                    message: "failed to encode the token request".into(),
                },
                source,
            )
        })?;

        let request = self
            .http
            .post(self.token_url.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body);

        tracing::debug!(token_url = %self.token_url, "fetching access token");
        let started = Instant::now();
        let exchange = transport::exchange(request, self.timeout).await?;
        let status = exchange.status;
        let trace_id = exchange.trace_id();

        let refused = |code: Option<u32>, message: String, trace_id: Option<String>| {
            Error::new(ErrorKind::Token(Box::new(TokenError {
                status: Some(status),
                code,
                message,
                trace_id,
            })))
        };

        let response = match TokenReply::from_slice(&exchange.body) {
            Ok(TokenReply::Token(response)) if status.is_success() => response,
            Ok(TokenReply::Error(body)) => {
                let message = if body.message.is_empty() {
                    "the response has no access_token".to_owned()
                } else {
                    body.message.clone()
                };
                return Err(refused(
                    body.code(),
                    message,
                    trace_id.or_else(|| body.trace_id.clone()),
                ));
            }
            Ok(_) => {
                return Err(refused(
                    None,
                    "the endpoint answered with an error status".to_owned(),
                    trace_id,
                ));
            }
            Err(source) => {
                return Err(Error::with_source(
                    ErrorKind::Token(Box::new(TokenError {
                        status: Some(status),
                        code: None,
                        message: describe_unparsable(&exchange.body),
                        trace_id,
                    })),
                    source,
                ));
            }
        };

        if response.access_token.is_empty() {
            return Err(refused(None, "access_token is empty".to_owned(), trace_id));
        }
        if response.expires_in == 0 {
            return Err(refused(None, "expires_in is 0".to_owned(), trace_id));
        }

        // Count the lifetime from when the request was sent, not when the response arrived.
        let lifetime = Duration::from_secs(response.expires_in);
        let expires_at = started + lifetime;
        let refresh_at = expires_at - self.refresh_lead(lifetime);

        tracing::info!(
            app_id = %self.app_id,
            expires_in = response.expires_in,
            "access token fetched"
        );

        Ok(CachedToken {
            token: response.access_token,
            expires_at,
            refresh_at,
        })
    }

    /// Picks how long before expiry to refresh: `refresh_ahead ± refresh_jitter`, at most half
    /// the lifetime so a short-lived token is not refetched on every call.
    fn refresh_lead(&self, lifetime: Duration) -> Duration {
        let jitter_nanos = u64::try_from(self.refresh_jitter.as_nanos()).unwrap_or(u64::MAX);
        let offset = Duration::from_nanos(rand::random_range(0..=jitter_nanos.saturating_mul(2)));
        let lead = self
            .refresh_ahead
            .saturating_sub(self.refresh_jitter)
            .saturating_add(offset);

        lead.min(lifetime / 2)
    }
}

impl State {
    fn fresh_token(&self, now: Instant) -> Option<AccessToken> {
        self.current
            .as_ref()
            .filter(|cached| now < cached.refresh_at)
            .map(|cached| cached.token.clone())
    }

    fn usable_token(&self, now: Instant) -> Option<AccessToken> {
        self.current
            .as_ref()
            .filter(|cached| now + MIN_USABLE_VALIDITY < cached.expires_at)
            .map(|cached| cached.token.clone())
    }
}

fn is_transient_token_error(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Timeout { .. } | ErrorKind::Transport { .. } => true,
        ErrorKind::Token(token) => {
            token.status.is_some_and(|status| status.is_server_error())
                || matches!(token.code, Some(100_001 | 100_002))
        }
        _ => false,
    }
}

fn describe_unparsable(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "the response body is empty".to_owned();
    }

    if body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'<') {
        return "the response body is an HTML page, not the token JSON".to_owned();
    }

    "the response body is not the token JSON".to_owned()
}

/// Builder of a [`TokenSource`].
#[must_use]
pub struct TokenSourceBuilder {
    app_id: AppId,
    secret: AppSecret,
    config: HttpConfig,
    http: Option<reqwest::Client>,
    refresh_ahead: Duration,
    refresh_jitter: Duration,
    retry: RetryPolicy,
}

impl TokenSourceBuilder {
    /// Uses the token URL, timeout and user agent of `config`.
    pub fn config(mut self, config: &HttpConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Shares an existing `reqwest` client (and its connection pool).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Sets how long before expiry the token is refreshed (default 50 s). Keep it under 60 s:
    /// earlier requests return the same token.
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = ahead;
        self
    }

    /// Sets the random spread around the refresh time (default ±5 s).
    pub fn refresh_jitter(mut self, jitter: Duration) -> Self {
        self.refresh_jitter = jitter;
        self
    }

    /// Sets the retry policy of transient fetch failures.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Builds the source.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Config`] when the AppID or secret is empty or the
    /// HTTP client cannot be built.
    pub fn build(self) -> Result<TokenSource, Error> {
        if self.app_id.is_empty() {
            return Err(Error::new(ErrorKind::Config {
                message: "the AppID is empty; copy it from the bot's console page".into(),
            }));
        }
        if self.secret.is_empty() {
            return Err(Error::new(ErrorKind::Config {
                message: "the AppSecret is empty; copy it from the bot's console page".into(),
            }));
        }

        let http = match self.http {
            Some(http) => http,
            None => self.config.build_http_client()?,
        };

        Ok(TokenSource {
            inner: Arc::new(Inner {
                app_id: self.app_id,
                secret: self.secret,
                token_url: self.config.token_url().clone(),
                http,
                timeout: self.config.request_timeout(),
                refresh_ahead: self.refresh_ahead,
                refresh_jitter: self.refresh_jitter,
                retry: self.retry,
                state: Mutex::new(State::default()),
                fetch_lock: Arc::new(tokio::sync::Mutex::new(())),
            }),
        })
    }
}

impl fmt::Debug for TokenSourceBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TokenSourceBuilder")
            .field("app_id", &self.app_id)
            .field("secret", &self.secret)
            .field("config", &self.config)
            .field("refresh_ahead", &self.refresh_ahead)
            .field("refresh_jitter", &self.refresh_jitter)
            .finish_non_exhaustive()
    }
}
