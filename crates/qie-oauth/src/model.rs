//! Response models of the OAuth endpoints and the OpenAPI user calls.
//!
//! Every model accepts numbers as numbers or strings and treats empty strings as absent, because
//! the platform mixes both (`expires_in` is a string in JSON and a bare number in form-encoded
//! text; `ret` is a number while the VIP flags are `"0"`/`"1"` strings).

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::id::{OpenId, UnionId};
use crate::response::lenient;
use crate::secret::{AccessToken, RefreshToken};

/// Tokens from `/oauth2.0/token` (code grant or refresh grant).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    /// The user access token.
    pub access_token: AccessToken,
    /// Lifetime of the access token, counted from the response.
    #[serde(deserialize_with = "lenient::seconds")]
    pub expires_in: Duration,
    /// The refresh token. It is single use: store the new one after every refresh.
    pub refresh_token: RefreshToken,
    /// The user's openid, present when the request had `need_openid=1`.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub openid: Option<OpenId>,
}

/// The response of `/oauth2.0/me`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Me {
    /// The appid the access token was issued to.
    #[serde(deserialize_with = "lenient::string")]
    pub client_id: String,
    /// The user's openid for that app.
    pub openid: OpenId,
    /// The user's unionid, present when `unionid=1` was requested and the developer account has
    /// UnionID enabled.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub unionid: Option<UnionId>,
}

/// Gender of a QQ user as `get_user_info` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Gender {
    /// `男`. The platform also reports it when the gender is unknown.
    Male,
    /// `女`.
    Female,
    /// Any other value, kept as sent (an empty string when absent).
    Unknown(String),
}

impl Gender {
    /// Returns the value as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
            Self::Unknown(raw) => raw,
        }
    }
}

impl<'de> Deserialize<'de> for Gender {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = lenient::string(deserializer)?;

        Ok(match raw.as_str() {
            "男" => Self::Male,
            "女" => Self::Female,
            _ => Self::Unknown(raw),
        })
    }
}

impl Default for Gender {
    fn default() -> Self {
        Self::Unknown(String::new())
    }
}

/// A user profile from `/user/get_user_info` (and `get_simple_userinfo`, which has the same
/// members).
///
/// The platform marks some members as placeholders that carry no real data. There is no e-mail
/// and no phone number, and the nickname is not unique: identify users by unionid or by
/// (appid, openid).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// 1 when the platform returned partial data that should not be cached.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_lost: bool,
    /// The Qzone nickname.
    #[serde(default, deserialize_with = "lenient::string")]
    pub nickname: String,
    /// Qzone avatar, 30×30 px.
    #[serde(default, deserialize_with = "lenient::string")]
    pub figureurl: String,
    /// Qzone avatar, 50×50 px.
    #[serde(default, deserialize_with = "lenient::string")]
    pub figureurl_1: String,
    /// Qzone avatar, 100×100 px.
    #[serde(default, deserialize_with = "lenient::string")]
    pub figureurl_2: String,
    /// QQ avatar, 40×40 px; always present.
    #[serde(default, deserialize_with = "lenient::string")]
    pub figureurl_qq_1: String,
    /// QQ avatar, 100×100 px; may be empty.
    #[serde(default, deserialize_with = "lenient::string")]
    pub figureurl_qq_2: String,
    /// Gender, `男` when unknown.
    #[serde(default)]
    pub gender: Gender,
    /// Numeric gender; the platform does not document the mapping and sends 2 by default.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub gender_type: i64,
    /// Province, may be empty.
    #[serde(default, deserialize_with = "lenient::string")]
    pub province: String,
    /// City, may be empty.
    #[serde(default, deserialize_with = "lenient::string")]
    pub city: String,
    /// Birth year such as `1990`, may be empty.
    #[serde(default, deserialize_with = "lenient::string")]
    pub year: String,
    /// Constellation, may be empty.
    #[serde(default, deserialize_with = "lenient::string")]
    pub constellation: String,
    /// Qzone yellow-diamond member.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_yellow_vip: bool,
    /// Yellow-diamond member (older name of the same flag).
    #[serde(default, deserialize_with = "lenient::flag")]
    pub vip: bool,
    /// Yellow-diamond level.
    #[serde(default, deserialize_with = "lenient::level")]
    pub yellow_vip_level: u32,
    /// Level (the same value as `yellow_vip_level` in samples).
    #[serde(default, deserialize_with = "lenient::level")]
    pub level: u32,
    /// Annual yellow-diamond member.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_yellow_year_vip: bool,
    /// Every other member, as sent (for example `figureurl_qq` and `figureurl_type` of newer
    /// responses).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UserInfo {
    /// Returns the best avatar URL: the 100 px QQ avatar, else the 40 px QQ avatar, else the
    /// 100 px Qzone avatar. `None` when all are empty.
    pub fn avatar_url(&self) -> Option<&str> {
        [
            &self.figureurl_qq_2,
            &self.figureurl_qq_1,
            &self.figureurl_2,
        ]
        .into_iter()
        .find(|url| !url.is_empty())
        .map(String::as_str)
    }
}

/// QQ VIP membership from `/user/get_vip_info`.
///
/// NOTE: the platform lists this call without a member table for QQ Connect; the three members
/// here are the ones its older API list names. Every other member lands in `extra`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct VipInfo {
    /// QQ VIP member.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_qq_vip: bool,
    /// QQ VIP level.
    #[serde(default, deserialize_with = "lenient::level")]
    pub qq_vip_level: u32,
    /// Annual QQ VIP member.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_qq_year_vip: bool,
    /// Every other member, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
