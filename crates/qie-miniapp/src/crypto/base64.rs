//! Lenient base64 for values that travelled through URL or form decoding.

use std::borrow::Cow;

use base64::Engine as _;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::{Error, ErrorKind};

/// Standard alphabet, padding optional.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Undoes the damage an URL or form decoder does to standard base64: a `+` becomes a space.
///
/// Line breaks and tabs (from MIME-style wrapping or copy and paste) are removed. Spaces become
/// `+`, including leading ones (a value may start with `+`), except spaces after the final `=`
/// padding, which cannot have been `+`.
pub(crate) fn repair(text: &str) -> Cow<'_, str> {
    if !text.contains([' ', '\r', '\n', '\t']) {
        return Cow::Borrowed(text);
    }

    let mut repaired: String = text
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n' | '\t'))
        .collect();
    let without_trailing = repaired.trim_end_matches(' ');
    if without_trailing.ends_with('=') {
        repaired.truncate(without_trailing.len());
    }
    let repaired = repaired.replace(' ', "+");
    tracing::debug!("repaired base64 that had spaces or line breaks");

    Cow::Owned(repaired)
}

/// Decodes a base64 field after [`repair`].
pub(crate) fn decode(field: &'static str, text: &str) -> Result<Vec<u8>, Error> {
    ENGINE
        .decode(repair(text).as_bytes())
        .map_err(|source| Error::with_source(ErrorKind::InvalidBase64 { field }, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repair_restores_plus_signs() {
        assert_eq!(repair("ab+c/d=="), "ab+c/d==");
        assert_eq!(repair("ab c/d=="), "ab+c/d==");
        assert_eq!(repair(" ab\r\ncd\n"), "+abcd");
        assert_eq!(repair("ab cd= \n"), "ab+cd=");
        assert_eq!(repair("abcd "), "abcd+");
    }

    #[test]
    fn decode_accepts_missing_padding() {
        assert_eq!(decode("iv", "YWJj").unwrap(), b"abc");
        assert_eq!(decode("iv", "YWI").unwrap(), b"ab");
        assert_eq!(decode("iv", "YWI=").unwrap(), b"ab");
    }

    #[test]
    fn decode_names_the_field() {
        let error = decode("encryptedData", "not*base64").unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::InvalidBase64 {
                field: "encryptedData"
            }
        );
    }
}
