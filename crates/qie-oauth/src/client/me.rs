//! `/oauth2.0/me`: the openid and unionid of an access token.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::{Client, ResponseFormat};
use crate::error::{Error, ErrorKind};
use crate::model::Me;
use crate::secret::{AccessToken, constant_time_eq};

/// Path of the openid endpoint.
pub const ME_PATH: &str = "/oauth2.0/me";

/// Lookup of an access token's openid; `.await` it. Created by [`Client::me`].
#[derive(Debug)]
#[must_use = "requests do nothing until awaited"]
pub struct GetMe<'a> {
    client: &'a Client,
    access_token: &'a AccessToken,
    unionid: bool,
    format: ResponseFormat,
}

impl<'a> GetMe<'a> {
    pub(super) fn new(client: &'a Client, access_token: &'a AccessToken) -> Self {
        Self {
            client,
            access_token,
            unionid: false,
            format: ResponseFormat::Json,
        }
    }

    /// Asks for the unionid too (`unionid=1`).
    ///
    /// The developer account needs UnionID enabled in the QQ Connect console; without it the
    /// platform returns [`ConnectCode::UnionIdNotEnabled`](crate::ConnectCode::UnionIdNotEnabled)
    /// (100048). A success without a unionid is reported as [`ErrorKind::UnionIdMissing`].
    pub fn unionid(mut self, unionid: bool) -> Self {
        self.unionid = unionid;
        self
    }

    /// Chooses the requested response format; default [`ResponseFormat::Json`].
    pub fn format(mut self, format: ResponseFormat) -> Self {
        self.format = format;
        self
    }

    async fn send(self) -> Result<Me, Error> {
        let inner = &self.client.inner;
        let mut params = vec![("access_token", self.access_token.expose())];
        if self.unionid {
            params.push(("unionid", "1"));
        }
        if self.format == ResponseFormat::Json {
            params.push(("fmt", "json"));
        }

        let me: Me = self
            .client
            .get_parsed(&inner.base_url, ME_PATH, &params)
            .await?;

        // A token minted for another app must not log anyone in to this one.
        if !constant_time_eq(me.client_id.as_bytes(), inner.app_id.as_str().as_bytes()) {
            tracing::warn!(expected = %inner.app_id, actual = %me.client_id, "access token belongs to another app");
            return Err(Error::new(ErrorKind::ClientIdMismatch {
                expected: inner.app_id.clone(),
                actual: me.client_id,
            }));
        }
        if self.unionid && me.unionid.is_none() {
            return Err(Error::new(ErrorKind::UnionIdMissing));
        }

        Ok(me)
    }
}

impl<'a> IntoFuture for GetMe<'a> {
    type Output = Result<Me, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
