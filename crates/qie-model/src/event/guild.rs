//! Guild, channel and guild member events, and the guild user and member objects.

use crate::id::{ChannelId, GuildId, RoleId, UnionOpenid, UserId};
use crate::macros::int_enum;
use crate::text::SmallString;
use crate::timestamp::Timestamp;

/// A guild-scope user: message authors, mentions, members.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Guild-scope user id (not a QQ number).
    pub id: UserId,
    /// Display name.
    #[serde(default)]
    pub username: SmallString,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Whether the user is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Cross-app id; only for specially configured bots, never in events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
    /// Cross-app account; only for specially configured bots, never in events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_user_account: Option<String>,
}

/// A guild member (partial in message events: no `user`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Member {
    /// The user (filled by member endpoints, absent in message events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// Guild nickname, often empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick: Option<SmallString>,
    /// Role ids.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::event::null_as_default"
    )]
    pub roles: Vec<RoleId>,
    /// Join time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<Timestamp>,
}

/// `d` of GUILD_CREATE (bot added), GUILD_UPDATE (new state) and GUILD_DELETE (state before
/// deletion).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Guild {
    /// Guild id.
    pub id: GuildId,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Icon URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Owner's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<UserId>,
    /// Whether the bot owns the guild (may be absent in events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<bool>,
    /// Member count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_count: Option<u64>,
    /// Member limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_members: Option<u64>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the bot joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<Timestamp>,
    /// User who triggered the event (events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_user_id: Option<UserId>,
}

int_enum! {
    /// `type` of a channel. Values 1 and 3 are reserved.
    pub enum ChannelType: u32 {
        /// 0: text channel.
        Text = 0,
        /// 2: voice channel.
        Voice = 2,
        /// 4: channel group (category).
        Category = 4,
        /// 5: live channel (in audio/live member events).
        LiveMember = 5,
        /// 10005: live channel.
        Live = 10005,
        /// 10006: application channel.
        Application = 10006,
        /// 10007: forum channel.
        Forum = 10007,
    }
}

int_enum! {
    /// `sub_type` of a text channel.
    pub enum ChannelSubType: u32 {
        /// 0: chat.
        Chat = 0,
        /// 1: announcement.
        Announcement = 1,
        /// 2: guide.
        Guide = 2,
        /// 3: team-up.
        TeamUp = 3,
    }
}

/// `d` of CHANNEL_CREATE, CHANNEL_UPDATE and CHANNEL_DELETE (a subset of the channel object), and
/// the channel object of the REST API.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Channel {
    /// Channel id.
    pub id: ChannelId,
    /// Guild id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<GuildId>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<ChannelType>,
    /// Sub-type (text channels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<ChannelSubType>,
    /// Sort position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    /// Owning category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<ChannelId>,
    /// Creator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<UserId>,
    /// 0 public, 1 owner and admins, 2 owner, admins and listed members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_type: Option<u32>,
    /// 1 everyone, 2 owner, admins and listed members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speak_permission: Option<u32>,
    /// Application id of an application channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// The caller's permission bitmap as decimal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<String>,
    /// User who triggered the event (events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_user_id: Option<UserId>,
}

/// `d` of GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE and GUILD_MEMBER_REMOVE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GuildMemberEvent {
    /// Guild id.
    pub guild_id: GuildId,
    /// The member.
    pub user: User,
    /// Guild nickname, often empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick: Option<String>,
    /// Role ids.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::event::null_as_default"
    )]
    pub roles: Vec<RoleId>,
    /// Join time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<Timestamp>,
    /// Operator (the user themself on a voluntary join).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_user_id: Option<UserId>,
}
