//! Whole gateway frames: parsing and serialization in both directions.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

use super::{Hello, Identify, OpCode, Resume};
use crate::event::{Event, deserialize_event};
use crate::id::EventId;
use crate::json::RawJson;
use crate::webhook::ValidationRequest;

/// An op 0 frame: the envelope fields and the typed event.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Dispatch {
    /// Top-level `id`: the event id, used as `event_id` for passive replies and as the
    /// de-duplication key. Absent on READY and RESUMED.
    pub id: Option<EventId>,
    /// `s`: the sequence number (WebSocket); absent on webhook deliveries.
    pub seq: Option<u64>,
    /// The event; its [`name`](Event::name) is the frame's `t`.
    pub event: Event,
}

impl Dispatch {
    /// Builds a dispatch.
    pub fn new(id: Option<EventId>, seq: Option<u64>, event: Event) -> Self {
        Self { id, seq, event }
    }
}

/// A frame the platform sends: over the WebSocket gateway, or as a webhook request body.
///
/// Parse with [`ServerFrame::from_slice`]; serialize with serde (servers and the emulator).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub enum ServerFrame {
    /// op 0.
    Dispatch(Dispatch),
    /// op 1 sent by the server (undocumented in practice): send a heartbeat at once.
    Heartbeat(Option<u64>),
    /// op 7: reconnect and Resume.
    Reconnect,
    /// op 9: Identify or Resume was rejected. `d` is `true` when the session may be resumed;
    /// a missing or `null` `d` reads as `false`.
    InvalidSession(bool),
    /// op 10.
    Hello(Hello),
    /// op 11.
    HeartbeatAck,
    /// op 13 (webhook only): callback URL validation.
    CallbackValidation(ValidationRequest),
    /// Any other opcode, with its raw `d`.
    Unknown {
        /// The opcode.
        op: u8,
        /// The raw `d`, if the frame had one.
        d: Option<RawJson>,
    },
}

/// A frame the bot sends: over the WebSocket gateway, or as a webhook response body.
///
/// Serialize with serde; parse with [`ClientFrame::from_slice`] (servers and the emulator).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub enum ClientFrame {
    /// op 1: the last received `s`, or `None` before any dispatch.
    Heartbeat(Option<u64>),
    /// op 2. Debug redacts the token.
    Identify(Identify),
    /// op 6. Debug redacts the token.
    Resume(Resume),
    /// op 12 (webhook response body): `0` received, `1` failed (the platform then retries).
    HttpCallbackAck(u32),
    /// Any other opcode, with its raw `d`.
    Unknown {
        /// The opcode.
        op: u8,
        /// The raw `d`, if the frame had one.
        d: Option<RawJson>,
    },
}

/// A frame that could not be parsed.
#[derive(Debug)]
pub struct FrameError {
    kind: FrameErrorKind,
    source: serde_json::Error,
}

/// The reason a frame was rejected.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameErrorKind {
    /// The bytes are not one JSON value (syntax error or truncated input).
    InvalidJson,
    /// The JSON is not a frame: not an object, no `op`, or a `d` that does not fit its opcode.
    InvalidFrame,
}

impl FrameError {
    fn new(source: serde_json::Error) -> Self {
        let kind = match source.classify() {
            serde_json::error::Category::Data => FrameErrorKind::InvalidFrame,
            _ => FrameErrorKind::InvalidJson,
        };

        Self { kind, source }
    }

    /// Returns what was wrong.
    pub const fn kind(&self) -> FrameErrorKind {
        self.kind
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            FrameErrorKind::InvalidJson => formatter.write_str("gateway frame is not valid JSON"),
            FrameErrorKind::InvalidFrame => {
                formatter.write_str("JSON is not a valid gateway frame (expected {\"op\": …})")
            }
        }
    }
}

impl std::error::Error for FrameError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl ServerFrame {
    /// Parses a frame from its JSON bytes (a WebSocket text or binary message, or a webhook
    /// body).
    ///
    /// A dispatch is parsed in one pass when `op` and `t` come before `d`, as on the WebSocket.
    /// Otherwise `d` is kept as raw text and parsed once `t` is known. Unknown event
    /// types and event payloads that do not fit their struct give [`Event::Unknown`] (see
    /// [`crate::event`]).
    ///
    /// # Errors
    ///
    /// Returns [`FrameError`] when the bytes are not JSON, not an object with an `op`, or when a
    /// control frame's `d` does not fit its opcode (for example a Hello without
    /// `heartbeat_interval`).
    ///
    /// # Examples
    ///
    /// ```
    /// use qie_model::gateway::ServerFrame;
    ///
    /// let frame = ServerFrame::from_slice(br#"{"op":10,"d":{"heartbeat_interval":45000}}"#)?;
    /// assert!(matches!(frame, ServerFrame::Hello(hello) if hello.heartbeat_interval == 45000));
    /// # Ok::<(), qie_model::gateway::FrameError>(())
    /// ```
    pub fn from_slice(bytes: &[u8]) -> Result<Self, FrameError> {
        // Validating UTF-8 once over the whole frame is cheaper than per string.
        let text = std::str::from_utf8(bytes).map_err(|error| {
            FrameError::new(<serde_json::Error as de::Error>::custom(format_args!(
                "frame is not UTF-8: {error}"
            )))
        })?;

        Self::parse(text)
    }

    fn parse(text: &str) -> Result<Self, FrameError> {
        if let Some(frame) = crate::fast::parse_dispatch(text) {
            return Ok(frame);
        }

        parse_with_serde(text)
    }

    /// Returns the opcode of this frame.
    pub const fn opcode(&self) -> OpCode {
        match self {
            Self::Dispatch(_) => OpCode::Dispatch,
            Self::Heartbeat(_) => OpCode::Heartbeat,
            Self::Reconnect => OpCode::Reconnect,
            Self::InvalidSession(_) => OpCode::InvalidSession,
            Self::Hello(_) => OpCode::Hello,
            Self::HeartbeatAck => OpCode::HeartbeatAck,
            Self::CallbackValidation(_) => OpCode::CallbackValidation,
            Self::Unknown { op, .. } => OpCode::from_u8(*op),
        }
    }
}

impl std::str::FromStr for ServerFrame {
    type Err = FrameError;

    /// Parses a frame from JSON text; see [`ServerFrame::from_slice`].
    fn from_str(text: &str) -> Result<Self, FrameError> {
        Self::parse(text)
    }
}

impl ClientFrame {
    /// Parses a frame the bot sent (used by servers and the emulator).
    ///
    /// # Errors
    ///
    /// Returns [`FrameError`] when the bytes are not JSON, not an object with an `op`, or when
    /// `d` does not fit the opcode (for example an Identify without `token`).
    pub fn from_slice(bytes: &[u8]) -> Result<Self, FrameError> {
        let raw: RawFrame<'_> = serde_json::from_slice(bytes).map_err(FrameError::new)?;
        let data = raw.d.map_or("null", RawValue::get);

        let frame = match raw.op {
            1 => serde_json::from_str(data).map(Self::Heartbeat),
            2 => serde_json::from_str(data).map(Self::Identify),
            6 => serde_json::from_str(data).map(Self::Resume),
            12 => serde_json::from_str::<Option<u32>>(data)
                .map(|code| Self::HttpCallbackAck(code.unwrap_or(0))),
            op => Ok(Self::Unknown {
                op,
                d: raw.d.map(RawJson::from_raw),
            }),
        };

        frame.map_err(FrameError::new)
    }

    /// Returns the opcode of this frame.
    pub const fn opcode(&self) -> OpCode {
        match self {
            Self::Heartbeat(_) => OpCode::Heartbeat,
            Self::Identify(_) => OpCode::Identify,
            Self::Resume(_) => OpCode::Resume,
            Self::HttpCallbackAck(_) => OpCode::HttpCallbackAck,
            Self::Unknown { op, .. } => OpCode::from_u8(*op),
        }
    }
}

/// The envelope with `d` kept raw; used to parse client frames.
#[derive(serde::Deserialize)]
struct RawFrame<'a> {
    op: u8,
    #[serde(borrow, default)]
    d: Option<&'a RawValue>,
}

/// Parses a frame with serde only: the reference the fast path is tested against.
pub(crate) fn parse_with_serde(text: &str) -> Result<ServerFrame, FrameError> {
    // The one-pass parse fails as a whole when a typed payload is malformed, so a failure is
    // retried in the two-pass mode, which isolates `d` and can fall back to raw JSON.
    parse_server_frame(text, true).or_else(|_| parse_server_frame(text, false))
}

fn parse_server_frame(text: &str, one_pass: bool) -> Result<ServerFrame, FrameError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let frame = deserializer
        .deserialize_map(FrameVisitor { one_pass })
        .map_err(FrameError::new)?;
    deserializer.end().map_err(FrameError::new)?;

    Ok(frame)
}

/// Envelope keys; anything else is ignored.
enum FrameKey {
    Op,
    Data,
    Seq,
    Type,
    Id,
    Other,
}

impl<'de> de::Deserialize<'de> for FrameKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = FrameKey;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a frame key")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<FrameKey, E> {
                Ok(match key {
                    "op" => FrameKey::Op,
                    "d" => FrameKey::Data,
                    "s" => FrameKey::Seq,
                    "t" => FrameKey::Type,
                    "id" => FrameKey::Id,
                    _ => FrameKey::Other,
                })
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// A string borrowed from the input when it has no escapes.
struct CowStr<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CowVisitor;

        impl<'de> Visitor<'de> for CowVisitor {
            type Value = CowStr<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Borrowed(value)))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Owned(value.to_owned())))
            }
        }

        deserializer.deserialize_str(CowVisitor)
    }
}

/// The state of `d` while walking the envelope.
enum Payload<'de> {
    /// A dispatch payload parsed in the one-pass mode.
    Event(Event),
    /// A control-frame payload parsed in the one-pass mode.
    Control(ServerFrame),
    /// `d` kept as raw text (`None` for JSON `null`).
    Raw(Option<&'de RawValue>),
}

struct FrameVisitor {
    one_pass: bool,
}

impl<'de> Visitor<'de> for FrameVisitor {
    type Value = ServerFrame;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a gateway frame object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ServerFrame, A::Error> {
        let mut op: Option<u8> = None;
        let mut seq: Option<u64> = None;
        let mut name: Option<CowStr<'de>> = None;
        let mut id: Option<EventId> = None;
        let mut payload: Option<Payload<'de>> = None;

        while let Some(key) = map.next_key::<FrameKey>()? {
            match key {
                FrameKey::Op => {
                    if op.is_some() {
                        return Err(de::Error::duplicate_field("op"));
                    }
                    op = Some(map.next_value()?);
                }
                FrameKey::Type => {
                    if name.is_some() {
                        return Err(de::Error::duplicate_field("t"));
                    }
                    name = map.next_value()?;
                }
                FrameKey::Data => {
                    if payload.is_some() {
                        return Err(de::Error::duplicate_field("d"));
                    }
                    payload = Some(match (self.one_pass, op, &name) {
                        (true, Some(0), Some(name)) => {
                            Payload::Event(map.next_value_seed(EventSeed(&name.0))?)
                        }
                        (true, Some(op), _) if op != 0 => {
                            Payload::Control(map.next_value_seed(ControlSeed(op))?)
                        }
                        _ => Payload::Raw(map.next_value()?),
                    });
                }
                FrameKey::Seq => seq = map.next_value()?,
                FrameKey::Id => id = map.next_value()?,
                FrameKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }

        let op = op.ok_or_else(|| de::Error::missing_field("op"))?;
        if op != 0 {
            return match payload {
                Some(Payload::Control(frame)) => Ok(frame),
                Some(Payload::Raw(raw)) => control_from_raw(op, raw),
                None => control_from_raw(op, None),
                Some(Payload::Event(_)) => {
                    Err(de::Error::custom("dispatch payload on a control frame"))
                }
            };
        }

        let name = name.map_or(Cow::Borrowed(""), |name| name.0);
        let event = match payload {
            Some(Payload::Event(event)) => event,
            Some(Payload::Raw(raw)) => Event::from_raw(&name, raw.map_or("null", RawValue::get)),
            None => Event::from_raw(&name, "null"),
            Some(Payload::Control(_)) => {
                return Err(de::Error::custom("control payload on a dispatch"));
            }
        };

        Ok(ServerFrame::Dispatch(Dispatch { id, seq, event }))
    }
}

struct EventSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for EventSeed<'_> {
    type Value = Event;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Event, D::Error> {
        deserialize_event(self.0, deserializer)
    }
}

struct ControlSeed(u8);

impl<'de> DeserializeSeed<'de> for ControlSeed {
    type Value = ServerFrame;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<ServerFrame, D::Error> {
        deserialize_control(self.0, deserializer)
    }
}

fn deserialize_control<'de, D: Deserializer<'de>>(
    op: u8,
    deserializer: D,
) -> Result<ServerFrame, D::Error> {
    use serde::Deserialize;

    match op {
        1 => Option::<u64>::deserialize(deserializer).map(ServerFrame::Heartbeat),
        7 => IgnoredAny::deserialize(deserializer).map(|_| ServerFrame::Reconnect),
        9 => Option::<bool>::deserialize(deserializer)
            .map(|resumable| ServerFrame::InvalidSession(resumable.unwrap_or(false))),
        10 => Hello::deserialize(deserializer).map(ServerFrame::Hello),
        11 => IgnoredAny::deserialize(deserializer).map(|_| ServerFrame::HeartbeatAck),
        13 => ValidationRequest::deserialize(deserializer).map(ServerFrame::CallbackValidation),
        op => Option::<RawJson>::deserialize(deserializer).map(|d| ServerFrame::Unknown { op, d }),
    }
}

fn control_from_raw<E: de::Error>(op: u8, raw: Option<&RawValue>) -> Result<ServerFrame, E> {
    let text = raw.map_or("null", RawValue::get);

    deserialize_control(op, &mut serde_json::Deserializer::from_str(text))
        .map_err(de::Error::custom)
}

impl Serialize for ServerFrame {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("op", &self.opcode())?;

        match self {
            Self::Dispatch(dispatch) => {
                if let Some(seq) = dispatch.seq {
                    map.serialize_entry("s", &seq)?;
                }
                map.serialize_entry("t", dispatch.event.name())?;
                if let Some(id) = &dispatch.id {
                    map.serialize_entry("id", id)?;
                }
                map.serialize_entry("d", &dispatch.event)?;
            }
            Self::Heartbeat(seq) => map.serialize_entry("d", seq)?,
            Self::InvalidSession(resumable) => map.serialize_entry("d", resumable)?,
            Self::Hello(hello) => map.serialize_entry("d", hello)?,
            Self::CallbackValidation(request) => map.serialize_entry("d", request)?,
            Self::Unknown { d: Some(d), .. } => map.serialize_entry("d", d)?,
            Self::Reconnect | Self::HeartbeatAck | Self::Unknown { d: None, .. } => {}
        }

        map.end()
    }
}

impl Serialize for ClientFrame {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("op", &self.opcode())?;

        match self {
            Self::Heartbeat(seq) => map.serialize_entry("d", seq)?,
            Self::Identify(identify) => map.serialize_entry("d", identify)?,
            Self::Resume(resume) => map.serialize_entry("d", resume)?,
            Self::HttpCallbackAck(code) => map.serialize_entry("d", code)?,
            Self::Unknown { d: Some(d), .. } => map.serialize_entry("d", d)?,
            Self::Unknown { d: None, .. } => {}
        }

        map.end()
    }
}
