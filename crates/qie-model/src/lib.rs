#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod event;
pub mod gateway;
pub mod id;
pub mod json;
pub mod secret;
pub mod webhook;
