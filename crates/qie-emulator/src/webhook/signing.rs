//! The platform's Ed25519 signing of webhook requests, from the sending side.
//!
//! The key seed is the AppSecret's bytes repeated until 32 bytes are reached (a longer secret is
//! truncated). Requests are signed over `X-Signature-Timestamp` followed by the exact body
//! bytes. The bot responds to a validation with the signature of `event_ts` followed by
//! `plain_token`. Signatures travel as lowercase hex.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

/// A bot's webhook key, as the platform derives it.
#[derive(Clone)]
pub(crate) struct BotKey {
    signing: SigningKey,
}

impl std::fmt::Debug for BotKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("BotKey")
            .field("public_key", &self.public_key_hex())
            .finish_non_exhaustive()
    }
}

impl BotKey {
    /// Derives the key from an AppSecret; `None` for an empty secret.
    pub(crate) fn from_secret(secret: &str) -> Option<Self> {
        let bytes = secret.as_bytes();
        if bytes.is_empty() {
            return None;
        }

        let mut seed = [0u8; 32];
        for (byte, source) in seed.iter_mut().zip(bytes.iter().cycle()) {
            *byte = *source;
        }

        Some(Self {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// Returns the lowercase hex signature of `timestamp` followed by `body`.
    pub(crate) fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        let message = [timestamp.as_bytes(), body].concat();

        to_hex(&self.signing.sign(&message).to_bytes())
    }

    /// Returns whether `signature_hex` is a valid signature of `timestamp` followed by `body`.
    pub(crate) fn verifies(&self, timestamp: &str, body: &[u8], signature_hex: &str) -> bool {
        let Some(bytes) = from_hex_64(signature_hex) else {
            return false;
        };
        let message = [timestamp.as_bytes(), body].concat();
        let verifying: VerifyingKey = self.signing.verifying_key();

        verifying
            .verify_strict(&message, &Signature::from_bytes(&bytes))
            .is_ok()
    }

    pub(crate) fn public_key_hex(&self) -> String {
        to_hex(self.signing.verifying_key().as_bytes())
    }
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;

    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
            let _ = write!(text, "{byte:02x}");
            text
        })
}

fn from_hex_64(text: &str) -> Option<[u8; 64]> {
    if text.len() != 128 || !text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return None;
    }

    let mut bytes = [0u8; 64];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }

    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::BotKey;

    #[test]
    fn signing_matches_documented_vectors() {
        // The validation example of the platform's docs, and an invented dispatch vector.
        let docs = BotKey::from_secret("DG5g3B4j9X2KOErG").unwrap();
        assert_eq!(
            docs.sign("1725442341", b"Arq0D5A61EgUu4OxUvOp"),
            "87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706"
        );

        let short = BotKey::from_secret("abc").unwrap();
        assert_eq!(
            short.public_key_hex(),
            "204aaed5e86cd99a149c0d51d033261996cdbd67a2becb24dfaa43a4828181e8"
        );
        let signature = short.sign("1767240003", b"ptok-short-secret");
        assert_eq!(
            signature,
            "ceb589489393cabb834708be08d0a66c4a1928ab8ca3fc93ec684ecc055063533c29697efa56921a765c9a281fec9184fda8f0af40504f727d83221e2871dc07"
        );
        assert!(short.verifies("1767240003", b"ptok-short-secret", &signature));
        assert!(!short.verifies("1767240003", b"ptok-short-secreT", &signature));
        assert!(!short.verifies("1767240003", b"ptok-short-secret", &signature[2..]));
    }

    #[test]
    fn empty_secret_has_no_key() {
        assert!(BotKey::from_secret("").is_none());
    }

    #[test]
    fn debug_hides_the_secret() {
        let key = BotKey::from_secret("Zq7Lm2Xp9Rt4Wv8Kb3Nc").unwrap();

        assert!(!format!("{key:?}").contains("Zq7Lm2Xp9Rt4"));
    }
}
