//! The Ed25519 key derived from a bot's AppSecret, and the signatures made with it.
//!
//! The platform repeats the secret's UTF-8 bytes until there are at least 32 of them. The first 32
//! bytes are the Ed25519 seed (RFC 8032 PureEdDSA, no context), so a secret longer than 32 bytes
//! is truncated. The public key is the one of that seed.
//! Events are signed over `X-Signature-Timestamp` followed by the raw body bytes, and the answer
//! to a callback validation over `event_ts` followed by `plain_token`. Signatures travel as hex.

use std::fmt;

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use qie_model::secret::AppSecret;
use qie_model::webhook::{ValidationRequest, ValidationResponse};
use zeroize::Zeroize as _;

/// Length of an Ed25519 seed and of a public key, in bytes.
const KEY_LENGTH: usize = 32;

/// Length of an Ed25519 signature, in bytes.
pub(crate) const SIGNATURE_LENGTH: usize = 64;

/// A bot's webhook signing key, derived from its AppSecret.
///
/// It signs (validation responses, and requests in tests and emulators) and verifies. `Debug`
/// prints only the public key.
///
/// # Examples
///
/// The docs' worked example of the validation handshake:
///
/// ```
/// use qie_model::secret::AppSecret;
/// use qie_model::webhook::ValidationRequest;
/// use qie_webhook::WebhookKey;
///
/// let key = WebhookKey::from_secret(&AppSecret::new("DG5g3B4j9X2KOErG")).expect("non-empty secret");
/// let answer = key.sign_validation(&ValidationRequest::new("Arq0D5A61EgUu4OxUvOp", "1725442341"));
///
/// assert_eq!(answer.plain_token, "Arq0D5A61EgUu4OxUvOp");
/// assert!(answer.signature.starts_with("87befc99c42c651b"));
/// ```
#[derive(Clone)]
pub struct WebhookKey {
    signing: SigningKey,
    verifying: VerifyingKey,
}

impl WebhookKey {
    /// Derives the key from an AppSecret.
    ///
    /// Returns `None` when the secret is empty: no seed can be built from it.
    pub fn from_secret(secret: &AppSecret) -> Option<Self> {
        let secret = secret.expose().as_bytes();
        if secret.is_empty() {
            return None;
        }

        let mut seed = [0u8; KEY_LENGTH];
        for (byte, source) in seed.iter_mut().zip(secret.iter().cycle()) {
            *byte = *source;
        }
        let signing = SigningKey::from_bytes(&seed);
        seed.zeroize();

        Some(Self {
            verifying: signing.verifying_key(),
            signing,
        })
    }

    /// Returns the 32-byte public key.
    pub fn public_key(&self) -> [u8; KEY_LENGTH] {
        self.verifying.to_bytes()
    }

    /// Returns the public key as lowercase hex.
    pub fn public_key_hex(&self) -> String {
        encode_hex(&self.public_key())
    }

    /// Signs a request: returns the lowercase hex `X-Signature-Ed25519` value for this
    /// `X-Signature-Timestamp` and these exact body bytes.
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        let message = [timestamp.as_bytes(), body].concat();

        encode_hex(&self.signing.sign(&message).to_bytes())
    }

    /// Builds the response to a callback validation: `plain_token` echoed and the signature of
    /// `event_ts` followed by `plain_token`.
    ///
    /// This signs whatever it is given. The receiver calls it only after the checks described in
    /// [`crate::validation`], because a signature over an arbitrary `event_ts + plain_token` is a
    /// valid event signature.
    pub fn sign_validation(&self, request: &ValidationRequest) -> ValidationResponse {
        let signature = self.signing.sign(&request.message_to_sign());

        ValidationResponse::new(
            request.plain_token.clone(),
            encode_hex(&signature.to_bytes()),
        )
    }

    /// Verifies a request signature over `timestamp` followed by `body`.
    ///
    /// `signature_hex` is the `X-Signature-Ed25519` value: 128 hex digits of either case.
    ///
    /// # Errors
    ///
    /// Returns a [`SignatureError`] when the value is not 64 bytes of hex, when the top three
    /// bits of its last byte are set (a non-canonical S, rejected before any curve arithmetic),
    /// or when the signature does not verify.
    pub fn verify(
        &self,
        timestamp: &str,
        body: &[u8],
        signature_hex: &str,
    ) -> Result<(), SignatureError> {
        let signature = decode_signature(signature_hex)?;
        let message = [timestamp.as_bytes(), body].concat();

        // `verify_strict` also rejects small-order points; its final comparison of R runs in
        // constant time.
        self.verifying
            .verify_strict(&message, &signature)
            .map_err(|_| SignatureError::new(SignatureErrorKind::Mismatch))
    }
}

impl fmt::Debug for WebhookKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("WebhookKey")
            .field("public_key", &self.public_key_hex())
            .finish_non_exhaustive()
    }
}

/// A signature that is malformed or does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureError {
    kind: SignatureErrorKind,
}

/// The reason a signature was rejected.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureErrorKind {
    /// The value is not 128 hex digits.
    Malformed,
    /// The top three bits of the last byte are set, so S is not canonical.
    NonCanonical,
    /// The signature does not verify for this key, timestamp and body.
    Mismatch,
}

impl SignatureError {
    pub(crate) const fn new(kind: SignatureErrorKind) -> Self {
        Self { kind }
    }

    /// Returns why the signature was rejected.
    pub const fn kind(&self) -> SignatureErrorKind {
        self.kind
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self.kind {
            SignatureErrorKind::Malformed => {
                "X-Signature-Ed25519 is not 128 hex digits (a 64-byte Ed25519 signature)"
            }
            SignatureErrorKind::NonCanonical => {
                "X-Signature-Ed25519 has a non-canonical S (top bits of the last byte set)"
            }
            SignatureErrorKind::Mismatch => {
                "X-Signature-Ed25519 does not verify over X-Signature-Timestamp and the body"
            }
        })
    }
}

impl std::error::Error for SignatureError {}

/// Decodes a hex signature and applies the canonical-S pre-check.
fn decode_signature(text: &str) -> Result<ed25519_dalek::Signature, SignatureError> {
    let bytes = decode_hex_array::<SIGNATURE_LENGTH>(text)
        .ok_or(SignatureError::new(SignatureErrorKind::Malformed))?;
    if bytes[SIGNATURE_LENGTH - 1] & 0xE0 != 0 {
        return Err(SignatureError::new(SignatureErrorKind::NonCanonical));
    }

    Ok(ed25519_dalek::Signature::from_bytes(&bytes))
}

/// Decodes exactly `N` bytes of hex (either case), or returns `None`.
///
/// Every digit is decoded before the validity of the whole value is checked, so the time taken
/// does not depend on where a bad digit sits.
pub(crate) fn decode_hex_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits = text.as_bytes();
    if digits.len() != N * 2 {
        return None;
    }

    let mut output = [0u8; N];
    let mut valid = true;
    for (byte, pair) in output.iter_mut().zip(digits.chunks_exact(2)) {
        let (high, high_valid) = decode_nibble(pair[0]);
        let (low, low_valid) = decode_nibble(pair[1]);
        *byte = (high << 4) | low;
        valid &= high_valid & low_valid;
    }

    valid.then_some(output)
}

fn decode_nibble(digit: u8) -> (u8, bool) {
    let decimal = digit.wrapping_sub(b'0');
    let letter = (digit | 0x20).wrapping_sub(b'a');
    let is_decimal = decimal < 10;
    let is_letter = letter < 6;
    let value = (decimal & 0u8.wrapping_sub(u8::from(is_decimal)))
        | (letter.wrapping_add(10) & 0u8.wrapping_sub(u8::from(is_letter)));

    (value, is_decimal | is_letter)
}

/// Encodes bytes as lowercase hex.
pub(crate) fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";

    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0F)]));
    }

    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_accepts_both_cases() {
        let bytes: [u8; 4] = [0x00, 0x9f, 0xa0, 0xff];

        assert_eq!(encode_hex(&bytes), "009fa0ff");
        assert_eq!(decode_hex_array::<4>("009fa0ff"), Some(bytes));
        assert_eq!(decode_hex_array::<4>("009FA0FF"), Some(bytes));
    }

    #[test]
    fn hex_rejects_bad_digits_and_lengths() {
        for text in [
            "009fa0f",
            "009fa0ffa",
            "009fa0fg",
            "0x9fa0ff",
            "009fa0f ",
            "009fa0\u{e9}",
        ] {
            assert_eq!(decode_hex_array::<4>(text), None, "{text:?}");
        }
        // Characters next to the digit and letter ranges.
        for digit in [b'/', b':', b'@', b'G', b'`', b'g'] {
            assert!(!decode_nibble(digit).1, "{}", char::from(digit));
        }
    }

    #[test]
    fn empty_secret_has_no_key() {
        assert!(WebhookKey::from_secret(&AppSecret::new("")).is_none());
    }

    #[test]
    fn debug_shows_public_key_only() {
        let key = WebhookKey::from_secret(&AppSecret::new("Zq7Lm2Xp9Rt4Wv8Kb3Nc")).unwrap();
        let debug = format!("{key:?}");

        assert!(debug.contains("a4c587b832dea0a96bf16a56f26dd4fabae61c2bdcecbea9b552de414bd54427"));
        assert!(!debug.contains("Zq7Lm2Xp9Rt4"));
        assert!(
            !debug.contains("5a71374c6d325870"),
            "seed hex leaked: {debug}"
        );
    }

    #[test]
    fn non_canonical_signature_is_rejected_before_verifying() {
        let key = WebhookKey::from_secret(&AppSecret::new("abc")).unwrap();
        let mut signature = key.sign("1", b"body");
        signature.replace_range(126..128, "e0");

        let error = key.verify("1", b"body", &signature).unwrap_err();

        assert_eq!(error.kind(), SignatureErrorKind::NonCanonical);
    }
}
