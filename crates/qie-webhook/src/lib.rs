#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod dedupe;
mod error;
mod event;
mod key;
mod receiver;
mod response;
mod server;
mod stats;
pub mod validation;
mod webhook;

pub use crate::error::{Error, ErrorKind};
pub use crate::event::{Events, WebhookEvent};
pub use crate::key::{SignatureError, SignatureErrorKind, WebhookKey};
pub use crate::server::{Server, ServerBuilder, TlsConfig};
pub use crate::stats::WebhookStats;
pub use crate::webhook::{UnsignedValidation, Webhook, WebhookBuilder};
