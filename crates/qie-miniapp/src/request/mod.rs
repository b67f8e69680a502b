//! One module per endpoint. Each request is a builder that runs on `.await` and reports invalid
//! arguments there, so its setters stay chainable.

mod login;
mod mini_code;
mod security;
mod subscribe;
#[cfg(feature = "template-message")]
mod template;

use std::future::Future;
use std::pin::Pin;

pub use login::{Code2Session, Session};
pub use mini_code::{CreateMiniCode, MiniCode};
pub use security::{
    ImgSecCheck, MAX_IMAGE_BYTES, MAX_TEXT_BYTES, MediaCheckAsync, MediaCheckTicket, MediaType,
    MsgSecCheck, Verdict,
};
pub use subscribe::SendSubscribeMessage;
#[cfg(feature = "template-message")]
pub use template::SendTemplateMessage;

/// The future every request builder turns into.
pub type ResponseFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, crate::Error>> + Send + 'a>>;
