//! A string that stores short values inline.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Values up to this many bytes are stored without a heap allocation. 38 bytes hold every
/// guild, channel and user id, every openid and every RFC 3339 timestamp the platform sends.
pub const INLINE_CAPACITY: usize = 38;

/// An immutable string that keeps up to [`INLINE_CAPACITY`] bytes inline and longer values on
/// the heap.
///
/// Parsing an event creates dozens of short strings (ids, openids, timestamps, names); storing
/// them inline removes most of the allocations of a frame parse. It dereferences to `str`.
#[derive(Clone)]
pub struct SmallString(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is the UTF-8 text; the rest is padding.
    Inline {
        len: u8,
        bytes: [u8; INLINE_CAPACITY],
    },
    Heap(Box<str>),
}

impl SmallString {
    /// Copies a string.
    pub fn new(value: &str) -> Self {
        let Ok(len) = u8::try_from(value.len()) else {
            return Self(Repr::Heap(value.into()));
        };
        if value.len() > INLINE_CAPACITY {
            return Self(Repr::Heap(value.into()));
        }

        let mut bytes = [0; INLINE_CAPACITY];
        bytes[..value.len()].copy_from_slice(value.as_bytes());

        Self(Repr::Inline { len, bytes })
    }

    /// Builds a value from a window of input whose first `len` bytes are a whole UTF-8 string.
    ///
    /// Copying a full window instead of exactly `len` bytes lets the copy run as two wide moves,
    /// which is what makes short strings cheap on the parse path.
    pub(crate) fn from_window(window: [u8; INLINE_CAPACITY], len: usize) -> Self {
        match u8::try_from(len) {
            Ok(len) if usize::from(len) <= INLINE_CAPACITY => {
                Self(Repr::Inline { len, bytes: window })
            }
            _ => Self::default(),
        }
    }

    /// Returns the text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                // The constructors only store whole UTF-8 strings, so this never falls back.
                let text = bytes.get(..usize::from(*len)).unwrap_or_default();
                std::str::from_utf8(text).unwrap_or_default()
            }
            Repr::Heap(heap) => heap,
        }
    }
}

impl Default for SmallString {
    fn default() -> Self {
        Self(Repr::Inline {
            len: 0,
            bytes: [0; INLINE_CAPACITY],
        })
    }
}

impl Deref for SmallString {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SmallString {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SmallString {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for SmallString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for SmallString {
    fn from(value: String) -> Self {
        if value.len() <= INLINE_CAPACITY {
            return Self::new(&value);
        }

        Self(Repr::Heap(value.into_boxed_str()))
    }
}

impl From<SmallString> for String {
    fn from(value: SmallString) -> Self {
        match value.0 {
            Repr::Inline { .. } => value.as_str().to_owned(),
            Repr::Heap(heap) => heap.into_string(),
        }
    }
}

impl PartialEq for SmallString {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallString {}

impl PartialEq<str> for SmallString {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SmallString {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for SmallString {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SmallString {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SmallString {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for SmallString {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), formatter)
    }
}

impl fmt::Display for SmallString {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl Serialize for SmallString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SmallString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SmallStringVisitor;

        impl Visitor<'_> for SmallStringVisitor {
            type Value = SmallString;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<SmallString, E> {
                Ok(SmallString::new(value))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<SmallString, E> {
                Ok(SmallString::from(value))
            }
        }

        deserializer.deserialize_str(SmallStringVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::SmallString;

    #[test]
    fn short_and_long_values_round_trip() {
        let short = SmallString::from("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4");
        let long = SmallString::from("ROBOT1.0_Gp7kExampl3GroupMsgId0002IjKlMnOpQrStUvWxYz.AbCd!");

        assert_eq!(short, "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4");
        assert_eq!(long.len(), 58);
        assert_eq!(String::from(long.clone()), long.as_str());
        assert_eq!(SmallString::from(String::from("x")), SmallString::new("x"));
        assert_eq!(SmallString::default(), "");
    }

    #[test]
    fn inline_form_costs_no_extra_space() {
        assert_eq!(size_of::<SmallString>(), 40);
    }

    #[test]
    fn serde_uses_plain_strings() {
        let value: SmallString = serde_json::from_str(r#""a\"b""#).unwrap();

        assert_eq!(value, "a\"b");
        assert_eq!(serde_json::to_string(&value).unwrap(), r#""a\"b""#);
    }
}
