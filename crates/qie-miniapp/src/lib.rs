#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod client;
pub mod convert;
pub mod crypto;
mod envelope;
mod error;
mod id;
mod language;
pub mod request;
pub mod scaffold;
pub mod secret;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, RetryPolicy, TokenGrant};
pub use error::{ApiCode, ApiError, Error, ErrorKind};
pub use id::{AppId, OpenId, TemplateId, UnionId};
pub use language::Language;
pub use request::{MediaType, MiniCode, Session, Verdict};
pub use secret::{AccessToken, AppSecret, SessionKey};
