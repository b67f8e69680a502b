//! The rule that keeps the callback validation (op 13) from being a signing oracle.
//!
//! The response to a validation is `hex(Ed25519(event_ts + plain_token))`. An event signature is
//! `hex(Ed25519(X-Signature-Timestamp + body))`, made with the same key. A receiver that signs
//! any `plain_token` therefore hands out event signatures: with `event_ts = "1767240000"` and
//! `plain_token` = a forged event body, the returned signature is a valid
//! `X-Signature-Ed25519` for that body. Validation requests may arrive unsigned (the platform's
//! docs show none of the signature headers on them), so the receiver cannot rely on a signature
//! check alone.
//!
//! The receiver therefore signs only when
//!
//! - `event_ts` is 1 to [`MAX_EVENT_TS_LEN`] ASCII digits, and
//! - `plain_token` is 1 to [`MAX_PLAIN_TOKEN_LEN`] characters from `A–Z`, `a–z`, `0–9`, `-`
//!   and `_` (the platform sends 20 letters and digits).
//!
//! Under this rule every signed message consists of digits, letters, `-` and `_` only. Splitting
//! it at any point into a timestamp and a body leaves a body without `{`, `[` or `"`, which is
//! not a JSON object, so no answer can verify as the signature of an event, for this receiver
//! or for any other that parses the body as JSON. A request that breaks the rule is answered with
//! 400 and no signature.

/// Maximum length of an accepted `plain_token`, in bytes.
pub const MAX_PLAIN_TOKEN_LEN: usize = 64;

/// Maximum length of an accepted `event_ts`, in bytes: the digits of `u64::MAX`.
pub const MAX_EVENT_TS_LEN: usize = 20;

/// Returns whether `token` is a plain token that is safe to sign: 1 to 64 characters from
/// `A–Z`, `a–z`, `0–9`, `-` and `_`.
///
/// # Examples
///
/// ```
/// use qie_webhook::validation::is_plain_token;
///
/// assert!(is_plain_token("Arq0D5A61EgUu4OxUvOp"));
/// assert!(!is_plain_token(r#"{"op":0,"d":{},"t":"C2C_MESSAGE_CREATE"}"#));
/// assert!(!is_plain_token(""));
/// ```
pub fn is_plain_token(token: &str) -> bool {
    (1..=MAX_PLAIN_TOKEN_LEN).contains(&token.len())
        && token
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// Returns whether `timestamp` is 1 to 20 ASCII digits, the form of `event_ts` and of
/// `X-Signature-Timestamp`.
pub fn is_unix_timestamp(timestamp: &str) -> bool {
    (1..=MAX_EVENT_TS_LEN).contains(&timestamp.len())
        && timestamp.bytes().all(|byte| byte.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_token_accepts_platform_tokens() {
        for token in [
            "Arq0D5A61EgUu4OxUvOp",
            "Yk3PqR8vL2mN5tW9xA1c",
            "a",
            "ptok-short_secret",
        ] {
            assert!(is_plain_token(token), "{token:?}");
        }
        assert!(is_plain_token(&"x".repeat(MAX_PLAIN_TOKEN_LEN)));
    }

    #[test]
    fn plain_token_rejects_json_and_separators() {
        let rejected = [
            "",
            "{}",
            r#"{"op":0}"#,
            "[1]",
            "\"abc\"",
            "abc def",
            "abc\n",
            "a.b",
            "a:b",
            "令牌",
        ];
        for token in rejected {
            assert!(!is_plain_token(token), "{token:?}");
        }
        assert!(!is_plain_token(&"x".repeat(MAX_PLAIN_TOKEN_LEN + 1)));
    }

    #[test]
    fn unix_timestamp_is_digits_only() {
        assert!(is_unix_timestamp("1767240000"));
        assert!(is_unix_timestamp("18446744073709551615"));
        for timestamp in [
            "",
            "-1",
            "1.5",
            "1767240000{",
            " 1",
            "1e9",
            "123456789012345678901",
        ] {
            assert!(!is_unix_timestamp(timestamp), "{timestamp:?}");
        }
    }
}
