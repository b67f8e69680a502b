//! A whole login from a callback code: token, openid check, profile.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::Client;
use crate::error::Error;
use crate::id::{AppId, OpenId, UnionId};
use crate::model::{TokenSet, UserInfo};

/// A logged-in QQ user.
///
/// Identify the user by [`unionid`](Self::unionid) when the login asked for it (stable across
/// every app of the developer account), otherwise by (appid, openid). The nickname is not
/// unique.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QqUser {
    /// The app the user logged in to.
    pub app_id: AppId,
    /// The user's openid for this app.
    pub openid: OpenId,
    /// The user's unionid, when requested.
    pub unionid: Option<UnionId>,
    /// The profile from `get_user_info`.
    pub profile: UserInfo,
    /// The tokens. Keep them server-side only; the refresh token is single use.
    pub tokens: TokenSet,
}

impl QqUser {
    /// Returns the nickname.
    pub fn nickname(&self) -> &str {
        &self.profile.nickname
    }

    /// Returns the best avatar URL (see [`UserInfo::avatar_url`]).
    pub fn avatar_url(&self) -> Option<&str> {
        self.profile.avatar_url()
    }
}

/// A whole login; `.await` it. Created by [`Client::login`]. `Debug` leaves the code out.
#[must_use = "requests do nothing until awaited"]
pub struct Login<'a> {
    client: &'a Client,
    code: &'a str,
    unionid: bool,
}

impl<'a> Login<'a> {
    pub(super) fn new(client: &'a Client, code: &'a str) -> Self {
        Self {
            client,
            code,
            unionid: false,
        }
    }

    /// Asks for the unionid; see [`GetMe::unionid`](super::GetMe::unionid).
    pub fn unionid(mut self, unionid: bool) -> Self {
        self.unionid = unionid;
        self
    }

    async fn send(self) -> Result<QqUser, Error> {
        let tokens = self.client.exchange_code(self.code).await?;

        // `/oauth2.0/me` is called even when the token response carried the openid: it checks
        // that the token was issued to this app and returns the unionid.
        let me = self
            .client
            .me(&tokens.access_token)
            .unionid(self.unionid)
            .await?;
        if let Some(openid) = &tokens.openid
            && openid != &me.openid
        {
            tracing::warn!(
                "token response and /oauth2.0/me disagree on the openid; using the one from /oauth2.0/me"
            );
        }

        let profile = self
            .client
            .get_user_info(&tokens.access_token, &me.openid)
            .await?;
        tracing::debug!(app_id = %self.client.app_id(), openid = %me.openid, "QQ login finished");

        Ok(QqUser {
            app_id: self.client.app_id().clone(),
            openid: me.openid,
            unionid: me.unionid,
            profile,
            tokens,
        })
    }
}

impl std::fmt::Debug for Login<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Login")
            .field("app_id", self.client.app_id())
            .field("code", &"<redacted>")
            .field("unionid", &self.unionid)
            .finish()
    }
}

impl<'a> IntoFuture for Login<'a> {
    type Output = Result<QqUser, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
