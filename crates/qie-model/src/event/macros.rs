//! The macro that declares [`Event`](super::Event), [`EventType`](super::EventType) and the
//! name-to-struct dispatch from one table, so the three can never disagree.

macro_rules! events {
    ($( $(#[$doc:meta])* $variant:ident($payload:ty) = $name:literal, $intents:expr; )*) => {
        /// A dispatch event: the typed `d` of an op 0 frame, chosen by its `t`.
        ///
        /// Large payloads are boxed so that the enum stays small.
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq)]
        pub enum Event {
            $( $(#[$doc])* $variant($payload), )*
            /// RESUMED: every missed dispatch was replayed after a Resume (`d` is `""`).
            Resumed,
            /// An event type qie does not type, or a known type whose payload did not fit its
            /// struct (see the module docs). `raw` is the exact `d` JSON.
            Unknown {
                /// The `t` of the frame (empty when the frame had none).
                name: String,
                /// The `d` of the frame (`null` when the frame had none).
                raw: RawJson,
            },
        }

        /// The type name (`t`) of a dispatch event qie types.
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType {
            $( $(#[$doc])* $variant, )*
            /// RESUMED.
            Resumed,
        }

        impl EventType {
            /// Every event type qie types, in declaration order.
            pub const ALL: &'static [EventType] = &[$(Self::$variant,)* Self::Resumed];

            /// Returns the wire name (`t`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                    Self::Resumed => "RESUMED",
                }
            }

            /// Maps a wire name to its type; `None` for names qie does not type.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)*
                    "RESUMED" => Some(Self::Resumed),
                    _ => None,
                }
            }

            /// Returns the Identify intent bit that subscribes to this event type over
            /// WebSocket (empty for READY and RESUMED, which every session receives).
            pub const fn intents(self) -> Intents {
                match self {
                    $(Self::$variant => $intents,)*
                    Self::Resumed => Intents::empty(),
                }
            }
        }

        impl std::fmt::Display for EventType {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.name())
            }
        }

        impl Event {
            /// Returns the wire name (`t`) of this event.
            pub fn name(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $name,)*
                    Self::Resumed => "RESUMED",
                    Self::Unknown { name, .. } => name,
                }
            }

            /// Returns the typed event type; `None` for [`Event::Unknown`].
            pub const fn kind(&self) -> Option<EventType> {
                match self {
                    $(Self::$variant(_) => Some(EventType::$variant),)*
                    Self::Resumed => Some(EventType::Resumed),
                    Self::Unknown { .. } => None,
                }
            }
        }

        /// Deserializes `d` into the struct of the event named `name`.
        pub(crate) fn deserialize_event<'de, D: Deserializer<'de>>(
            name: &str,
            deserializer: D,
        ) -> Result<Event, D::Error> {
            match name {
                $($name => serde::Deserialize::deserialize(deserializer).map(Event::$variant),)*
                "RESUMED" => deserialize_resumed(deserializer),
                _ => serde::Deserialize::deserialize(deserializer).map(|raw| Event::Unknown {
                    name: name.to_owned(),
                    raw,
                }),
            }
        }

        impl Serialize for Event {
            /// Serializes the payload (`d`) of the event.
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(payload) => payload.serialize(serializer),)*
                    Self::Resumed => serialize_resumed(serializer),
                    Self::Unknown { raw, .. } => raw.serialize(serializer),
                }
            }
        }
    };
}

pub(crate) use events;
