//! Group and C2C messages (GROUP_AT_MESSAGE_CREATE, GROUP_MESSAGE_CREATE, C2C_MESSAGE_CREATE).

use super::channel_message::Attachment;
use super::content::strip_leading_mention;
use crate::id::{GroupOpenid, MemberOpenid, MessageId, UnionOpenid, UserOpenid};
use crate::json::RawJson;
use crate::macros::{int_enum, str_enum};
use crate::text::SmallString;
use crate::timestamp::Timestamp;

int_enum! {
    /// `message_type` of a received group or C2C message.
    pub enum ReceivedMessageType: u32 {
        /// 0: ordinary message.
        Normal = 0,
        /// 3: ark card (`ark_data` set).
        Ark = 3,
        /// 101: "parallel" message.
        Parallel = 101,
        /// 102: chat record.
        ChatRecord = 102,
        /// 103: quote of another message (`msg_elements` set).
        Quote = 103,
    }
}

str_enum! {
    /// `member_role` of a group member.
    pub enum MemberRole {
        /// Ordinary member.
        Member = "member",
        /// Group admin.
        Admin = "admin",
        /// Group owner.
        Owner = "owner",
    }
}

str_enum! {
    /// `scope` of a group mention.
    pub enum MentionScope {
        /// One member.
        Single = "single",
        /// Everyone.
        All = "all",
    }
}

/// `d` of GROUP_AT_MESSAGE_CREATE (the bot was @-mentioned) and GROUP_MESSAGE_CREATE (every
/// message, when the group allows it). A message may arrive as both: de-duplicate by `id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GroupMessage {
    /// Message id; reply with it as `msg_id`.
    pub id: MessageId,
    /// The sender.
    pub author: GroupAuthor,
    /// Text; the @bot tag is removed but the separating space usually stays
    /// (see [`command_text`](Self::command_text)).
    #[serde(default)]
    pub content: String,
    /// Send time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// The group; reply target.
    pub group_openid: GroupOpenid,
    /// Same value as `group_openid` in every capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<GroupOpenid>,
    /// Attachments.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub attachments: Vec<Attachment>,
    /// Mentioned members; GROUP_MESSAGE_CREATE includes the bot with `is_you: true`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub mentions: Vec<GroupMention>,
    /// Scene information (`msg_idx`, `ref_msg_idx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_scene: Option<MessageScene>,
    /// Message kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<ReceivedMessageType>,
    /// Quoted content (`message_type` 103).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub msg_elements: Vec<MsgElement>,
    /// Ark card (`message_type` 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark_data: Option<ArkData>,
}

impl GroupMessage {
    /// Returns the command text: `content` without leading whitespace (including `U+00A0`)
    /// and without a leading mention of this bot, which some bots still receive.
    ///
    /// The bot's member openid is taken from the `mentions` entry with `is_you: true`.
    ///
    /// ```
    /// # use qie_model::event::GroupMessage;
    /// # fn check(message: &GroupMessage) {
    /// // content: " /roll 20"
    /// assert_eq!(message.command_text(), "/roll 20");
    /// # }
    /// ```
    pub fn command_text(&self) -> &str {
        let bot_id = self
            .mentions
            .iter()
            .find(|mention| mention.is_you)
            .and_then(|mention| {
                mention
                    .member_openid
                    .as_ref()
                    .map(MemberOpenid::as_str)
                    .or(mention.id.as_deref())
            })
            .unwrap_or("");

        strip_leading_mention(&self.content, bot_id)
    }

    /// Returns whether this bot is mentioned (always the case for GROUP_AT_MESSAGE_CREATE,
    /// whose `mentions` may omit the bot).
    pub fn mentions_me(&self) -> bool {
        self.mentions.iter().any(|mention| mention.is_you)
    }
}

/// `author` of a group message.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GroupAuthor {
    /// Equal to `member_openid` in captures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SmallString>,
    /// The sender inside this group: the reply key, valid only in this group.
    pub member_openid: MemberOpenid,
    /// Cross-app id, often empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<SmallString>,
    /// Whether the sender is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Role in the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_role: Option<MemberRole>,
    /// Cross-app account (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_user_account: Option<String>,
}

/// One entry of a group message's `mentions`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GroupMention {
    /// One member or everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<MentionScope>,
    /// Openid-like id of the member (single scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SmallString>,
    /// Member openid (single scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_openid: Option<MemberOpenid>,
    /// User openid (sometimes present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_openid: Option<UserOpenid>,
    /// Display name (also sent as `nickname`).
    #[serde(default, alias = "nickname", skip_serializing_if = "Option::is_none")]
    pub username: Option<SmallString>,
    /// Whether the mentioned member is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Whether it is this bot (always true for the everyone scope).
    #[serde(default)]
    pub is_you: bool,
}

/// `message_scene` of a group or C2C message.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MessageScene {
    /// `default` for ordinary chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SmallString>,
    /// `key=value` entries such as `msg_idx=REFIDX_…` and `ref_msg_idx=…`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub ext: Vec<SmallString>,
    /// Callback data (botgo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
}

impl MessageScene {
    /// Returns the value of the first `key=value` entry of `ext` with this key.
    pub fn ext_value(&self, key: &str) -> Option<&str> {
        self.ext.iter().find_map(|entry| {
            let (entry_key, value) = entry.split_once('=')?;
            (entry_key == key).then_some(value)
        })
    }

    /// Returns this message's quote index (`msg_idx`), for `message_reference`.
    pub fn msg_idx(&self) -> Option<&str> {
        self.ext_value("msg_idx")
    }

    /// Returns the quote index of the message this one quotes (`ref_msg_idx`).
    pub fn ref_msg_idx(&self) -> Option<&str> {
        self.ext_value("ref_msg_idx")
    }
}

/// One element of `msg_elements`: a quoted message, possibly nested.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MsgElement {
    /// Quote index of the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_idx: Option<String>,
    /// Sender of the quoted message (sometimes omitted in groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<ElementAuthor>,
    /// Kind of the quoted message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<ReceivedMessageType>,
    /// Text of the quoted message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Attachments of the quoted message.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub attachments: Vec<Attachment>,
    /// Ark card of the quoted message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark_data: Option<ArkData>,
    /// Nested elements.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub msg_elements: Vec<MsgElement>,
}

/// `author` of a quoted element.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ElementAuthor {
    /// Id of the sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Member openid of the sender (groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_openid: Option<MemberOpenid>,
    /// User openid of the sender (C2C).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_openid: Option<UserOpenid>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the sender is a bot.
    #[serde(default)]
    pub bot: bool,
}

/// `ark_data` of a received ark card.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ArkData {
    /// Notification text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Card kind: `tuwen`, `feed`, `miniapp`, `map`, `contact_card`, `video_share`,
    /// `music_together`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark_type: Option<String>,
    /// Card name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark_name: Option<String>,
    /// Card fields, kind-specific.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<RawJson>,
}

/// `d` of C2C_MESSAGE_CREATE.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct C2cMessage {
    /// Message id; reply with it as `msg_id`.
    pub id: MessageId,
    /// The sender.
    pub author: C2cAuthor,
    /// Plain text, without mention tags.
    #[serde(default)]
    pub content: String,
    /// Send time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Attachments.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub attachments: Vec<Attachment>,
    /// Scene information (`msg_idx`, `ref_msg_idx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_scene: Option<MessageScene>,
    /// Message kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<ReceivedMessageType>,
    /// Quoted content (`message_type` 103).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub msg_elements: Vec<MsgElement>,
    /// Ark card (`message_type` 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ark_data: Option<ArkData>,
}

impl C2cMessage {
    /// Returns the command text: `content` without leading whitespace.
    pub fn command_text(&self) -> &str {
        strip_leading_mention(&self.content, "")
    }
}

/// `author` of a C2C message.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct C2cAuthor {
    /// Equal to `user_openid` in captures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SmallString>,
    /// The sender: the `{openid}` of `POST /v2/users/{openid}/messages`.
    pub user_openid: UserOpenid,
    /// Cross-app id, often empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
    /// Display name (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<SmallString>,
}
