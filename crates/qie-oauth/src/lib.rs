// The README is the crate documentation; its examples and links use the `axum` feature.
#![cfg_attr(feature = "axum", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "axum"),
    doc = "QQ Connect (QQ互联) website login: client, response parser and login state. The guide is in README.md."
)]
#![warn(missing_docs)]

mod authorize;
mod client;
mod code;
pub mod csrf;
mod error;
mod id;
mod model;
pub mod response;
mod secret;

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "demo")]
pub mod demo;

pub use crate::authorize::{AUTHORIZE_PATH, AuthorizeUrl, Display, ResponseType};
pub use crate::client::paths::{
    GET_SIMPLE_USERINFO_PATH, GET_USER_INFO_PATH, GET_VIP_INFO_PATH, ME_PATH, TOKEN_PATH,
};
pub use crate::client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MOBILE_BASE_URL, DEFAULT_TIMEOUT,
    ExchangeCode, GetMe, GetUserInfo, GetVipInfo, Login, OpenApiCall, QqUser, Refresh,
    ResponseFormat,
};
pub use crate::code::{ApiRet, ConnectCode};
pub use crate::csrf::{IssuedState, MemoryReplayGuard, ReplayGuard, StateGuard, VerifiedState};
pub use crate::error::{Error, ErrorKind, StateError};
pub use crate::id::{AppId, OpenId, UnionId};
pub use crate::model::{Gender, Me, TokenSet, UserInfo, VipInfo};
pub use crate::secret::{
    AccessToken, AppKey, RefreshToken, STATE_KEY_MIN_LEN, StateKey, constant_time_eq,
};
