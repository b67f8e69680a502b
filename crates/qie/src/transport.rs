//! Glue between the OpenAPI client and the gateway: access tokens and gateway discovery.

use futures_util::future::BoxFuture;
use qie_gateway::{DiscoveryError, GatewayDiscovery, TokenProvider, TokenProviderError};
use qie_model::gateway::GatewayBot;
use qie_model::secret::AccessToken;

/// Token endpoint codes that retrying cannot fix: the AppID or the secret is wrong.
pub(crate) const CREDENTIAL_CODES: &[u32] = &[100_007, 100_016, 10_004];

/// Returns whether an OpenAPI error means the AppID or secret is wrong.
pub(crate) fn is_credential_error(error: &qie_http::Error) -> bool {
    match error.kind() {
        qie_http::ErrorKind::Token(token) => token
            .code
            .is_some_and(|code| CREDENTIAL_CODES.contains(&code)),
        _ => false,
    }
}

/// Hands the client's access tokens to the gateway, so REST and gateway share one token.
#[derive(Debug)]
pub(crate) struct ClientTokens(pub(crate) qie_http::TokenSource);

impl TokenProvider for ClientTokens {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenProviderError>> {
        Box::pin(async move {
            self.0.token().await.map_err(|error| {
                if is_credential_error(&error) {
                    TokenProviderError::fatal(error)
                } else {
                    TokenProviderError::retryable(error)
                }
            })
        })
    }

    fn reject(&self, token: &AccessToken) {
        self.0.invalidate(token);
    }
}

/// Answers the gateway's discovery with `GET /gateway/bot`.
#[derive(Debug)]
pub(crate) struct ClientDiscovery(pub(crate) qie_http::Client);

impl GatewayDiscovery for ClientDiscovery {
    fn gateway_bot(&self) -> BoxFuture<'_, Result<GatewayBot, DiscoveryError>> {
        Box::pin(async move {
            self.0.get_gateway_bot().await.map_err(|error| {
                let retry_after = error.api().and_then(qie_http::ApiError::retry_after);
                if error.status().is_some_and(|status| status.as_u16() == 429) {
                    DiscoveryError::rate_limited(error, retry_after)
                } else {
                    DiscoveryError::new(error, retry_after)
                }
            })
        })
    }
}
