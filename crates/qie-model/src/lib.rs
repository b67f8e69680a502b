#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod fast;
mod macros;
mod serde_util;

pub mod auth;
pub mod error;
pub mod event;
pub mod gateway;
pub mod id;
pub mod interaction;
pub mod json;
pub mod media;
pub mod message;
pub mod secret;
pub mod text;
pub mod timestamp;
pub mod webhook;
