//! Outgoing message payloads and their parts.
//!
//! * [`GuildMessage`]: body of `POST /channels/{channel_id}/messages` and
//!   `POST /dms/{guild_id}/messages`.
//! * [`OpenMessage`]: body of `POST /v2/groups/{group_openid}/messages` and
//!   `POST /v2/users/{openid}/messages` (the scenes addressed by openids).
//!
//! Build them with [`GuildMessage::builder`], [`OpenMessage::group`] or [`OpenMessage::c2c`];
//! `build()` rejects combinations the platform rejects and names the field.
//!
//! ```
//! use qie_model::id::MessageId;
//! use qie_model::message::{Keyboard, Button, ActionType, Markdown, OpenMessage};
//!
//! let reply = OpenMessage::group()
//!     .markdown(Markdown::new("# Dice\nYou rolled **17**."))
//!     .keyboard(Keyboard::rows([[Button::new("Again", ActionType::Command, "/roll 20")]]))
//!     .reply_to(MessageId::new("ROBOT1.0_abc"), 2)
//!     .build()?;
//! assert_eq!(reply.msg_type.to_raw(), 2);
//!
//! let error = OpenMessage::c2c().content("hi").markdown(Markdown::new("hi")).build().unwrap_err();
//! assert!(error.to_string().contains("`content`"));
//! # Ok::<(), qie_model::message::MessageError>(())
//! ```

mod ark;
mod create;
mod embed;
mod keyboard;
mod markdown;

pub use ark::{Ark, ArkKv, ArkListItem, ArkObj, ArkObjKv, LargeImage, TextThumbnail};
pub use create::{
    GuildMessage, GuildMessageBuilder, MessageError, MessageErrorKind, OpenMessage,
    OpenMessageBuilder, Scene,
};
pub use embed::{Embed, EmbedField, EmbedThumbnail};
pub use keyboard::{
    Action, ActionType, Button, ButtonStyle, Keyboard, KeyboardContent, KeyboardRow,
    MAX_BUTTONS_PER_ROW, MAX_KEYBOARD_ROWS, Modal, Permission, PermissionType, RenderData,
};
pub use markdown::{Markdown, MarkdownParam};

use crate::id::MessageId;
use crate::macros::int_enum;
use crate::timestamp::Timestamp;

int_enum! {
    /// `msg_type` of a group or C2C send.
    pub enum MessageType: u8 {
        /// 0: text (`content`).
        Text = 0,
        /// 2: markdown (`markdown`, optionally `keyboard`).
        Markdown = 2,
        /// 3: ark (`ark`).
        Ark = 3,
        /// 4: embed (`embed`); not open for groups and C2C.
        Embed = 4,
        /// 6: typing notice (`input_notify`), C2C only.
        InputNotify = 6,
        /// 7: rich media (`media.file_info`).
        Media = 7,
    }
}

/// `message_reference`: quote a message.
///
/// In channels `message_id` is the guild message id. In groups and C2C it is a `REFIDX_…` index:
/// `ext_info.ref_idx` of a send response, or `msg_idx` of an event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MessageReference {
    /// The quoted message.
    pub message_id: String,
    /// Channels: send even when the quoted message cannot be fetched (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_get_message_error: Option<bool>,
}

impl MessageReference {
    /// Quotes a message.
    pub fn new(message_id: impl Into<String>) -> Self {
        Self {
            message_id: message_id.into(),
            ignore_get_message_error: None,
        }
    }
}

/// `media` of a `msg_type` 7 send.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Media {
    /// `file_info` from the files upload API of the same scene.
    pub file_info: String,
}

impl Media {
    /// Wraps a `file_info`.
    pub fn new(file_info: impl Into<String>) -> Self {
        Self {
            file_info: file_info.into(),
        }
    }
}

int_enum! {
    /// `input_notify.input_type`.
    pub enum InputNotifyType: u8 {
        /// 1: show "typing".
        Typing = 1,
        /// 2: stop showing it.
        Stop = 2,
    }
}

/// `input_notify` of a `msg_type` 6 send (C2C typing notice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct InputNotify {
    /// Show or stop.
    pub input_type: InputNotifyType,
    /// How long to show it, in seconds (at most [`InputNotify::MAX_SECONDS`]).
    #[serde(default)]
    pub input_second: u32,
}

impl InputNotify {
    /// Maximum duration of a typing notice, in seconds.
    pub const MAX_SECONDS: u32 = 60;

    /// Shows "typing" for `seconds`.
    pub const fn typing(seconds: u32) -> Self {
        Self {
            input_type: InputNotifyType::Typing,
            input_second: seconds,
        }
    }
}

/// Response of a group or C2C send.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SendMessageResponse {
    /// Message id (`ROBOT1.0_…`), usable for recall.
    pub id: MessageId,
    /// Send time: RFC 3339 text on the wire in 2026, documented as an integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Extra information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_info: Option<ExtInfo>,
}

/// `ext_info` of a send response.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ExtInfo {
    /// `REFIDX_…` index for quoting this message later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_idx: Option<String>,
}
