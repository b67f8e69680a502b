//! Timestamps as the platform sends them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::text::SmallString;

/// A timestamp: RFC 3339 text with offset (`2026-01-01T12:00:00+08:00`) in message events, or
/// Unix seconds where the platform sends an integer.
///
/// Kept as sent, so serializing gives back the same JSON; [`unix_seconds`](Self::unix_seconds)
/// converts either form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Timestamp {
    /// RFC 3339 text (any string the platform sent).
    Text(SmallString),
    /// Unix seconds.
    Unix(i64),
}

impl Timestamp {
    /// Wraps RFC 3339 text.
    pub fn from_rfc3339(text: impl Into<String>) -> Self {
        Self::Text(SmallString::from(text.into()))
    }

    /// Returns the time as Unix seconds.
    ///
    /// Returns `None` when the text is not `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` or a
    /// decimal integer.
    pub fn unix_seconds(&self) -> Option<i64> {
        match self {
            Self::Unix(seconds) => Some(*seconds),
            Self::Text(text) => text.parse().ok().or_else(|| parse_rfc3339(text)),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => formatter.write_str(text),
            Self::Unix(seconds) => write!(formatter, "{seconds}"),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Unix(seconds) => serializer.serialize_i64(*seconds),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an RFC 3339 string or Unix seconds")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::Text(SmallString::new(value)))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::Unix(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Timestamp, E> {
                i64::try_from(value)
                    .map(Timestamp::Unix)
                    .map_err(|_| E::custom(format_args!("timestamp {value} is out of range")))
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}

fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if !part.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }

    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }

    // Skip an optional fraction, then read the offset.
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        rest = &fraction[end..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = rest.get(1..3)?.parse().ok()?;
            let minutes: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
        _ => return None,
    };

    let days = days_from_civil(year, month, day);

    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds)
}

/// Returns the number of days from 1970-01-01 to the given proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn rfc3339_with_offset_converts() {
        let timestamp = Timestamp::from_rfc3339("2026-01-01T12:00:00+08:00");

        assert_eq!(timestamp.unix_seconds(), Some(1_767_240_000));
    }

    #[test]
    fn rfc3339_utc_and_fraction_convert() {
        assert_eq!(
            Timestamp::from_rfc3339("1970-01-01T00:00:00Z").unix_seconds(),
            Some(0)
        );
        assert_eq!(
            Timestamp::from_rfc3339("2000-03-01T00:00:00.123-01:30").unix_seconds(),
            Some(951_868_800 + 5400)
        );
    }

    #[test]
    fn invalid_text_gives_none() {
        for text in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00+8",
        ] {
            assert_eq!(Timestamp::from_rfc3339(text).unix_seconds(), None, "{text}");
        }
    }

    #[test]
    fn integer_form_round_trips() {
        let timestamp: Timestamp = serde_json::from_str("1767240420").unwrap();

        assert_eq!(timestamp, Timestamp::Unix(1_767_240_420));
        assert_eq!(serde_json::to_string(&timestamp).unwrap(), "1767240420");
    }
}
