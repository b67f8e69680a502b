//! Lenient deserializers for numbers the platform sends as strings.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Deserializes a `u64` from a JSON number or a string of digits.
pub(crate) fn u64_from_string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<u64, D::Error> {
    deserializer.deserialize_any(U64Visitor)
}

/// As [`u64_from_string_or_number`], for an optional field (`null` gives `None`).
pub(crate) fn option_u64_from_string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<u64>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a number, a string of digits or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<u64>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<u64>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Option<u64>, D::Error> {
            u64_from_string_or_number(deserializer).map(Some)
        }
    }

    deserializer.deserialize_option(OptionVisitor)
}

struct U64Visitor;

impl Visitor<'_> for U64Visitor {
    type Value = u64;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a non-negative integer as a number or a string of digits")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<u64, E> {
        u64::try_from(value).map_err(|_| E::custom(format_args!("invalid value {value}: negative")))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<u64, E> {
        value
            .trim()
            .parse()
            .map_err(|_| E::custom(format_args!("invalid value {value:?}: expected digits")))
    }
}
