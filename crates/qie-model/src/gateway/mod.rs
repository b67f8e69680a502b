//! The WebSocket gateway protocol: opcodes, frames, control payloads, intents and close codes.
//!
//! [`ServerFrame`] is what the platform sends (also the body of webhook deliveries),
//! [`ClientFrame`] what the bot sends. Both parse and serialize, so the same types serve clients
//! and the emulator.

mod close_code;
mod discovery;
mod frame;
mod intents;
mod opcode;
mod payload;

pub use close_code::{CloseAction, CloseCode};
pub use discovery::{GatewayBot, GatewayUrl, SessionStartLimit};
#[cfg(test)]
pub(crate) use frame::parse_with_serde;
pub use frame::{ClientFrame, Dispatch, FrameError, FrameErrorKind, ServerFrame};
pub use intents::Intents;
pub use opcode::OpCode;
pub use payload::{Hello, Identify, IdentifyProperties, Ready, ReadyUser, Resume, Shard};
