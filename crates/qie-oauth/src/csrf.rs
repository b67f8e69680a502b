//! Login state: CSRF protection of the callback, bound to the browser by a signed cookie.
//!
//! When a login starts, [`StateGuard::issue`] makes a random `state` (256 bits) and a cookie value
//! that carries the same `state`, its expiry and the page to return to, signed with
//! HMAC-SHA256. The `state` goes to `/oauth2.0/authorize`; the cookie goes to the browser. On the
//! callback, [`StateGuard::verify`] accepts the request only if the cookie's signature verifies,
//! it has not expired, its `state` equals the `state` parameter (compared in constant time), and
//! that `state` was not used before. An attacker who makes a victim's browser open a callback URL
//! with the attacker's own code cannot supply the victim's cookie, so the login is rejected.
//!
//! # Examples
//!
//! ```
//! # fn main() -> Result<(), qie_oauth::Error> {
//! use qie_oauth::{StateError, StateGuard, StateKey};
//!
//! let guard = StateGuard::new(StateKey::generate()?);
//! let issued = guard.issue(Some("/account"))?;
//! // Send `issued.state` to the platform and `issued.cookie_value` to the browser.
//!
//! let verified = guard.verify(Some(&issued.cookie_value), Some(&issued.state))?;
//! assert_eq!(verified.return_to.as_deref(), Some("/account"));
//!
//! // The same state cannot finish a second login.
//! let replay = guard.verify(Some(&issued.cookie_value), Some(&issued.state)).unwrap_err();
//! assert_eq!(replay.state_error(), Some(StateError::Replayed));
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use sha2::Sha256;

use crate::error::{Error, ErrorKind, StateError};
use crate::secret::{StateKey, constant_time_eq, fill_random};

/// Default lifetime of a login state: 10 minutes, the lifetime of the platform's codes.
pub const DEFAULT_STATE_TTL: Duration = Duration::from_secs(600);

/// Default number of used states a [`MemoryReplayGuard`] remembers.
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Longest accepted return path, in bytes.
pub const MAX_RETURN_TO_LEN: usize = 512;

const COOKIE_VERSION: &str = "v1";
const MAC_CONTEXT: &[u8] = b"qie-oauth-state-v1\n";
const NONCE_BYTES: usize = 32;

type HmacSha256 = hmac::Hmac<Sha256>;

/// Remembers which states already finished a login, so none is accepted twice.
///
/// Implement it on a shared store (Redis, a database) when several server instances receive
/// callbacks; [`MemoryReplayGuard`] serves a single process.
pub trait ReplayGuard: Send + Sync + fmt::Debug {
    /// Records `state` as used until `expires_at`. Returns `false` when it was already recorded.
    fn mark_used(&self, state: &str, expires_at: SystemTime, now: SystemTime) -> bool;
}

/// An in-process [`ReplayGuard`].
///
/// Entries are dropped once their state has expired, since an expired state is rejected anyway.
/// Memory is bounded by a capacity: when it is full, the entry that expires first is evicted and
/// a warning is logged.
#[derive(Debug)]
pub struct MemoryReplayGuard {
    used: Mutex<HashMap<String, SystemTime>>,
    capacity: usize,
}

impl MemoryReplayGuard {
    /// Creates a guard holding at most `capacity` unexpired states.
    pub fn new(capacity: usize) -> Self {
        Self {
            used: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// Returns the number of remembered states.
    pub fn len(&self) -> usize {
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Returns whether no state is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryReplayGuard {
    fn default() -> Self {
        Self::new(DEFAULT_REPLAY_CAPACITY)
    }
}

impl ReplayGuard for MemoryReplayGuard {
    fn mark_used(&self, state: &str, expires_at: SystemTime, now: SystemTime) -> bool {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        if used.contains_key(state) {
            return false;
        }

        if used.len() >= self.capacity {
            used.retain(|_, expiry| *expiry > now);
        }
        if used.len() >= self.capacity {
            // NOTE: evicting lets that one state be replayed, which still needs the victim's
            // cookie and a code the platform has not consumed yet. Refusing every login instead
            // would let anyone lock all users out by starting many logins.
            if let Some(oldest) = used
                .iter()
                .min_by_key(|(_, expiry)| **expiry)
                .map(|(key, _)| key.clone())
            {
                used.remove(&oldest);
            }
            tracing::warn!(
                capacity = self.capacity,
                "login replay guard is full; evicted the state that expires first"
            );
        }
        used.insert(state.to_owned(), expires_at);

        true
    }
}

/// A fresh login state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IssuedState {
    /// The `state` parameter for `/oauth2.0/authorize` (43 URL-safe characters).
    pub state: String,
    /// The value of the state cookie to set in the browser.
    pub cookie_value: String,
    /// When the state stops being accepted.
    pub expires_at: SystemTime,
}

/// A login state that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedState {
    /// The local path to return to after the login, as given to [`StateGuard::issue`].
    pub return_to: Option<String>,
    /// When the login started.
    pub issued_at: SystemTime,
}

/// Issues and verifies login states. Cheap to clone; clones share the replay guard.
#[derive(Debug, Clone)]
pub struct StateGuard {
    key: StateKey,
    ttl: Duration,
    replay: Arc<dyn ReplayGuard>,
}

impl StateGuard {
    /// Creates a guard with the lifetime [`DEFAULT_STATE_TTL`] and a [`MemoryReplayGuard`].
    pub fn new(key: StateKey) -> Self {
        Self {
            key,
            ttl: DEFAULT_STATE_TTL,
            replay: Arc::new(MemoryReplayGuard::default()),
        }
    }

    /// Sets how long a login may take between [`issue`](Self::issue) and the callback.
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Returns the lifetime of a login state.
    pub fn state_ttl(&self) -> Duration {
        self.ttl
    }

    /// Uses another replay guard, for example one shared by several servers.
    #[must_use]
    pub fn replay_guard(mut self, replay: impl ReplayGuard + 'static) -> Self {
        self.replay = Arc::new(replay);
        self
    }

    /// Issues a state now. See [`issue_at`](Self::issue_at).
    pub fn issue(&self, return_to: Option<&str>) -> Result<IssuedState, Error> {
        self.issue_at(return_to, SystemTime::now())
    }

    /// Issues a state at time `now`.
    ///
    /// `return_to` is kept only if it is a local path (starts with a single `/`, has no
    /// backslash or control character, at most [`MAX_RETURN_TO_LEN`] bytes); anything else is
    /// dropped, so the callback never redirects to another site.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Random`] when the operating system's random source fails.
    pub fn issue_at(&self, return_to: Option<&str>, now: SystemTime) -> Result<IssuedState, Error> {
        let mut nonce = [0u8; NONCE_BYTES];
        fill_random(&mut nonce)?;
        let state = URL_SAFE_NO_PAD.encode(nonce);

        let return_to = return_to.and_then(local_path).unwrap_or_default();
        let issued = unix_seconds(now);
        let expires = issued.saturating_add(self.ttl.as_secs());
        let payload = format!("{state}\n{issued}\n{expires}\n{return_to}");
        let mac = self.sign(payload.as_bytes());
        let cookie_value = format!(
            "{COOKIE_VERSION}.{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(mac)
        );

        Ok(IssuedState {
            state,
            cookie_value,
            expires_at: UNIX_EPOCH + Duration::from_secs(expires),
        })
    }

    /// Verifies a callback now. See [`verify_at`](Self::verify_at).
    pub fn verify(
        &self,
        cookie_value: Option<&str>,
        state: Option<&str>,
    ) -> Result<VerifiedState, Error> {
        self.verify_at(cookie_value, state, SystemTime::now())
    }

    /// Verifies the state cookie and the callback's `state` parameter at time `now`, and marks
    /// the state as used.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::State`] with, in the order checked: [`StateError::MissingCookie`],
    /// [`StateError::MissingState`], [`StateError::Malformed`], [`StateError::BadSignature`],
    /// [`StateError::Expired`], [`StateError::Mismatch`], [`StateError::Replayed`].
    pub fn verify_at(
        &self,
        cookie_value: Option<&str>,
        state: Option<&str>,
        now: SystemTime,
    ) -> Result<VerifiedState, Error> {
        let reject = |error: StateError| {
            tracing::info!(reason = error.description(), "login state rejected");
            Err(Error::state(error))
        };

        let Some(cookie_value) = cookie_value.filter(|value| !value.is_empty()) else {
            return reject(StateError::MissingCookie);
        };
        let Some(state) = state.filter(|value| !value.is_empty()) else {
            return reject(StateError::MissingState);
        };

        let mut parts = cookie_value.split('.');
        let (Some(COOKIE_VERSION), Some(payload), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return reject(StateError::Malformed);
        };
        let (Ok(payload), Ok(mac)) = (URL_SAFE_NO_PAD.decode(payload), URL_SAFE_NO_PAD.decode(mac))
        else {
            return reject(StateError::Malformed);
        };
        if !self.verify_mac(&payload, &mac) {
            return reject(StateError::BadSignature);
        }

        let Some(fields) = Payload::parse(&payload) else {
            return reject(StateError::Malformed);
        };
        if unix_seconds(now) >= fields.expires {
            return reject(StateError::Expired);
        }
        if !constant_time_eq(fields.state.as_bytes(), state.as_bytes()) {
            return reject(StateError::Mismatch);
        }
        let expires_at = UNIX_EPOCH + Duration::from_secs(fields.expires);
        if !self.replay.mark_used(fields.state, expires_at, now) {
            return reject(StateError::Replayed);
        }

        Ok(VerifiedState {
            return_to: (!fields.return_to.is_empty()).then(|| fields.return_to.to_owned()),
            issued_at: UNIX_EPOCH + Duration::from_secs(fields.issued),
        })
    }

    fn mac(&self) -> HmacSha256 {
        // `new_from_slice` fails only for fixed-size keys; HMAC takes keys of any length.
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(self.key.expose())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(MAC_CONTEXT);
        mac
    }

    fn sign(&self, payload: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(payload);

        mac.finalize().into_bytes().to_vec()
    }

    fn verify_mac(&self, payload: &[u8], tag: &[u8]) -> bool {
        let mut mac = self.mac();
        mac.update(payload);

        mac.verify_slice(tag).is_ok()
    }
}

/// The signed fields of a state cookie.
struct Payload<'a> {
    state: &'a str,
    issued: u64,
    expires: u64,
    return_to: &'a str,
}

impl<'a> Payload<'a> {
    fn parse(bytes: &'a [u8]) -> Option<Self> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut fields = text.splitn(4, '\n');
        let state = fields.next().filter(|state| !state.is_empty())?;
        let issued = fields.next()?.parse().ok()?;
        let expires = fields.next()?.parse().ok()?;
        let return_to = fields.next()?;

        Some(Self {
            state,
            issued,
            expires,
            return_to,
        })
    }
}

/// Returns `path` if it is a path on this site, else `None`.
pub(crate) fn local_path(path: &str) -> Option<&str> {
    let is_local = path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= MAX_RETURN_TO_LEN
        && !path.contains('\\')
        && !path.chars().any(char::is_control);

    is_local.then_some(path)
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

impl From<StateError> for Error {
    fn from(error: StateError) -> Self {
        Error::state(error)
    }
}

impl From<StateError> for ErrorKind {
    fn from(error: StateError) -> Self {
        ErrorKind::State(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> StateGuard {
        StateGuard::new(StateKey::from_bytes(vec![42u8; 32]).unwrap())
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn return_to_accepts_only_local_paths() {
        assert_eq!(local_path("/account?tab=1"), Some("/account?tab=1"));
        assert_eq!(local_path("//evil.example/x"), None);
        assert_eq!(local_path("https://evil.example/"), None);
        assert_eq!(local_path("/\\evil.example"), None);
        assert_eq!(local_path("/a\nb"), None);
        assert_eq!(
            local_path(&format!("/{}", "a".repeat(MAX_RETURN_TO_LEN))),
            None
        );
    }

    #[test]
    fn foreign_return_to_is_dropped() {
        let guard = guard();
        let issued = guard
            .issue_at(Some("https://evil.example/"), at(1_000))
            .unwrap();
        let verified = guard
            .verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1_001))
            .unwrap();

        assert_eq!(verified.return_to, None);
        assert_eq!(verified.issued_at, at(1_000));
    }

    #[test]
    fn state_has_256_bits() {
        let issued = guard().issue_at(None, at(1)).unwrap();

        assert_eq!(issued.state.len(), 43);
        assert_eq!(issued.expires_at, at(601));
    }

    #[test]
    fn memory_guard_evicts_soonest_expiry_when_full() {
        let replay = MemoryReplayGuard::new(2);

        assert!(replay.mark_used("a", at(100), at(0)));
        assert!(replay.mark_used("b", at(200), at(0)));
        assert!(replay.mark_used("c", at(300), at(0)));
        assert_eq!(replay.len(), 2);
        assert!(replay.mark_used("a", at(100), at(0)), "a was evicted");
        assert!(!replay.mark_used("c", at(300), at(0)));
    }

    #[test]
    fn memory_guard_drops_expired_entries() {
        let replay = MemoryReplayGuard::new(2);

        assert!(replay.mark_used("a", at(100), at(0)));
        assert!(replay.mark_used("b", at(100), at(0)));
        assert!(replay.mark_used("c", at(300), at(150)));
        assert_eq!(replay.len(), 1);
    }
}
