//! Dispatch events (op 0): one typed struct per event type, gathered in [`Event`].
//!
//! # Forward compatibility
//!
//! * An event type qie does not know arrives as [`Event::Unknown`] with its raw JSON, never as an
//!   error.
//! * Unknown fields are ignored everywhere.
//! * A known event type whose `d` does not fit the typed struct (a field with an unexpected JSON
//!   type, a required field missing) is also delivered as [`Event::Unknown`] with the raw JSON,
//!   and a `warn` event is logged with the event name and the parse error (never the payload).
//!   The envelope's `id` and `s` are kept either way, so the event is neither lost nor
//!   acknowledged twice.

mod macros;

use serde::de::{Deserializer, IgnoredAny};
use serde::ser::{Serialize, Serializer};

use crate::gateway::{Intents, Ready};
use crate::json::RawJson;

macros::events! {
    /// READY: the session is established (answer to Identify).
    Ready(Box<Ready>) = "READY", Intents::empty();
}

impl Event {
    /// Builds the event for the given type name from raw JSON.
    ///
    /// Never fails: an unknown name, or a payload that does not fit the typed struct, gives
    /// [`Event::Unknown`] (the second case also logs a `warn` event with the parse error).
    pub fn from_raw(name: &str, data: &str) -> Self {
        let mut deserializer = serde_json::Deserializer::from_str(data);
        let parsed = deserialize_event(name, &mut deserializer).and_then(|event| {
            deserializer.end()?;
            Ok(event)
        });

        match parsed {
            Ok(event) => event,
            Err(error) => {
                tracing::warn!(
                    event = name,
                    %error,
                    "dispatch payload does not fit its typed struct; delivering it as Event::Unknown"
                );
                let raw = RawJson::from_text(data).unwrap_or_else(|_| RawJson::null());
                Self::Unknown {
                    name: name.to_owned(),
                    raw,
                }
            }
        }
    }
}

fn deserialize_resumed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
    // RESUMED carries `""`; `{}` and `null` are tolerated as well.
    serde::Deserialize::deserialize(deserializer).map(|IgnoredAny| Event::Resumed)
}

fn serialize_resumed<S: Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    "".serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_event_keeps_raw_json() {
        let event = Event::from_raw("SOMETHING_NEW", r#"{"a":[1,2]}"#);

        let Event::Unknown { name, raw } = &event else {
            panic!("expected Unknown, got {event:?}");
        };
        assert_eq!(name, "SOMETHING_NEW");
        assert_eq!(raw.get(), r#"{"a":[1,2]}"#);
        assert_eq!(event.kind(), None);
    }

    #[test]
    fn malformed_known_event_becomes_unknown() {
        let event = Event::from_raw("READY", r#"{"session_id": 5}"#);

        assert!(matches!(&event, Event::Unknown { name, .. } if name == "READY"));
    }

    #[test]
    fn resumed_accepts_empty_string_object_and_null() {
        for data in ["\"\"", "{}", "null"] {
            assert_eq!(Event::from_raw("RESUMED", data), Event::Resumed, "{data}");
        }
    }

    #[test]
    fn event_type_names_round_trip() {
        for kind in EventType::ALL {
            assert_eq!(EventType::from_name(kind.name()), Some(*kind));
        }
    }
}
