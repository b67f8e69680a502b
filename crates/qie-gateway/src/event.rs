//! Items of a shard's stream: dispatches and lifecycle events.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use qie_model::gateway::{CloseCode, Dispatch, Ready};

/// An item of a shard's stream (the `Ok` side; a fatal error is the `Err` side and ends the
/// stream).
///
/// Dispatches arrive in sequence order, each exactly once per session across reconnects.
/// Lifecycle events let an operator watch the connection without reading logs.
#[derive(Debug)]
#[non_exhaustive]
pub enum ShardEvent {
    /// An op 0 event other than READY and RESUMED. A payload that does not fit its typed
    /// struct, and an event type qie does not know, arrive as
    /// [`Event::Unknown`](qie_model::event::Event::Unknown) with the raw JSON.
    Dispatch(Dispatch),
    /// The WebSocket is open and the gateway sent Hello; Identify or Resume follows.
    Connected(Connected),
    /// READY: a new session started (after Identify). Events of an earlier session that were not
    /// delivered before it are lost on the platform's side.
    Ready(Box<Ready>),
    /// RESUMED: the session continues; every event missed while disconnected was delivered
    /// before this.
    Resumed(Resumed),
    /// The connection ended and the shard reconnects after `delay`.
    Reconnecting(Reconnecting),
}

/// Details of [`ShardEvent::Connected`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Connected {
    /// The heartbeat interval from Hello.
    pub heartbeat_interval: Duration,
    /// Whether the shard resumes a held session (`true`) or identifies (`false`).
    pub resuming: bool,
}

/// Details of [`ShardEvent::Resumed`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Resumed {
    /// The session that was resumed.
    pub session_id: String,
    /// Dispatches replayed between Resume and RESUMED that had not been delivered before.
    pub replayed: u64,
}

/// Details of [`ShardEvent::Reconnecting`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Reconnecting {
    /// The cause of the disconnect.
    pub reason: ReconnectReason,
    /// How long the shard waits before connecting again.
    pub delay: Duration,
    /// Whether the next connection resumes the session (`true`) or identifies (`false`).
    pub resume: bool,
    /// Consecutive reconnects since the last stable session, this one included.
    pub attempt: u32,
}

/// The cause of a reconnect. The reconnect policy table in `docs/gateway.md` lists the action
/// taken for each.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ReconnectReason {
    /// The gateway closed the connection with this code.
    Closed(CloseCode),
    /// The connection ended without a close code (reset, end of stream, a close frame without a
    /// code, or a write that did not complete).
    ConnectionLost(TransportError),
    /// Opening the WebSocket failed (DNS, TCP, TLS or the HTTP upgrade).
    ConnectFailed(TransportError),
    /// The gateway did not send Hello within the handshake timeout of opening the connection, or
    /// READY or RESUMED within the handshake timeout of Identify or Resume (or of the last
    /// replayed dispatch).
    HandshakeTimeout,
    /// A heartbeat was not acknowledged before the next one was due: the connection is dead.
    HeartbeatAckMissed,
    /// The gateway sent op 7 (Reconnect).
    ReconnectRequested,
    /// The gateway sent op 9 (Invalid Session); `resumable` is its `d`.
    InvalidSession {
        /// Whether the gateway allows resuming the session.
        resumable: bool,
    },
    /// The token provider could not supply an access token.
    TokenUnavailable(TransportError),
    /// `GET /gateway/bot` failed and no gateway URL is known yet.
    DiscoveryFailed(TransportError),
}

impl fmt::Display for ReconnectReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Closed(code) => write!(formatter, "gateway closed the connection with {code}"),
            Self::ConnectionLost(error) => write!(formatter, "connection lost: {error}"),
            Self::ConnectFailed(error) => write!(formatter, "connecting failed: {error}"),
            Self::HandshakeTimeout => formatter.write_str("connecting timed out before Hello"),
            Self::HeartbeatAckMissed => {
                formatter.write_str("heartbeat not acknowledged, connection is dead")
            }
            Self::ReconnectRequested => formatter.write_str("gateway requested a reconnect (op 7)"),
            Self::InvalidSession { resumable } => {
                write!(
                    formatter,
                    "gateway invalidated the session (op 9, resumable: {resumable})"
                )
            }
            Self::TokenUnavailable(error) => write!(formatter, "access token unavailable: {error}"),
            Self::DiscoveryFailed(error) => write!(formatter, "gateway discovery failed: {error}"),
        }
    }
}

/// The error behind a [`ReconnectReason`], shared so that the event stays cheap to clone.
#[derive(Clone)]
pub struct TransportError(Arc<dyn std::error::Error + Send + Sync>);

impl TransportError {
    pub(crate) fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Arc::new(error))
    }

    pub(crate) fn from_arc(error: Arc<dyn std::error::Error + Send + Sync>) -> Self {
        Self(error)
    }

    /// Returns the underlying error.
    pub fn get(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, formatter)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, formatter)
    }
}
