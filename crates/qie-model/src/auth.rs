//! Access-token request and response bodies (`POST /app/getAppAccessToken`).

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::ApiErrorBody;
use crate::id::AppId;
use crate::secret::{AccessToken, AppSecret};

/// The token request body: `{"appId": "…", "clientSecret": "…"}` (camelCase, AppID as a string).
///
/// Serializing writes the secret, because the wire needs it; `Debug` redacts it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct TokenRequest {
    /// The AppID.
    #[serde(rename = "appId")]
    pub app_id: AppId,
    /// The AppSecret.
    #[serde(rename = "clientSecret")]
    pub client_secret: AppSecret,
}

impl TokenRequest {
    /// Builds a token request.
    pub fn new(app_id: AppId, client_secret: AppSecret) -> Self {
        Self {
            app_id,
            client_secret,
        }
    }
}

impl Serialize for TokenRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut body = serializer.serialize_struct("TokenRequest", 2)?;
        body.serialize_field("appId", &self.app_id)?;
        body.serialize_field("clientSecret", self.client_secret.expose())?;
        body.end()
    }
}

/// A successful token response: `{"access_token": "…", "expires_in": "7200"}`.
///
/// `expires_in` is a string of digits on the wire although documented as a number; both parse.
/// Serializing writes the token (the emulator sends it) and `expires_in` as a string.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The access token.
    pub access_token: AccessToken,
    /// Remaining validity in seconds (at most 7200).
    #[serde(deserialize_with = "crate::serde_util::u64_from_string_or_number")]
    pub expires_in: u64,
}

impl TokenResponse {
    /// Builds a token response.
    pub fn new(access_token: AccessToken, expires_in: u64) -> Self {
        Self {
            access_token,
            expires_in,
        }
    }
}

impl Serialize for TokenResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut body = serializer.serialize_struct("TokenResponse", 2)?;
        body.serialize_field("access_token", self.access_token.expose())?;
        body.serialize_field("expires_in", &self.expires_in.to_string())?;
        body.end()
    }
}

/// The token endpoint's response body. It reports errors with HTTP 200 and a body without
/// `access_token`, so success is decided by the presence of that field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenReply {
    /// `access_token` was present.
    Token(TokenResponse),
    /// No `access_token`: the `{code, message}` error body.
    Error(ApiErrorBody),
}

impl TokenReply {
    /// Parses a token endpoint body.
    ///
    /// # Errors
    ///
    /// Returns the `serde_json` error when the body is not a JSON object, or when it has an
    /// `access_token` but an invalid `expires_in`.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let value: serde_json::Value = serde_json::from_slice(bytes)?;
        if value.get("access_token").is_some() {
            return serde_json::from_value(value).map(Self::Token);
        }

        serde_json::from_value(value).map(Self::Error)
    }
}
