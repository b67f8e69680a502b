//! Guild channel and DM messages (AT_MESSAGE_CREATE, MESSAGE_CREATE, DIRECT_MESSAGE_CREATE) and
//! message deletions.

use std::borrow::Cow;

use super::content::{strip_leading_mention, unescape};
use super::guild::{Member, User};
use crate::id::{ChannelId, DmGuildId, GuildId, MessageId, UserId};
use crate::message::{Ark, Embed, MessageReference};
use crate::text::SmallString;
use crate::timestamp::Timestamp;

/// A guild channel or DM message; also the response of a channel or DM send.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ChannelMessage {
    /// Message id; reply with it as `msg_id`.
    pub id: MessageId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Guild id; for DMs the DM session's guild id (see [`dm_guild_id`](Self::dm_guild_id)).
    pub guild_id: GuildId,
    /// Text with embedded tags, `&`, `<` and `>` escaped as entities (see
    /// [`content_text`](Self::content_text)); empty for pure attachments.
    #[serde(default)]
    pub content: String,
    /// Send time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Edit time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_timestamp: Option<Timestamp>,
    /// Whether the message mentions everyone.
    #[serde(default)]
    pub mention_everyone: bool,
    /// The sender.
    pub author: User,
    /// The sender's membership (partial: no `user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Member>,
    /// Mentioned users, including the bot itself.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub mentions: Vec<User>,
    /// Attachments.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub attachments: Vec<Attachment>,
    /// Embeds.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub embeds: Vec<Embed>,
    /// Ark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark: Option<Ark>,
    /// Deprecated channel ordering number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// Ordering within the channel (decimal text); sort by it when order matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq_in_channel: Option<SmallString>,
    /// The quoted message, when the user replied to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_reference: Option<MessageReference>,
    /// `true` for DMs.
    #[serde(default)]
    pub direct_message: bool,
    /// DMs: the guild the DM was started from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src_guild_id: Option<GuildId>,
}

impl ChannelMessage {
    /// Returns the DM session's guild id, the target of `POST /dms/{guild_id}/messages`.
    pub fn dm_guild_id(&self) -> DmGuildId {
        self.guild_id.clone().cast()
    }

    /// Returns the command text: `content` without a leading mention of the bot
    /// (`<@!bot_id>`, `<@bot_id>` or `<qqbot-at-user id="bot_id" />`) and without leading
    /// whitespace. Entities stay escaped; pass the result to [`unescape`] for plain text.
    ///
    /// `bot_id` is the bot's own user id from READY (`user.id`).
    ///
    /// ```
    /// # use qie_model::event::ChannelMessage;
    /// # use qie_model::id::UserId;
    /// # fn check(message: &ChannelMessage) {
    /// // content: "<@!11223344556677889900> /weather Shenzhen"
    /// assert_eq!(message.command_text(&UserId::new("11223344556677889900")), "/weather Shenzhen");
    /// # }
    /// ```
    pub fn command_text(&self, bot_id: &UserId) -> &str {
        strip_leading_mention(&self.content, bot_id.as_str())
    }

    /// Returns `content` with `&amp;`, `&lt;` and `&gt;` decoded. Extract embedded tags before
    /// calling this, because decoded text can look like a tag.
    pub fn content_text(&self) -> Cow<'_, str> {
        unescape(&self.content)
    }
}

/// A message attachment (guild, group and C2C messages).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Attachment {
    /// URL; may lack a scheme (see [`url_with_scheme`](Self::url_with_scheme)).
    #[serde(default)]
    pub url: String,
    /// MIME type such as `image/png`, or `voice` / `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<SmallString>,
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<SmallString>,
    /// Image height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Image width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Attachment id (guild messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SmallString>,
    /// Voice only: WAV transcode URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_wav_url: Option<String>,
    /// Voice only: the platform's speech recognition text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asr_refer_text: Option<String>,
}

impl Attachment {
    /// Returns the URL with `https://` prefixed when it has no scheme.
    pub fn url_with_scheme(&self) -> Cow<'_, str> {
        if self.url.is_empty() || self.url.contains("://") {
            return Cow::Borrowed(&self.url);
        }

        Cow::Owned(format!("https://{}", self.url))
    }

    /// Returns the media kind: the part of `content_type` before `/` (`image`, `video`,
    /// `voice`, `file`).
    pub fn kind(&self) -> Option<&str> {
        let content_type = self.content_type.as_deref()?;

        content_type.split('/').next()
    }
}

/// `d` of MESSAGE_DELETE, PUBLIC_MESSAGE_DELETE and DIRECT_MESSAGE_DELETE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MessageDelete {
    /// The recalled message (partial: at least `id`, `channel_id`, `guild_id`, `author.id`).
    pub message: DeletedMessage,
    /// User who recalled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_user: Option<OpUser>,
}

/// The partial message of a deletion event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct DeletedMessage {
    /// Message id.
    pub id: MessageId,
    /// Channel id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    /// Guild id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<GuildId>,
    /// The original sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<OpUser>,
    /// DMs: `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_message: Option<bool>,
    /// DMs: the guild the DM was started from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src_guild_id: Option<GuildId>,
}

/// A user given only by id.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct OpUser {
    /// User id.
    pub id: UserId,
}
