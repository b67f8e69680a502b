//! The inspector feed: one event per gateway frame and per REST call.
//!
//! Subscribe with [`crate::EmulatorHandle::subscribe`] (a tokio broadcast receiver; a slow
//! receiver loses the oldest events and gets `RecvError::Lagged`) or over the control API's
//! WebSocket `GET /_emulator/inspect`.

use std::time::Duration;

use serde::Serialize;

/// Direction of a gateway frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Direction {
    /// Client to emulator.
    Inbound,
    /// Emulator to client.
    Outbound,
}

/// A gateway frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FrameEvent {
    /// Connection number (increasing per emulator).
    pub connection: u64,
    /// Bot, once identified.
    pub app_id: Option<String>,
    /// Session, once identified.
    pub session_id: Option<String>,
    /// Direction.
    pub direction: Direction,
    /// Opcode; `None` for a close.
    pub op: Option<u64>,
    /// Event type of a dispatch.
    pub t: Option<String>,
    /// Sequence number of a dispatch.
    pub s: Option<u64>,
    /// Close code, for closes.
    pub close_code: Option<u16>,
}

/// A REST or token call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RestEvent {
    /// HTTP method.
    pub method: String,
    /// Route template, e.g. `/v2/groups/{group_openid}/messages`.
    pub route: String,
    /// Path as requested (without query).
    pub path: String,
    /// HTTP status.
    pub status: u16,
    /// Platform error code, for errors.
    pub code: Option<u64>,
    /// Time to answer, including injected latency.
    #[serde(with = "duration_ms")]
    pub latency: Duration,
    /// The calling bot, when authenticated.
    pub app_id: Option<String>,
    /// `X-Tps-trace-ID` of the response.
    pub trace_id: String,
}

/// One inspector event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InspectorEvent {
    /// A gateway frame.
    Frame(FrameEvent),
    /// A REST call.
    Rest(RestEvent),
    /// A firehose burst finished.
    Firehose {
        /// Connection number.
        connection: u64,
        /// Frames written.
        frames: u64,
        /// Time spent writing them.
        #[serde(with = "duration_ms")]
        elapsed: Duration,
    },
}

mod duration_ms {
    use std::time::Duration;

    use serde::Serializer;

    pub(super) fn serialize<S: Serializer>(
        duration: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(duration.as_secs_f64() * 1000.0)
    }
}
