#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

#[macro_use]
mod macros;

pub mod codes;
pub mod config;
pub mod error;
pub mod model;
pub mod ratelimit;
pub mod reply;
pub mod request;
pub mod retry;
pub mod route;
pub mod token;

mod client;
mod response;
mod transport;

pub use crate::client::{Client, ClientBuilder};
pub use crate::config::HttpConfig;
pub use crate::error::{ApiError, BodyKind, Error, ErrorKind, TokenError};
pub use crate::response::ResponseFuture;
pub use crate::retry::RetryPolicy;
pub use crate::token::{TokenSource, TokenSourceBuilder};
