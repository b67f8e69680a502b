//! The source of the access token shards authenticate with.

use std::fmt;

use futures_util::future::BoxFuture;
use qie_model::secret::AccessToken;

/// Supplies the access token sent in Identify and Resume as `QQBot {token}`.
///
/// All shards of a bot share one provider, so a refresh happens once for all of them. The
/// provider for production is `qie_http::TokenSource`; [`StaticToken`] serves a fixed token (tests,
/// or a token managed elsewhere).
pub trait TokenProvider: fmt::Debug + Send + Sync + 'static {
    /// Returns a valid access token, fetching one if needed.
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenProviderError>>;

    /// Tells the provider that the gateway rejected `token` (close code 4004), so the next
    /// [`access_token`](Self::access_token) call returns a fresh one.
    fn reject(&self, token: &AccessToken);
}

/// A fixed access token.
///
/// `Debug` redacts it.
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// Wraps a token.
    pub fn new(token: AccessToken) -> Self {
        Self(token)
    }
}

impl TokenProvider for StaticToken {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenProviderError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }

    fn reject(&self, _token: &AccessToken) {
        tracing::warn!("the gateway rejected the static access token; it cannot be refreshed");
    }
}

/// A [`TokenProvider`] failed.
#[derive(Debug)]
pub struct TokenProviderError {
    retryable: bool,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TokenProviderError {
    /// Creates an error for a failure that may pass (network, timeout, a rejection by the token
    /// endpoint). The shard retries with backoff.
    pub fn retryable(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            retryable: true,
            source: source.into(),
        }
    }

    /// Creates an error for a failure that retrying cannot fix (invalid configuration). The shard
    /// stops with [`FatalErrorKind::Token`](crate::FatalErrorKind::Token).
    pub fn fatal(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            retryable: false,
            source: source.into(),
        }
    }

    /// Returns whether the shard retries.
    pub const fn is_retryable(&self) -> bool {
        self.retryable
    }

    pub(crate) fn into_source(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.source
    }
}

impl fmt::Display for TokenProviderError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "access token unavailable: {}", self.source)
    }
}

impl std::error::Error for TokenProviderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_token_debug_redacts() {
        let provider = StaticToken::new(AccessToken::new("very-secret-token"));

        let debug = format!("{provider:?}");

        assert!(!debug.contains("very-secret-token"), "{debug}");
    }

    #[tokio::test]
    async fn static_token_returns_token() {
        let provider = StaticToken::new(AccessToken::new("abc"));

        let token = provider.access_token().await.unwrap();

        assert_eq!(token.expose(), "abc");
    }
}
