//! Response and request bodies of the REST API that `qie_model` does not define.
//!
//! Shared objects (users, guilds, channels, members, messages, upload bodies) come from
//! `qie_model`; this module adds the REST-only ones.

mod lenient;
mod macros;

pub mod group;
pub mod guild;
pub mod media_image;
pub mod message;
pub mod panel;

pub use self::group::*;
pub use self::guild::*;
pub use self::media_image::*;
pub use self::message::{
    StreamContentType, StreamInputMode, StreamInputState, StreamMessageResponse,
};
pub use self::panel::*;
