//! The `qie_http` implementations of the token and discovery traits.

use std::time::Duration;

use futures_util::future::BoxFuture;
use qie_http::ErrorKind;
use qie_http::codes::CodeClass;
use qie_model::gateway::GatewayBot;
use qie_model::secret::AccessToken;

use crate::discovery::{DiscoveryError, GatewayDiscovery};
use crate::token::{TokenProvider, TokenProviderError};

/// Token endpoint codes that mean the credentials are wrong: 100007 (AppID invalid, or the bot is
/// banned or deleted), 100016 (AppID and AppSecret do not match) and 10004 (no bot with this
/// AppID). Retrying cannot fix them.
const CREDENTIAL_CODES: [u32; 3] = [100_007, 100_016, 10_004];

/// Shards share the HTTP client's token cache: one refresh serves REST calls and every shard.
impl TokenProvider for qie_http::TokenSource {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenProviderError>> {
        Box::pin(async move {
            self.token().await.map_err(|error| {
                let fatal = match error.kind() {
                    // A configuration error does not go away by waiting.
                    ErrorKind::Config { .. } => true,
                    ErrorKind::Token(token) => token
                        .code
                        .is_some_and(|code| CREDENTIAL_CODES.contains(&code)),
                    _ => false,
                };
                if fatal {
                    TokenProviderError::fatal(error)
                } else {
                    TokenProviderError::retryable(error)
                }
            })
        })
    }

    fn reject(&self, token: &AccessToken) {
        self.invalidate(token);
    }
}

impl GatewayDiscovery for qie_http::Client {
    fn gateway_bot(&self) -> BoxFuture<'_, Result<GatewayBot, DiscoveryError>> {
        Box::pin(async move {
            self.get_gateway_bot().await.map_err(|error| {
                let rate_limited = error
                    .api()
                    .is_some_and(|api| api.class() == CodeClass::RateLimited);
                if rate_limited {
                    let retry_after: Option<Duration> =
                        error.api().and_then(qie_http::ApiError::retry_after);
                    DiscoveryError::rate_limited(error, retry_after)
                } else {
                    DiscoveryError::new(error, None)
                }
            })
        })
    }
}
