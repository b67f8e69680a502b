//! Raw JSON kept verbatim, for payloads qie does not type.

use std::fmt;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSON value kept as its exact source text.
///
/// Used for the payload of an event type qie does not know ([`Event::Unknown`]) and for frames
/// with an unknown opcode. Two values are equal when their texts are equal.
///
/// [`Event::Unknown`]: crate::event::Event::Unknown
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Returns the JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Parses the text into a typed value.
    ///
    /// # Errors
    ///
    /// Returns the `serde_json` error when the text does not fit `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// Wraps JSON text.
    ///
    /// # Errors
    ///
    /// Returns the `serde_json` error when `text` is not one valid JSON value.
    pub fn from_text(text: impl Into<String>) -> Result<Self, serde_json::Error> {
        RawValue::from_string(text.into()).map(Self)
    }

    /// Serializes a value into raw JSON.
    ///
    /// # Errors
    ///
    /// Returns the `serde_json` error when `value` cannot be serialized.
    pub fn from_value<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }

    /// Returns the JSON `null`.
    pub fn null() -> Self {
        Self::from_raw(RawValue::NULL)
    }

    pub(crate) fn from_raw(raw: &RawValue) -> Self {
        Self(raw.to_owned())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawJson {}

impl fmt::Debug for RawJson {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_tuple("RawJson").field(&self.get()).finish()
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Self)
    }
}
