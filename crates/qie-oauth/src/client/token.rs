//! `/oauth2.0/token`: the authorization-code grant and the refresh grant.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::{Client, ResponseFormat};
use crate::error::Error;
use crate::model::TokenSet;
use crate::secret::RefreshToken;

/// Path of the token endpoint.
pub const TOKEN_PATH: &str = "/oauth2.0/token";

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Exchange of a callback code for tokens; `.await` it. Created by [`Client::exchange_code`].
///
/// `Debug` leaves the code out: until it is exchanged, it is as good as a token.
#[must_use = "requests do nothing until awaited"]
pub struct ExchangeCode<'a> {
    client: &'a Client,
    code: &'a str,
    need_openid: bool,
    format: ResponseFormat,
}

impl<'a> ExchangeCode<'a> {
    pub(super) fn new(client: &'a Client, code: &'a str) -> Self {
        Self {
            client,
            code,
            need_openid: true,
            format: ResponseFormat::Json,
        }
    }

    /// Asks for the openid in the token response (`need_openid=1`); default on.
    pub fn need_openid(mut self, need_openid: bool) -> Self {
        self.need_openid = need_openid;
        self
    }

    /// Chooses the requested response format; default [`ResponseFormat::Json`].
    pub fn format(mut self, format: ResponseFormat) -> Self {
        self.format = format;
        self
    }

    async fn send(self) -> Result<TokenSet, Error> {
        let inner = &self.client.inner;
        let mut params = vec![
            ("grant_type", "authorization_code"),
            ("client_id", inner.app_id.as_str()),
            ("client_secret", inner.app_key.expose()),
            ("code", self.code),
            ("redirect_uri", inner.redirect_uri.as_str()),
        ];
        if self.format == ResponseFormat::Json {
            params.push(("fmt", "json"));
        }
        if self.need_openid {
            params.push(("need_openid", "1"));
        }

        self.client
            .get_parsed(&inner.base_url, TOKEN_PATH, &params)
            .await
    }
}

impl std::fmt::Debug for ExchangeCode<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ExchangeCode")
            .field("app_id", self.client.app_id())
            .field("code", &"<redacted>")
            .field("need_openid", &self.need_openid)
            .field("format", &self.format)
            .finish()
    }
}

impl<'a> IntoFuture for ExchangeCode<'a> {
    type Output = Result<TokenSet, Error>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Refresh grant; `.await` it. Created by [`Client::refresh`].
#[derive(Debug)]
#[must_use = "requests do nothing until awaited"]
pub struct Refresh<'a> {
    client: &'a Client,
    token: &'a RefreshToken,
    format: ResponseFormat,
}

impl<'a> Refresh<'a> {
    pub(super) fn new(client: &'a Client, refresh_token: &'a RefreshToken) -> Self {
        Self {
            client,
            token: refresh_token,
            format: ResponseFormat::Json,
        }
    }

    /// Chooses the requested response format; default [`ResponseFormat::Json`].
    pub fn format(mut self, format: ResponseFormat) -> Self {
        self.format = format;
        self
    }

    async fn send(self) -> Result<TokenSet, Error> {
        let inner = &self.client.inner;
        let mut params = vec![
            ("grant_type", "refresh_token"),
            ("client_id", inner.app_id.as_str()),
            ("client_secret", inner.app_key.expose()),
            ("refresh_token", self.token.expose()),
        ];
        if self.format == ResponseFormat::Json {
            params.push(("fmt", "json"));
        }

        let tokens: TokenSet = self
            .client
            .get_parsed(&inner.base_url, TOKEN_PATH, &params)
            .await?;
        tracing::debug!(app_id = %inner.app_id, "access token refreshed; the previous refresh token is spent");

        Ok(tokens)
    }
}

impl<'a> IntoFuture for Refresh<'a> {
    type Output = Result<TokenSet, Error>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
