//! Secrets as types.
//!
//! [`AppSecret`], [`AccessToken`] and [`SessionKey`] wrap credential strings. Their `Debug`
//! prints a redaction, they implement neither `Display` nor `Serialize`, and their `PartialEq`
//! compares in constant time. The only way to read a value is `expose()`, so every place that
//! puts a secret on the wire is easy to find.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer};
use subtle::ConstantTimeEq as _;

/// Compares two byte strings in time that depends only on their lengths.
///
/// Returns `false` at once when the lengths differ: the length of a secret is not treated as
/// secret.
pub fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && bool::from(left.ct_eq(right))
}

/// The kind of a [`Secret`]: only its name, which `Debug` prints.
pub trait SecretKind {
    /// The name `Debug` prints, for example `AppSecret`.
    const NAME: &'static str;
}

/// A secret string of kind `K`.
///
/// Use the aliases [`AppSecret`], [`AccessToken`] and [`SessionKey`]; the kind keeps one secret
/// from being passed where another belongs.
pub struct Secret<K> {
    value: Box<str>,
    kind: PhantomData<fn() -> K>,
}

impl<K> Secret<K> {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into().into_boxed_str(),
            kind: PhantomData,
        }
    }

    /// Returns the secret value. Call it only where the value goes on the wire.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Returns whether the value is empty (an empty secret is always invalid).
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl<K> Clone for Secret<K> {
    fn clone(&self) -> Self {
        Self::new(self.value.clone())
    }
}

impl<K: SecretKind> fmt::Debug for Secret<K> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}(<redacted>)", K::NAME)
    }
}

impl<K> PartialEq for Secret<K> {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.value.as_bytes(), other.value.as_bytes())
    }
}

impl<K> Eq for Secret<K> {}

impl<'de, K> Deserialize<'de> for Secret<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// The kinds of [`Secret`].
pub mod kind {
    use super::SecretKind;

    /// Kind of [`AppSecret`](super::AppSecret).
    #[derive(Debug)]
    pub enum AppSecretKind {}

    /// Kind of [`AccessToken`](super::AccessToken).
    #[derive(Debug)]
    pub enum AccessTokenKind {}

    /// Kind of [`SessionKey`](super::SessionKey).
    #[derive(Debug)]
    pub enum SessionKeyKind {}

    impl SecretKind for AppSecretKind {
        const NAME: &'static str = "AppSecret";
    }

    impl SecretKind for AccessTokenKind {
        const NAME: &'static str = "AccessToken";
    }

    impl SecretKind for SessionKeyKind {
        const NAME: &'static str = "SessionKey";
    }
}

/// The mini-program's AppSecret, sent to `jscode2session` and `getToken`.
pub type AppSecret = Secret<kind::AppSecretKind>;

/// An app access token from `getToken`, sent as the `access_token` query parameter of the
/// message, content-security and mini-code APIs.
pub type AccessToken = Secret<kind::AccessTokenKind>;

/// A user's `session_key` from `jscode2session`: base64 of the 16-byte AES key that protects
/// the user's open data.
///
/// Keep it on the server. The client rotates it on some `qq.login()` calls, after which data
/// encrypted under the old key no longer decrypts with the new one and vice versa.
pub type SessionKey = Secret<kind::SessionKeyKind>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_redact_in_debug() {
        let secret = AppSecret::new("app-secret-value");
        let token = AccessToken::new("access-token-value");
        let key = SessionKey::new("c2Vzc2lvbi1rZXktdmFsdWU=");

        assert_eq!(format!("{secret:?}"), "AppSecret(<redacted>)");
        assert_eq!(format!("{token:#?}"), "AccessToken(<redacted>)");
        assert!(!format!("{key:?}").contains("c2Vzc2lvbi"));
    }

    #[test]
    fn constant_time_eq_compares_bytes() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(constant_time_eq(b"", b""));
        assert_eq!(SessionKey::new("a"), SessionKey::new("a"));
        assert_ne!(SessionKey::new("a"), SessionKey::new("b"));
    }
}
