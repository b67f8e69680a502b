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
