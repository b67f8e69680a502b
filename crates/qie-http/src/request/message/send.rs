//! Request construction shared by every message send (direct sends and replies).

use bytes::Bytes;
use qie_model::id::{ChannelId, DmGuildId, GroupOpenid, UserOpenid};
use qie_model::message::{GuildMessage, MessageError, MessageErrorKind, OpenMessage, Scene};
use reqwest::Method;
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::request::core::MultipartPart;
use crate::request::{Body, Replay, Request};
use crate::route::{Conversation, Route, Traffic};

/// `POST /channels/{channel_id}/messages`.
pub(crate) const CHANNEL_ROUTE: Route = Route::new(Method::POST, "/channels/{channel_id}/messages");
/// `POST /dms/{guild_id}/messages`.
pub(crate) const DM_ROUTE: Route = Route::new(Method::POST, "/dms/{guild_id}/messages");
/// `POST /v2/groups/{group_openid}/messages`.
pub(crate) const GROUP_ROUTE: Route =
    Route::new(Method::POST, "/v2/groups/{group_openid}/messages");
/// `POST /v2/users/{openid}/messages`.
pub(crate) const C2C_ROUTE: Route = Route::new(Method::POST, "/v2/users/{openid}/messages");

/// The target of a guild-style message (channel or DM session).
#[derive(Clone, Debug)]
pub(crate) enum GuildTarget {
    Channel(ChannelId),
    DirectMessage(DmGuildId),
}

/// The target of an openid-addressed message (group or C2C).
#[derive(Clone, Debug)]
pub(crate) enum OpenTarget {
    Group(GroupOpenid),
    C2c(UserOpenid),
}

impl OpenTarget {
    pub(crate) fn scene(&self) -> Scene {
        match self {
            Self::Group(_) => Scene::Group,
            Self::C2c(_) => Scene::C2c,
        }
    }
}

/// An image uploaded with a channel or DM message (`file_image`, multipart).
#[derive(Clone, Debug)]
pub(crate) struct FileImage {
    pub(crate) bytes: Bytes,
    pub(crate) file_name: String,
}

/// Turns a payload error of `qie_model` into a validation error naming the field.
pub(crate) fn message_error(scene: Scene, source: MessageError) -> Error {
    Error::with_source(
        ErrorKind::Validation {
            message: format!("invalid {scene} message: {source}").into(),
        },
        source,
    )
}

/// Builds the request of a group or C2C send after validating `message`.
pub(crate) fn open_message_request(
    target: &OpenTarget,
    message: &OpenMessage,
) -> Result<Request, Error> {
    let scene = target.scene();
    message
        .validate(scene)
        .map_err(|source| message_error(scene, source))?;

    let passive = message.msg_id.is_some() || message.event_id.is_some();
    let (route, id, conversation) = match target {
        OpenTarget::Group(group) => (
            GROUP_ROUTE,
            group.as_str(),
            Conversation::Group(group.clone()),
        ),
        OpenTarget::C2c(user) => (C2C_ROUTE, user.as_str(), Conversation::User(user.clone())),
    };

    // The platform de-duplicates a passive send with `msg_seq`, so a retry cannot post twice.
    // Any other send is not repeated once it may have reached the platform.
    let replay = if passive && message.msg_seq.is_some() {
        Replay::Sequenced
    } else {
        Replay::Unsafe
    };

    Request::new(route, &[id])?
        .conversation(conversation)
        .traffic(if passive {
            Traffic::Passive
        } else {
            Traffic::Proactive
        })
        .replay(replay)
        .creates_message()
        .json(message)
}

/// Builds the request of a channel or DM send after validating `message`.
pub(crate) fn guild_message_request(
    target: &GuildTarget,
    message: &GuildMessage,
    file_image: Option<&FileImage>,
) -> Result<Request, Error> {
    let scene = match target {
        GuildTarget::Channel(_) => Scene::Channel,
        GuildTarget::DirectMessage(_) => Scene::Dm,
    };

    // An uploaded image is a body of its own, so a message with only `file_image` is not empty.
    match message.validate() {
        Ok(()) => {}
        Err(error) if file_image.is_some() && *error.kind() == MessageErrorKind::Empty => {}
        Err(error) => return Err(message_error(scene, error)),
    }

    let passive = message.msg_id.is_some() || message.event_id.is_some();
    let (route, id, conversation) = match target {
        GuildTarget::Channel(channel) => (
            CHANNEL_ROUTE,
            channel.as_str(),
            Conversation::Channel(channel.clone()),
        ),
        GuildTarget::DirectMessage(guild) => (
            DM_ROUTE,
            guild.as_str(),
            Conversation::DirectMessage(guild.clone()),
        ),
    };

    let request = Request::new(route, &[id])?
        .conversation(conversation)
        .traffic(if passive {
            Traffic::Passive
        } else {
            Traffic::Proactive
        })
        .creates_message();

    match file_image {
        None => request.json(message),
        Some(image) => Ok(multipart_request(request, message, image)?),
    }
}

/// Encodes a guild message as `multipart/form-data`: text fields as text parts, objects as JSON
/// parts, and the image as `file_image`.
fn multipart_request(
    mut request: Request,
    message: &GuildMessage,
    image: &FileImage,
) -> Result<Request, Error> {
    let value = serde_json::to_value(message).map_err(|source| {
        Error::with_source(
            ErrorKind::Validation {
                message: "failed to encode the message".into(),
            },
            source,
        )
    })?;

    let mut parts = Vec::new();
    if let serde_json::Value::Object(fields) = value {
        for (name, field) in fields {
            let Some(name) = MULTIPART_FIELDS.iter().find(|known| **known == name) else {
                continue;
            };
            let part = match field {
                serde_json::Value::String(text) => MultipartPart {
                    name,
                    bytes: Bytes::from(text),
                    file_name: None,
                    content_type: "text/plain; charset=utf-8",
                },
                other => MultipartPart {
                    name,
                    bytes: Bytes::from(json_bytes(&other)?),
                    file_name: None,
                    content_type: "application/json",
                },
            };
            parts.push(part);
        }
    }

    parts.push(MultipartPart {
        name: "file_image",
        bytes: image.bytes.clone(),
        file_name: Some(image.file_name.clone()),
        content_type: image_content_type(&image.file_name),
    });
    request.body = Body::Multipart(parts);

    Ok(request)
}

/// Every field of a guild message, as `&'static str` part names.
const MULTIPART_FIELDS: &[&str] = &[
    "content",
    "embed",
    "ark",
    "message_reference",
    "image",
    "msg_id",
    "event_id",
    "markdown",
    "keyboard",
];

fn json_bytes(value: &impl Serialize) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|source| {
        Error::with_source(
            ErrorKind::Validation {
                message: "failed to encode a message field".into(),
            },
            source,
        )
    })
}

fn image_content_type(file_name: &str) -> &'static str {
    let extension = std::path::Path::new(file_name)
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();

    match extension.as_str() {
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// Expands to the body setters shared by the guild-style send builders ([`CreateMessage`] and
/// [`CreateDirectMessage`]), which have `message: GuildMessage` and
/// `file_image: Option<FileImage>` fields.
///
/// [`CreateMessage`]: crate::request::message::CreateMessage
/// [`CreateDirectMessage`]: crate::request::direct_message::CreateDirectMessage
macro_rules! guild_message_setters {
    () => {
        /// Sets the text (`<@!user_id>`, `<#channel_id>` and `<emoji:id>` tags are rendered).
        pub fn content(mut self, content: &str) -> Self {
            self.message.content = Some(content.to_owned());
            self
        }

        /// Sets the embed.
        pub fn embed(mut self, embed: ::qie_model::message::Embed) -> Self {
            self.message.embed = Some(embed);
            self
        }

        /// Sets the ark.
        pub fn ark(mut self, ark: ::qie_model::message::Ark) -> Self {
            self.message.ark = Some(ark);
            self
        }

        /// Sets an image by URL (the platform downloads and re-hosts it).
        pub fn image(mut self, url: &str) -> Self {
            self.message.image = Some(url.to_owned());
            self
        }

        /// Uploads an image with the message (`multipart/form-data`, part `file_image`).
        pub fn file_image(mut self, bytes: impl Into<::bytes::Bytes>, file_name: &str) -> Self {
            self.file_image = Some($crate::request::message::send::FileImage {
                bytes: bytes.into(),
                file_name: file_name.to_owned(),
            });
            self
        }

        /// Sets the markdown.
        pub fn markdown(mut self, markdown: ::qie_model::message::Markdown) -> Self {
            self.message.markdown = Some(markdown);
            self
        }

        /// Sets the keyboard (requires markdown).
        pub fn keyboard(mut self, keyboard: ::qie_model::message::Keyboard) -> Self {
            self.message.keyboard = Some(keyboard);
            self
        }

        /// Quotes a message.
        pub fn reference(mut self, reference: ::qie_model::message::MessageReference) -> Self {
            self.message.message_reference = Some(reference);
            self
        }

        /// Makes it a passive reply to a received message.
        pub fn reply_to(mut self, msg_id: ::qie_model::id::MessageId) -> Self {
            self.message.msg_id = Some(msg_id);
            self
        }

        /// Makes it a passive reply to a received event.
        pub fn reply_to_event(mut self, event_id: ::qie_model::id::EventId) -> Self {
            self.message.event_id = Some(event_id);
            self
        }

        /// Replaces the whole body with a prepared message.
        pub fn message(mut self, message: ::qie_model::message::GuildMessage) -> Self {
            self.message = message;
            self
        }
    };
}

pub(crate) use guild_message_setters;
