//! Secrets as types.
//!
//! [`AppKey`], [`AccessToken`] and [`RefreshToken`] are [`Secret`]s: their `Debug` prints a
//! redaction, they implement neither `Display` nor `Serialize`, and their `PartialEq` compares in
//! constant time. Read the value with [`Secret::expose`], only where it goes on the wire.
//!
//! [`StateKey`] is the HMAC-SHA256 key that signs the state cookie of a login.

use std::fmt;
use std::marker::PhantomData;

pub use qie_model::secret::constant_time_eq;
use serde::de::{Deserialize, Deserializer};

use crate::error::{Error, ErrorKind};

/// Kind marker of a [`Secret`], so an appkey cannot be passed where a token is expected.
pub trait SecretKind {
    /// Name printed by `Debug`, such as `AppKey`.
    const NAME: &'static str;
}

/// A secret string of kind `K`.
pub struct Secret<K> {
    value: Box<str>,
    kind: PhantomData<fn() -> K>,
}

impl<K: SecretKind> Secret<K> {
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

    /// Returns whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl<K> Clone for Secret<K> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            kind: PhantomData,
        }
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

impl<'de, K: SecretKind> Deserialize<'de> for Secret<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// Kind of [`AppKey`].
#[derive(Debug)]
pub enum AppKeyKind {}

impl SecretKind for AppKeyKind {
    const NAME: &'static str = "AppKey";
}

/// Kind of [`AccessToken`].
#[derive(Debug)]
pub enum AccessTokenKind {}

impl SecretKind for AccessTokenKind {
    const NAME: &'static str = "AccessToken";
}

/// Kind of [`RefreshToken`].
#[derive(Debug)]
pub enum RefreshTokenKind {}

impl SecretKind for RefreshTokenKind {
    const NAME: &'static str = "RefreshToken";
}

/// The appkey of a QQ Connect app, sent as `client_secret` to the token endpoint.
pub type AppKey = Secret<AppKeyKind>;

/// A user access token from `/oauth2.0/token`, sent as `access_token` to `/oauth2.0/me` and to
/// every OpenAPI call.
pub type AccessToken = Secret<AccessTokenKind>;

/// A refresh token from `/oauth2.0/token`.
///
/// The platform accepts each refresh token once: a successful refresh returns a new one that
/// replaces it, and the old one then fails with 100021.
pub type RefreshToken = Secret<RefreshTokenKind>;

/// Minimum length of a [`StateKey`], in bytes.
pub const STATE_KEY_MIN_LEN: usize = 32;

/// The HMAC-SHA256 key that signs state cookies.
///
/// Keep one key per deployment, shared by every server instance that may receive a callback, so a
/// login started on one instance can finish on another. A key generated at start-up works for a
/// single process; logins in flight during a restart then fail with a bad-signature error.
#[derive(Clone)]
pub struct StateKey(Box<[u8]>);

impl StateKey {
    /// Generates a random 32-byte key from the operating system's random source.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; STATE_KEY_MIN_LEN];
        fill_random(&mut bytes)?;

        Ok(Self(Box::new(bytes)))
    }

    /// Uses `bytes` as the key.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`] when the key is shorter than [`STATE_KEY_MIN_LEN`] bytes.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Self, Error> {
        let bytes = bytes.into();
        if bytes.len() < STATE_KEY_MIN_LEN {
            return Err(Error::new(ErrorKind::InvalidConfig {
                reason: format!(
                    "the state key has {} bytes; use at least {STATE_KEY_MIN_LEN} random bytes",
                    bytes.len()
                ),
            }));
        }

        Ok(Self(bytes.into_boxed_slice()))
    }

    pub(crate) fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for StateKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("StateKey(<redacted>)")
    }
}

/// Fills `buffer` from the operating system's random source.
pub(crate) fn fill_random(buffer: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buffer).map_err(|source| {
        Error::with_source(
            ErrorKind::Random,
            std::io::Error::other(format!(
                "the operating system's random source failed: {source}"
            )),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_every_secret() {
        let key = AppKey::new("appkey-value-1234");
        let access = AccessToken::new("ACCESSTOKENVALUE");
        let refresh = RefreshToken::new("REFRESHTOKENVALUE");
        let state_key = StateKey::from_bytes(b"k".repeat(32)).unwrap();

        let text = format!("{key:?} {access:?} {refresh:?} {state_key:?}");

        assert!(!text.contains("appkey-value-1234"));
        assert!(!text.contains("ACCESSTOKENVALUE"));
        assert!(!text.contains("REFRESHTOKENVALUE"));
        assert!(!text.contains("kkkk"));
        assert!(text.contains("AppKey(<redacted>)"));
        assert!(text.contains("StateKey(<redacted>)"));
    }

    #[test]
    fn short_state_key_is_rejected() {
        let error = StateKey::from_bytes(vec![7u8; 31]).unwrap_err();

        assert!(matches!(error.kind(), ErrorKind::InvalidConfig { .. }));
        assert!(error.to_string().contains("31 bytes"));
    }

    #[test]
    fn generated_keys_differ() {
        let first = StateKey::generate().unwrap();
        let second = StateKey::generate().unwrap();

        assert_eq!(first.expose().len(), STATE_KEY_MIN_LEN);
        assert_ne!(first.expose(), second.expose());
    }

    #[test]
    fn constant_time_eq_compares_content() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert_eq!(AccessToken::new("x"), AccessToken::new("x"));
        assert_ne!(AccessToken::new("x"), AccessToken::new("y"));
    }
}
