//! Send bodies for the four scenes and their validating builders.

use std::fmt;

use super::{
    Ark, Embed, InputNotify, Keyboard, MAX_BUTTONS_PER_ROW, MAX_KEYBOARD_ROWS, Markdown, Media,
    MessageReference, MessageType,
};
use crate::id::{EventId, MessageId};

/// The conversation kind a message is sent to.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scene {
    /// A guild text channel.
    Channel,
    /// A guild direct-message session.
    Dm,
    /// A group.
    Group,
    /// A one-to-one chat.
    C2c,
}

impl fmt::Display for Scene {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Channel => "channel",
            Self::Dm => "DM",
            Self::Group => "group",
            Self::C2c => "C2C",
        })
    }
}

/// Body of a channel or DM send.
///
/// At least one of `content`, `embed`, `ark`, `image` and `markdown` is required (50006), and a
/// markdown message may only add a keyboard (50037). There is no `msg_type` or `msg_seq`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GuildMessage {
    /// Text with embedded tags (`<@!user_id>`, `<#channel_id>`, `<emoji:id>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Embed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed: Option<Embed>,
    /// Ark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark: Option<Ark>,
    /// Quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_reference: Option<MessageReference>,
    /// Image URL (the platform re-hosts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Passive reply to this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<MessageId>,
    /// Passive reply to this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<EventId>,
    /// Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<Markdown>,
    /// Keyboard (needs `markdown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Keyboard>,
}

/// Body of a group or C2C send.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct OpenMessage {
    /// Text; required for `msg_type` 0, optional with media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Message type, matching the companion field.
    pub msg_type: MessageType,
    /// Markdown (`msg_type` 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<Markdown>,
    /// Keyboard (with markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<Keyboard>,
    /// Ark (`msg_type` 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark: Option<Ark>,
    /// Embed (`msg_type` 4, not open for groups and C2C; kept so received bodies parse).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed: Option<Embed>,
    /// Media (`msg_type` 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    /// Quote (`REFIDX_…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_reference: Option<MessageReference>,
    /// Passive reply to this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<EventId>,
    /// Passive reply to this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<MessageId>,
    /// Reply number for one `msg_id`/`event_id` (default 1); the pair must be unique (40054005).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u32>,
    /// C2C wake-up message (mutually exclusive with `msg_id` and `event_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_wakeup: Option<bool>,
    /// C2C typing notice (`msg_type` 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_notify: Option<InputNotify>,
}

/// A message combination the platform rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageError {
    kind: MessageErrorKind,
}

/// The reason a message was rejected. Field names are the wire names.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageErrorKind {
    /// Nothing to send (error 50006 "empty message").
    Empty,
    /// Two fields that cannot be sent together.
    Conflict {
        /// The first field.
        field: &'static str,
        /// The field it conflicts with.
        other: &'static str,
    },
    /// A field that needs another one.
    Requires {
        /// The field that was set.
        field: &'static str,
        /// The field it needs.
        requires: &'static str,
    },
    /// A field this scene does not support.
    Unsupported {
        /// The field.
        field: &'static str,
        /// The scene.
        scene: Scene,
    },
    /// A value out of its documented range.
    OutOfRange {
        /// The field.
        field: &'static str,
        /// The value sent.
        value: usize,
        /// The maximum allowed.
        max: usize,
    },
}

impl MessageError {
    const fn new(kind: MessageErrorKind) -> Self {
        Self { kind }
    }

    /// Returns what was wrong.
    pub const fn kind(&self) -> &MessageErrorKind {
        &self.kind
    }
}

impl fmt::Display for MessageError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            MessageErrorKind::Empty => formatter.write_str(
                "message is empty: set `content`, `markdown`, `ark`, `embed`, `image` or `media`",
            ),
            MessageErrorKind::Conflict { field, other } => write!(
                formatter,
                "`{field}` cannot be sent together with `{other}`: remove one of them"
            ),
            MessageErrorKind::Requires { field, requires } => {
                write!(formatter, "`{field}` requires `{requires}`")
            }
            MessageErrorKind::Unsupported { field, scene } => {
                write!(formatter, "`{field}` is not supported in {scene} messages")
            }
            MessageErrorKind::OutOfRange { field, value, max } => {
                write!(
                    formatter,
                    "`{field}` is {value}, above the maximum of {max}"
                )
            }
        }
    }
}

impl std::error::Error for MessageError {}

impl GuildMessage {
    /// Starts a channel or DM message.
    pub fn builder() -> GuildMessageBuilder {
        GuildMessageBuilder {
            message: Self::default(),
        }
    }

    /// Checks the combinations the platform rejects.
    ///
    /// # Errors
    ///
    /// Returns [`MessageError`] naming the field: nothing to send, markdown combined with
    /// anything but a keyboard, a keyboard without markdown, or an invalid markdown or keyboard.
    pub fn validate(&self) -> Result<(), MessageError> {
        if let Some(markdown) = &self.markdown {
            validate_markdown(markdown)?;
            let others = [
                ("content", self.content.is_some()),
                ("embed", self.embed.is_some()),
                ("ark", self.ark.is_some()),
                ("image", self.image.is_some()),
            ];
            if let Some((other, _)) = others.iter().find(|(_, present)| *present) {
                return Err(conflict("markdown", other));
            }
        }

        if let Some(keyboard) = &self.keyboard {
            if self.markdown.is_none() {
                return Err(requires("keyboard", "markdown"));
            }
            validate_keyboard(keyboard)?;
        }

        let has_body = has_text(self.content.as_deref())
            || self.embed.is_some()
            || self.ark.is_some()
            || self.image.is_some()
            || self.markdown.is_some();
        if !has_body {
            return Err(MessageError::new(MessageErrorKind::Empty));
        }

        Ok(())
    }
}

/// Setters shared by both builders; each stores the value in `self.message`.
macro_rules! body_setters {
    () => {
        /// Sets the text (group and C2C: also allowed beside media).
        pub fn content(mut self, content: impl Into<String>) -> Self {
            self.message.content = Some(content.into());
            self
        }

        /// Sets the markdown.
        pub fn markdown(mut self, markdown: Markdown) -> Self {
            self.message.markdown = Some(markdown);
            self
        }

        /// Sets the keyboard (needs markdown).
        pub fn keyboard(mut self, keyboard: Keyboard) -> Self {
            self.message.keyboard = Some(keyboard);
            self
        }

        /// Sets the ark.
        pub fn ark(mut self, ark: Ark) -> Self {
            self.message.ark = Some(ark);
            self
        }

        /// Sets the embed (channels and DMs only: `build` rejects it in groups and C2C).
        pub fn embed(mut self, embed: Embed) -> Self {
            self.message.embed = Some(embed);
            self
        }

        /// Quotes a message (groups and C2C: by its `REFIDX_…` index).
        pub fn reference(mut self, reference: MessageReference) -> Self {
            self.message.message_reference = Some(reference);
            self
        }
    };
}

/// Builder of [`GuildMessage`].
#[must_use]
#[derive(Clone, Debug)]
pub struct GuildMessageBuilder {
    message: GuildMessage,
}

impl GuildMessageBuilder {
    body_setters!();

    /// Sets an image URL.
    pub fn image(mut self, url: impl Into<String>) -> Self {
        self.message.image = Some(url.into());
        self
    }

    /// Makes it a passive reply to a received message.
    pub fn reply_to(mut self, msg_id: MessageId) -> Self {
        self.message.msg_id = Some(msg_id);
        self
    }

    /// Makes it a passive reply to a received event.
    pub fn event_id(mut self, event_id: EventId) -> Self {
        self.message.event_id = Some(event_id);
        self
    }

    /// Validates and returns the body.
    ///
    /// # Errors
    ///
    /// As [`GuildMessage::validate`].
    pub fn build(self) -> Result<GuildMessage, MessageError> {
        self.message.validate()?;

        Ok(self.message)
    }
}

impl OpenMessage {
    /// Starts a group message.
    pub fn group() -> OpenMessageBuilder {
        OpenMessageBuilder::new(Scene::Group)
    }

    /// Starts a C2C message.
    pub fn c2c() -> OpenMessageBuilder {
        OpenMessageBuilder::new(Scene::C2c)
    }

    /// Checks the combinations the platform rejects in `scene` (group or C2C).
    ///
    /// # Errors
    ///
    /// Returns [`MessageError`] naming the field in these cases:
    /// * several bodies at once (markdown, ark, media, embed, typing notice);
    /// * text beside markdown, ark or a typing notice, or a keyboard without markdown;
    /// * an embed, or a wake-up or typing notice outside C2C, or a wake-up with a reply id;
    /// * a `msg_type` that does not match the body, or nothing to send.
    pub fn validate(&self, scene: Scene) -> Result<(), MessageError> {
        if matches!(scene, Scene::Channel | Scene::Dm) {
            return Err(unsupported("msg_type", scene));
        }

        let bodies = [
            ("markdown", self.markdown.is_some(), MessageType::Markdown),
            ("ark", self.ark.is_some(), MessageType::Ark),
            ("media", self.media.is_some(), MessageType::Media),
            ("embed", self.embed.is_some(), MessageType::Embed),
            (
                "input_notify",
                self.input_notify.is_some(),
                MessageType::InputNotify,
            ),
        ];
        let mut present = bodies.iter().filter(|(_, present, _)| *present);
        let body = present.next();
        if let (Some((field, ..)), Some((other, ..))) = (body, present.next()) {
            return Err(conflict(field, other));
        }

        if self.embed.is_some() {
            return Err(unsupported("embed", scene));
        }
        if self.content.is_some()
            && let Some((field, ..)) = body.filter(|(field, ..)| *field != "media")
        {
            return Err(conflict("content", field));
        }
        if self.keyboard.is_some() && self.markdown.is_none() {
            return Err(requires("keyboard", "markdown"));
        }
        if let Some(markdown) = &self.markdown {
            validate_markdown(markdown)?;
        }
        if let Some(keyboard) = &self.keyboard {
            validate_keyboard(keyboard)?;
        }
        self.validate_c2c_only(scene)?;

        let expected = body.map_or(MessageType::Text, |(_, _, msg_type)| *msg_type);
        if self.msg_type != expected {
            return Err(conflict(
                "msg_type",
                body.map_or("content", |(field, ..)| *field),
            ));
        }
        if expected == MessageType::Text && !has_text(self.content.as_deref()) {
            return Err(MessageError::new(MessageErrorKind::Empty));
        }

        Ok(())
    }

    fn validate_c2c_only(&self, scene: Scene) -> Result<(), MessageError> {
        if self.is_wakeup == Some(true) {
            if scene != Scene::C2c {
                return Err(unsupported("is_wakeup", scene));
            }
            if self.msg_id.is_some() {
                return Err(conflict("is_wakeup", "msg_id"));
            }
            if self.event_id.is_some() {
                return Err(conflict("is_wakeup", "event_id"));
            }
        }

        if let Some(notify) = &self.input_notify {
            if scene != Scene::C2c {
                return Err(unsupported("input_notify", scene));
            }
            if notify.input_second > InputNotify::MAX_SECONDS {
                return Err(out_of_range(
                    "input_notify.input_second",
                    notify.input_second as usize,
                    InputNotify::MAX_SECONDS as usize,
                ));
            }
        }

        Ok(())
    }
}

/// Builder of [`OpenMessage`]; `msg_type` follows from the body that is set.
#[must_use]
#[derive(Clone, Debug)]
pub struct OpenMessageBuilder {
    scene: Scene,
    message: OpenMessage,
}

impl OpenMessageBuilder {
    fn new(scene: Scene) -> Self {
        Self {
            scene,
            message: OpenMessage {
                content: None,
                msg_type: MessageType::Text,
                markdown: None,
                keyboard: None,
                ark: None,
                embed: None,
                media: None,
                message_reference: None,
                event_id: None,
                msg_id: None,
                msg_seq: None,
                is_wakeup: None,
                input_notify: None,
            },
        }
    }

    body_setters!();

    /// Sets uploaded media by its `file_info`.
    pub fn media(mut self, file_info: impl Into<String>) -> Self {
        self.message.media = Some(Media::new(file_info));
        self
    }

    /// Makes it the `msg_seq`-th passive reply to a received message.
    pub fn reply_to(mut self, msg_id: MessageId, msg_seq: u32) -> Self {
        self.message.msg_id = Some(msg_id);
        self.message.msg_seq = Some(msg_seq);
        self
    }

    /// Makes it the `msg_seq`-th passive reply to a received event.
    pub fn reply_to_event(mut self, event_id: EventId, msg_seq: u32) -> Self {
        self.message.event_id = Some(event_id);
        self.message.msg_seq = Some(msg_seq);
        self
    }

    /// Sets `msg_seq` alone.
    pub fn msg_seq(mut self, msg_seq: u32) -> Self {
        self.message.msg_seq = Some(msg_seq);
        self
    }

    /// Makes it a C2C wake-up message.
    pub fn wakeup(mut self) -> Self {
        self.message.is_wakeup = Some(true);
        self
    }

    /// Makes it a C2C typing notice shown for `seconds` (at most 60).
    pub fn typing(mut self, seconds: u32) -> Self {
        self.message.input_notify = Some(InputNotify::typing(seconds));
        self
    }

    /// Sets `msg_type` from the body, validates and returns the message.
    ///
    /// # Errors
    ///
    /// As [`OpenMessage::validate`].
    pub fn build(mut self) -> Result<OpenMessage, MessageError> {
        let message = &mut self.message;
        message.msg_type = if message.markdown.is_some() {
            MessageType::Markdown
        } else if message.ark.is_some() {
            MessageType::Ark
        } else if message.media.is_some() {
            MessageType::Media
        } else if message.embed.is_some() {
            MessageType::Embed
        } else if message.input_notify.is_some() {
            MessageType::InputNotify
        } else {
            MessageType::Text
        };
        self.message.validate(self.scene)?;

        Ok(self.message)
    }
}

fn validate_markdown(markdown: &Markdown) -> Result<(), MessageError> {
    if markdown.content.is_some() && markdown.is_template() {
        // Error 50057: native markdown and a template are exclusive.
        return Err(conflict("markdown.content", "markdown.custom_template_id"));
    }
    if markdown.custom_template_id.is_some() && markdown.template_id.is_some() {
        return Err(conflict(
            "markdown.custom_template_id",
            "markdown.template_id",
        ));
    }
    if markdown.content.is_none()
        && markdown.custom_template_id.is_none()
        && markdown.template_id.is_none()
    {
        return Err(requires(
            "markdown",
            "markdown.content or markdown.custom_template_id",
        ));
    }

    Ok(())
}

fn validate_keyboard(keyboard: &Keyboard) -> Result<(), MessageError> {
    let Some(content) = &keyboard.content else {
        if keyboard.id.is_none() {
            return Err(requires("keyboard", "keyboard.id or keyboard.content"));
        }
        return Ok(());
    };

    if keyboard.id.is_some() {
        return Err(conflict("keyboard.id", "keyboard.content"));
    }
    if content.rows.len() > MAX_KEYBOARD_ROWS {
        return Err(out_of_range(
            "keyboard.content.rows",
            content.rows.len(),
            MAX_KEYBOARD_ROWS,
        ));
    }
    if let Some(row) = content
        .rows
        .iter()
        .find(|row| row.buttons.len() > MAX_BUTTONS_PER_ROW)
    {
        return Err(out_of_range(
            "keyboard.content.rows[].buttons",
            row.buttons.len(),
            MAX_BUTTONS_PER_ROW,
        ));
    }

    Ok(())
}

fn has_text(content: Option<&str>) -> bool {
    content.is_some_and(|text| !text.is_empty())
}

const fn conflict(field: &'static str, other: &'static str) -> MessageError {
    MessageError::new(MessageErrorKind::Conflict { field, other })
}

const fn requires(field: &'static str, requires: &'static str) -> MessageError {
    MessageError::new(MessageErrorKind::Requires { field, requires })
}

const fn unsupported(field: &'static str, scene: Scene) -> MessageError {
    MessageError::new(MessageErrorKind::Unsupported { field, scene })
}

const fn out_of_range(field: &'static str, value: usize, max: usize) -> MessageError {
    MessageError::new(MessageErrorKind::OutOfRange { field, value, max })
}
