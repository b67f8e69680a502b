//! The rawData signature: `hex(sha1(rawData + session_key))`.

use std::fmt::Write as _;

use sha1::{Digest as _, Sha1};

use crate::error::{Error, ErrorKind};
use crate::secret::{SessionKey, constant_time_eq};

/// Computes the signature the client sends next to `rawData`: the lower-case hex SHA-1 of
/// `rawData` followed by the session_key's base64 text.
pub fn sign_raw_data(raw_data: &str, session_key: &SessionKey) -> String {
    let mut hasher = Sha1::new();
    hasher.update(raw_data.as_bytes());
    hasher.update(session_key.expose().as_bytes());

    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(40), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Checks a client's `signature` of `rawData`, comparing in constant time.
///
/// `raw_data` must be the exact string the client received (re-serialized JSON does not match).
/// Upper-case hex is accepted.
///
/// # Errors
///
/// [`ErrorKind::SignatureMismatch`] when the signature does not match.
///
/// # Examples
///
/// ```
/// use qie_miniapp::SessionKey;
/// use qie_miniapp::crypto::{sign_raw_data, verify_signature};
///
/// let key = SessionKey::new("bAuudJxFPiOOS9BLQLTYQA==");
/// let raw = r#"{"nickName":"Band"}"#;
/// let signature = sign_raw_data(raw, &key);
///
/// assert!(verify_signature(raw, &key, &signature).is_ok());
/// assert!(verify_signature(r#"{"nickName":"Bond"}"#, &key, &signature).is_err());
/// ```
pub fn verify_signature(
    raw_data: &str,
    session_key: &SessionKey,
    signature: &str,
) -> Result<(), Error> {
    let expected = sign_raw_data(raw_data, session_key);
    let received = signature.trim().to_ascii_lowercase();

    if constant_time_eq(expected.as_bytes(), received.as_bytes()) {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::SignatureMismatch))
    }
}
