//! Message reactions and message audit results.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::id::{AuditId, ChannelId, GroupOpenid, GuildId, MessageId, UserId, UserOpenid};
use crate::macros::int_enum;
use crate::timestamp::Timestamp;

/// `d` of MESSAGE_REACTION_ADD and MESSAGE_REACTION_REMOVE (guild only).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MessageReaction {
    /// Who reacted.
    pub user_id: UserId,
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Message or post the reaction is on.
    pub target: ReactionTarget,
    /// The emoji.
    pub emoji: Emoji,
}

/// `target` of a reaction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ReactionTarget {
    /// Message, thread, comment or reply id.
    pub id: String,
    /// Kind of target.
    #[serde(rename = "type")]
    pub target_type: ReactionTargetType,
}

/// Kind of reaction target. Documented as an integer, observed as a string
/// (`ReactionTargetType_MSG`); both parse, and serializing writes the observed string.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReactionTargetType {
    /// 0 / `ReactionTargetType_MSG`: a message.
    Message,
    /// 1 / `ReactionTargetType_FEED`: a thread.
    Thread,
    /// 2 / `ReactionTargetType_COMMNENT` (sic): a comment.
    Comment,
    /// 3 / `ReactionTargetType_REPLY`: a reply.
    Reply,
    /// Any other value, as text.
    Unknown(String),
}

impl ReactionTargetType {
    fn from_number(value: u64) -> Self {
        match value {
            0 => Self::Message,
            1 => Self::Thread,
            2 => Self::Comment,
            3 => Self::Reply,
            other => Self::Unknown(other.to_string()),
        }
    }

    fn from_text(value: &str) -> Self {
        match value {
            "ReactionTargetType_MSG" => Self::Message,
            "ReactionTargetType_FEED" => Self::Thread,
            "ReactionTargetType_COMMNENT" | "ReactionTargetType_COMMENT" => Self::Comment,
            "ReactionTargetType_REPLY" => Self::Reply,
            other => other
                .parse()
                .map_or_else(|_| Self::Unknown(other.to_owned()), Self::from_number),
        }
    }

    /// Returns the string form the platform sends.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Message => "ReactionTargetType_MSG",
            Self::Thread => "ReactionTargetType_FEED",
            Self::Comment => "ReactionTargetType_COMMNENT",
            Self::Reply => "ReactionTargetType_REPLY",
            Self::Unknown(other) => other,
        }
    }
}

impl Serialize for ReactionTargetType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReactionTargetType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TargetVisitor;

        impl Visitor<'_> for TargetVisitor {
            type Value = ReactionTargetType;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a reaction target type as an integer or a string")
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<ReactionTargetType, E> {
                Ok(ReactionTargetType::from_number(value))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<ReactionTargetType, E> {
                Ok(ReactionTargetType::Unknown(value.to_string()))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ReactionTargetType, E> {
                Ok(ReactionTargetType::from_text(value))
            }
        }

        deserializer.deserialize_any(TargetVisitor)
    }
}

int_enum! {
    /// `emoji.type`.
    pub enum EmojiType: u8 {
        /// 1: system emoji (numeric id).
        System = 1,
        /// 2: Unicode emoji (the character is the id).
        Unicode = 2,
    }
}

/// An emoji.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Emoji {
    /// System emoji id (`76` is 赞) or the Unicode character.
    pub id: String,
    /// Kind.
    #[serde(rename = "type")]
    pub emoji_type: EmojiType,
}

/// `d` of MESSAGE_AUDIT_PASS and MESSAGE_AUDIT_REJECT: the manual audit of a message whose send
/// returned 304023 or 304024.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MessageAudited {
    /// Matches `data.message_audit.audit_id` of the send response.
    pub audit_id: AuditId,
    /// The delivered message (PASS only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    /// Guild scene: guild id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<GuildId>,
    /// Guild scene: channel id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    /// C2C audits: the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_openid: Option<UserOpenid>,
    /// Group audits: the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_openid: Option<GroupOpenid>,
    /// Audit time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_time: Option<Timestamp>,
    /// Message creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
    /// Ordering within the channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq_in_channel: Option<String>,
}
