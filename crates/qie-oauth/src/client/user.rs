//! OpenAPI user calls: `get_user_info`, `get_simple_userinfo`, `get_vip_info` and any other
//! OpenAPI by path.
//!
//! Every OpenAPI takes the user's `access_token`, the app's appid as `oauth_consumer_key`, and
//! the user's `openid`. The `ret` member, not the HTTP status, marks success or failure.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use url::Url;

use super::Client;
use crate::error::Error;
use crate::id::OpenId;
use crate::model::{UserInfo, VipInfo};
use crate::secret::AccessToken;

/// Path of `get_user_info` (website host).
pub const GET_USER_INFO_PATH: &str = "/user/get_user_info";
/// Path of `get_simple_userinfo` (mobile host).
pub const GET_SIMPLE_USERINFO_PATH: &str = "/user/get_simple_userinfo";
/// Path of `get_vip_info`.
pub const GET_VIP_INFO_PATH: &str = "/user/get_vip_info";

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The user part of the three common OpenAPI parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserCredentials<'a> {
    pub(crate) access_token: &'a AccessToken,
    pub(crate) openid: &'a OpenId,
}

impl Client {
    async fn call_openapi<T: DeserializeOwned>(
        &self,
        base: &Url,
        path: &str,
        user: UserCredentials<'_>,
        extra: &[(String, String)],
    ) -> Result<T, Error> {
        let inner = &self.inner;
        let mut params = vec![
            ("access_token", user.access_token.expose()),
            ("oauth_consumer_key", inner.app_id.as_str()),
            ("openid", user.openid.as_str()),
        ];
        params.extend(
            extra
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );

        self.get_parsed(base, path, &params).await
    }
}

/// Profile lookup; `.await` it. Created by [`Client::get_user_info`] and
/// [`Client::get_simple_userinfo`].
#[derive(Debug)]
#[must_use = "requests do nothing until awaited"]
pub struct GetUserInfo<'a> {
    client: &'a Client,
    user: UserCredentials<'a>,
    mobile: bool,
}

impl<'a> GetUserInfo<'a> {
    pub(super) fn new(client: &'a Client, user: UserCredentials<'a>, mobile: bool) -> Self {
        Self {
            client,
            user,
            mobile,
        }
    }

    async fn send(self) -> Result<UserInfo, Error> {
        let inner = &self.client.inner;
        if self.mobile {
            self.client
                .call_openapi(
                    &inner.mobile_base_url,
                    GET_SIMPLE_USERINFO_PATH,
                    self.user,
                    &[],
                )
                .await
        } else {
            self.client
                .call_openapi(&inner.base_url, GET_USER_INFO_PATH, self.user, &[])
                .await
        }
    }
}

impl<'a> IntoFuture for GetUserInfo<'a> {
    type Output = Result<UserInfo, Error>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// VIP lookup; `.await` it. Created by [`Client::get_vip_info`].
#[derive(Debug)]
#[must_use = "requests do nothing until awaited"]
pub struct GetVipInfo<'a> {
    client: &'a Client,
    user: UserCredentials<'a>,
}

impl<'a> GetVipInfo<'a> {
    pub(super) fn new(client: &'a Client, user: UserCredentials<'a>) -> Self {
        Self { client, user }
    }
}

impl<'a> IntoFuture for GetVipInfo<'a> {
    type Output = Result<VipInfo, Error>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let base = &self.client.inner.base_url;
            self.client
                .call_openapi(base, GET_VIP_INFO_PATH, self.user, &[])
                .await
        })
    }
}

/// Any OpenAPI call by path; `.await` it for the members of a successful response (without `ret`
/// and `msg`). Created by [`Client::openapi`].
#[derive(Debug)]
#[must_use = "requests do nothing until awaited"]
pub struct OpenApiCall<'a> {
    client: &'a Client,
    user: UserCredentials<'a>,
    path: &'a str,
    params: Vec<(String, String)>,
}

impl<'a> OpenApiCall<'a> {
    pub(super) fn new(client: &'a Client, user: UserCredentials<'a>, path: &'a str) -> Self {
        Self {
            client,
            user,
            path,
            params: Vec::new(),
        }
    }

    /// Adds a parameter of the API itself, such as `albumid` of `list_photo`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }
}

impl<'a> IntoFuture for OpenApiCall<'a> {
    type Output = Result<Map<String, Value>, Error>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let base = &self.client.inner.base_url;
            self.client
                .call_openapi(base, self.path, self.user, &self.params)
                .await
        })
    }
}
