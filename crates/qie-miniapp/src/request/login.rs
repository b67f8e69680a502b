//! `GET /sns/jscode2session`: exchange a login code for the user's session.

use std::future::IntoFuture;

use serde::Deserialize;

use super::ResponseFuture;
use crate::client::{Call, Client, Endpoint};
use crate::error::{Error, ErrorKind};
use crate::id::{OpenId, UnionId};
use crate::secret::SessionKey;

/// A user's session from `jscode2session`.
///
/// `Debug` redacts the session_key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Session {
    /// The user's openid in this mini-program.
    pub openid: OpenId,
    /// The key of the user's open data. Never send it to the client.
    pub session_key: SessionKey,
    /// The unionid, present when the mini-program is bound to a QQ互联 developer account.
    #[serde(default)]
    pub unionid: Option<UnionId>,
}

/// The request of [`Client::code2session`]; await it.
#[must_use = "requests do nothing until awaited"]
pub struct Code2Session<'a> {
    client: &'a Client,
    js_code: String,
}

impl<'a> Code2Session<'a> {
    pub(crate) fn new(client: &'a Client, js_code: String) -> Self {
        Self { client, js_code }
    }
}

impl<'a> IntoFuture for Code2Session<'a> {
    type Output = Result<Session, Error>;
    type IntoFuture = ResponseFuture<'a, Session>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let js_code = self.js_code.trim();
            if js_code.is_empty() {
                return Err(Error::invalid_input(
                    "js_code is empty; pass the code from qq.login() on the client",
                ));
            }

            let inner = self.client.inner();
            let call = Call::new(Endpoint::Code2Session)
                .query("appid", inner.appid.as_str())
                .query("secret", inner.secret.expose())
                .query("js_code", js_code)
                .query("grant_type", "authorization_code");
            let mut session: Session = inner.send(&call).await?.decode()?;
            if session.openid.as_str().is_empty() || session.session_key.is_empty() {
                return Err(Error::new(ErrorKind::Decode {
                    endpoint: Endpoint::Code2Session.name(),
                    detail: "openid or session_key is empty".to_owned(),
                }));
            }
            // An empty unionid means none.
            session.unionid = session.unionid.filter(|id| !id.as_str().is_empty());
            tracing::debug!(openid = %session.openid, "code2session succeeded");

            Ok(session)
        })
    }
}
