//! Gateway opcodes.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

/// The `op` field of a gateway frame or webhook body.
///
/// Opcodes 3, 4, 5 and 8 are unused by the platform; they and any future value parse as
/// [`OpCode::Unknown`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpCode {
    /// 0: an event (server → client, WebSocket and webhook).
    Dispatch,
    /// 1: heartbeat carrying the last sequence number (client → server).
    Heartbeat,
    /// 2: Identify (client → server).
    Identify,
    /// 6: Resume (client → server).
    Resume,
    /// 7: the server asks the client to reconnect and resume.
    Reconnect,
    /// 9: Identify or Resume parameters were rejected.
    InvalidSession,
    /// 10: first frame after the upgrade, carries the heartbeat interval.
    Hello,
    /// 11: heartbeat acknowledgement.
    HeartbeatAck,
    /// 12: the bot's webhook acknowledgement body.
    HttpCallbackAck,
    /// 13: webhook callback URL validation request.
    CallbackValidation,
    /// Any other value.
    Unknown(u8),
}

impl OpCode {
    /// Maps the wire number to an opcode.
    pub const fn from_u8(value: u8) -> Self {
        match value {
            0 => Self::Dispatch,
            1 => Self::Heartbeat,
            2 => Self::Identify,
            6 => Self::Resume,
            7 => Self::Reconnect,
            9 => Self::InvalidSession,
            10 => Self::Hello,
            11 => Self::HeartbeatAck,
            12 => Self::HttpCallbackAck,
            13 => Self::CallbackValidation,
            other => Self::Unknown(other),
        }
    }

    /// Returns the wire number.
    pub const fn to_u8(self) -> u8 {
        match self {
            Self::Dispatch => 0,
            Self::Heartbeat => 1,
            Self::Identify => 2,
            Self::Resume => 6,
            Self::Reconnect => 7,
            Self::InvalidSession => 9,
            Self::Hello => 10,
            Self::HeartbeatAck => 11,
            Self::HttpCallbackAck => 12,
            Self::CallbackValidation => 13,
            Self::Unknown(other) => other,
        }
    }
}

impl Serialize for OpCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.to_u8())
    }
}

impl<'de> Deserialize<'de> for OpCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u8::deserialize(deserializer).map(Self::from_u8)
    }
}

#[cfg(test)]
mod tests {
    use super::OpCode;

    #[test]
    fn opcode_round_trips_every_value() {
        for value in 0..=u8::MAX {
            assert_eq!(OpCode::from_u8(value).to_u8(), value);
        }
        assert_eq!(OpCode::from_u8(4), OpCode::Unknown(4));
    }
}
