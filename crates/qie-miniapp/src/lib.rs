#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod client;
pub mod convert;
pub mod crypto;
mod envelope;
mod error;
mod id;
pub mod request;
pub mod secret;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, RetryPolicy, TokenGrant};
pub use error::{ApiCode, ApiError, Error, ErrorKind};
pub use id::{AppId, OpenId, TemplateId, UnionId};
pub use request::{MediaType, MiniCode, Session, Verdict};
pub use secret::{AccessToken, AppSecret, SessionKey};
