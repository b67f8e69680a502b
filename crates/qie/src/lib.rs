#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod bot;
pub mod command;
pub mod config;
mod context;
mod dispatch;
mod error;
mod handler;
mod incoming;
mod reply;
mod send;
mod transport;
pub mod tutorial;
#[cfg(feature = "webhook")]
pub mod webhook;

pub use qie_gateway::FatalErrorKind;
pub use qie_model::gateway::Intents;

pub use crate::bot::{Bot, BotBuilder, BotHandle, DEFAULT_SHUTDOWN_TIMEOUT, Status};
pub use crate::config::Config;
pub use crate::context::{Context, ReplyError, ReplyErrorKind, ReplyFuture, Sent};
pub use crate::dispatch::DispatchLimits;
pub use crate::error::{BotError, BotErrorKind};
pub use crate::handler::{Handler, HandlerError, HandlerResult};
pub use crate::incoming::{Author, Conversation, Message};
pub use crate::reply::{Image, Reply};

/// Wire types of the platform, re-exported from `qie-model`.
pub mod model {
    pub use qie_model::*;
}

/// Outgoing message parts: Markdown, keyboards, Ark, Embed.
pub mod message {
    pub use qie_model::message::*;
}
