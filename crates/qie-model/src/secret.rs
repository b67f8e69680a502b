//! Secrets as types.
//!
//! [`AppSecret`], [`AccessToken`] and [`LegacyToken`] wrap credential strings. Their `Debug` prints
//! a redaction, they implement neither `Display` nor `Serialize`, and their `PartialEq` compares in
//! constant time (for equal lengths). The only way to read the value is [`expose`](AppSecret::expose),
//! so every place that puts a secret on the wire is easy to find.
//!
//! [`GatewayToken`] is the `token` field of Identify and Resume: it serializes as the wire needs
//! (`QQBot {access_token}`) but still redacts in `Debug`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::id::AppId;

/// Compares two byte strings in time that depends only on their lengths.
///
/// Returns `false` at once when the lengths differ: the length of a secret is not treated as
/// secret. Use it for any comparison of secret material (tokens, signatures, plain tokens).
pub fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    if left.len() != right.len() {
        return false;
    }

    let difference = left
        .iter()
        .zip(right)
        .fold(0u8, |accumulator, (l, r)| accumulator | (l ^ r));

    std::hint::black_box(difference) == 0
}

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(Box<str>);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into().into_boxed_str())
            }

            /// Returns the secret value. Call it only where the value goes on the wire.
            pub fn expose(&self) -> &str {
                &self.0
            }

            /// Returns whether the value is empty (an empty secret is always invalid).
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
            }
        }

        impl Eq for $name {}

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::new)
            }
        }
    };
}

secret_type! {
    /// The bot's AppSecret (client secret): exchanged for an access token and used as the seed
    /// of the webhook Ed25519 key.
    AppSecret
}

secret_type! {
    /// An access token from `getAppAccessToken`, sent as `Authorization: QQBot {token}`.
    ///
    /// Deserializes from a JSON string, so it can be the `access_token` field of the token
    /// response.
    AccessToken
}

secret_type! {
    /// The legacy static bot token of the `Bot {app_id}.{token}` scheme. The platform has
    /// disabled this scheme for new bots; it exists so that such a header can be parsed.
    LegacyToken
}

/// The `token` field of Identify (op 2) and Resume (op 6).
///
/// Serializes as the wire form and redacts in `Debug`. Deserializing accepts the three forms seen
/// on the wire, so a server (the emulator) can tell them apart.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub enum GatewayToken {
    /// `QQBot {access_token}`: the documented form, and the one clients should send.
    QqBot(AccessToken),
    /// A bare access token without prefix (botgo sends its Resume this way).
    Bare(AccessToken),
    /// `Bot {app_id}.{token}`: the legacy static-token form.
    LegacyBot {
        /// AppID before the dot (empty when the value has no dot).
        app_id: AppId,
        /// Static token after the dot.
        token: LegacyToken,
    },
}

impl GatewayToken {
    /// Builds the documented `QQBot {access_token}` form.
    pub fn new(access_token: AccessToken) -> Self {
        Self::QqBot(access_token)
    }

    /// Returns the access token of the `QQBot` and bare forms.
    pub fn access_token(&self) -> Option<&AccessToken> {
        match self {
            Self::QqBot(token) | Self::Bare(token) => Some(token),
            Self::LegacyBot { .. } => None,
        }
    }

    /// Parses the wire form: `QQBot {token}`, `Bot {app_id}.{token}`, or a bare token.
    pub fn parse(value: &str) -> Self {
        if let Some(token) = value.strip_prefix("QQBot ") {
            return Self::QqBot(AccessToken::new(token));
        }

        if let Some(rest) = value.strip_prefix("Bot ") {
            let (app_id, token) = rest.split_once('.').unwrap_or(("", rest));
            return Self::LegacyBot {
                app_id: AppId::new(app_id),
                token: LegacyToken::new(token),
            };
        }

        Self::Bare(AccessToken::new(value))
    }

    /// Returns the wire form, secret included. Call it only to put the value on the wire.
    pub fn expose_wire_form(&self) -> String {
        match self {
            Self::QqBot(token) => format!("QQBot {}", token.expose()),
            Self::Bare(token) => token.expose().to_owned(),
            Self::LegacyBot { app_id, token } => format!("Bot {app_id}.{}", token.expose()),
        }
    }
}

impl fmt::Debug for GatewayToken {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::QqBot(_) => formatter.write_str("GatewayToken::QqBot(<redacted>)"),
            Self::Bare(_) => formatter.write_str("GatewayToken::Bare(<redacted>)"),
            Self::LegacyBot { app_id, .. } => write!(
                formatter,
                "GatewayToken::LegacyBot {{ app_id: {app_id}, token: <redacted> }}"
            ),
        }
    }
}

impl Serialize for GatewayToken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.expose_wire_form())
    }
}

impl<'de> Deserialize<'de> for GatewayToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TokenVisitor;

        impl Visitor<'_> for TokenVisitor {
            type Value = GatewayToken;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a gateway token string such as \"QQBot {access_token}\"")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<GatewayToken, E> {
                Ok(GatewayToken::parse(value))
            }
        }

        deserializer.deserialize_str(TokenVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_bytes() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn secrets_redact_in_debug() {
        let secret = AppSecret::new("s3cr3t-value");
        let token = AccessToken::new("t0ken-value");
        let legacy = LegacyToken::new("l3gacy-value");

        assert_eq!(format!("{secret:?}"), "AppSecret(<redacted>)");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert!(!format!("{legacy:#?}").contains("l3gacy-value"));
    }

    #[test]
    fn gateway_token_parses_every_form() {
        assert_eq!(
            GatewayToken::parse("QQBot abc"),
            GatewayToken::QqBot(AccessToken::new("abc"))
        );
        assert_eq!(
            GatewayToken::parse("abc"),
            GatewayToken::Bare(AccessToken::new("abc"))
        );
        let GatewayToken::LegacyBot { app_id, token } = GatewayToken::parse("Bot 102.xyz") else {
            panic!("expected the legacy form");
        };
        assert_eq!(app_id.as_str(), "102");
        assert_eq!(token.expose(), "xyz");
    }

    #[test]
    fn gateway_token_serializes_wire_form() {
        let token = GatewayToken::new(AccessToken::new("abc"));
        let json = serde_json::to_string(&token).unwrap();

        assert_eq!(json, "\"QQBot abc\"");
        assert!(!format!("{token:?}").contains("abc"));
    }
}
