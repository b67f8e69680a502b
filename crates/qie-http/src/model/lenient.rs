//! Deserializers for values the platform sends in more than one JSON type.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Deserializes an optional `u64` from a number, a string of digits, `null` or `""`.
pub(crate) fn option_u64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    deserializer.deserialize_any(OptionU64Visitor)
}

/// Deserializes a `bool` from a boolean, a number (non-zero is true) or `"true"`/`"1"`.
pub(crate) fn bool_like<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(BoolVisitor)
}

struct OptionU64Visitor;

impl Visitor<'_> for OptionU64Visitor {
    type Value = Option<u64>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a number, a string of digits or null")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<u64>, E> {
        Ok(Some(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<u64>, E> {
        u64::try_from(value)
            .map(Some)
            .map_err(|_| E::custom(format!("expected a non-negative number, got {value}")))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Option<u64>, E> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }

        trimmed
            .parse()
            .map(Some)
            .map_err(|_| E::custom(format!("expected a string of digits, got {value:?}")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }
}

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a boolean, 0/1 or \"true\"/\"false\"")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<bool, E> {
        Ok(value != 0)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<bool, E> {
        Ok(value != 0)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        Ok(matches!(value.trim(), "true" | "1"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "super::option_u64")]
        number: Option<u64>,
        #[serde(default, deserialize_with = "super::bool_like")]
        flag: bool,
    }

    #[test]
    fn accepts_every_form() {
        let cases = [
            (r#"{"number":5,"flag":true}"#, Some(5), true),
            (r#"{"number":"7","flag":1}"#, Some(7), true),
            (r#"{"number":"","flag":"false"}"#, None, false),
            (r#"{"number":null,"flag":0}"#, None, false),
            ("{}", None, false),
        ];

        for (json, number, flag) in cases {
            let probe: Probe = serde_json::from_str(json).unwrap();
            assert_eq!(probe.number, number, "{json}");
            assert_eq!(probe.flag, flag, "{json}");
        }
    }
}
