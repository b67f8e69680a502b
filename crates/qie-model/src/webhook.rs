//! Webhook-only bodies: the callback URL validation handshake (op 13) and its response.
//!
//! Event deliveries use the same envelope as the WebSocket gateway and parse with
//! [`ServerFrame::from_slice`](crate::gateway::ServerFrame::from_slice); the acknowledgement
//! body is [`ClientFrame::HttpCallbackAck`](crate::gateway::ClientFrame::HttpCallbackAck).

/// `d` of the validation request (op 13) the platform sends when a callback URL is saved.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ValidationRequest {
    /// Random token to echo and sign.
    pub plain_token: String,
    /// Unix seconds as a decimal string; the signed message is `event_ts` then `plain_token`.
    pub event_ts: String,
}

impl ValidationRequest {
    /// Builds a validation request.
    pub fn new(plain_token: impl Into<String>, event_ts: impl Into<String>) -> Self {
        Self {
            plain_token: plain_token.into(),
            event_ts: event_ts.into(),
        }
    }

    /// Returns the bytes to sign: `event_ts` followed by `plain_token`, without separator.
    pub fn message_to_sign(&self) -> Vec<u8> {
        [self.event_ts.as_bytes(), self.plain_token.as_bytes()].concat()
    }
}

/// The bot's answer to a validation request (HTTP 200, JSON).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ValidationResponse {
    /// `plain_token` copied from the request.
    pub plain_token: String,
    /// Lowercase hex of the Ed25519 signature of [`ValidationRequest::message_to_sign`].
    pub signature: String,
}

impl ValidationResponse {
    /// Builds a validation response.
    pub fn new(plain_token: impl Into<String>, signature: impl Into<String>) -> Self {
        Self {
            plain_token: plain_token.into(),
            signature: signature.into(),
        }
    }
}
