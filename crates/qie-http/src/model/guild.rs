//! Guild REST objects: the bot's profile, roles, permissions, settings, pins, announcements,
//! schedules, reactions, DMs and API permissions.

use qie_model::event::{Member, User};
use qie_model::id::{ChannelId, DmGuildId, GuildId, MessageId, RoleId, UnionOpenid, UserId};
use qie_model::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use super::lenient;
use super::macros::int_enum;

/// `GET /users/@me`: the bot's own guild-scope user and profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrentUser {
    /// The bot's guild-scope user id.
    pub id: UserId,
    /// Name.
    #[serde(default)]
    pub username: String,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Whether the user is a bot (may be absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<bool>,
    /// Cross-app id (specially configured bots only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
    /// Cross-app account (specially configured bots only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_user_account: Option<String>,
    /// Link that adds the bot (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_url: Option<String>,
    /// Welcome message shown to new users (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_msg: Option<String>,
}

/// `GET /guilds/{guild_id}/message/setting`: the guild's message-frequency settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageSetting {
    /// Whether members may not start DMs with the bot (documented as a string, sent as a bool).
    #[serde(default, deserialize_with = "lenient::bool_like")]
    pub disable_create_dm: bool,
    /// Whether proactive messages are disabled.
    #[serde(default, deserialize_with = "lenient::bool_like")]
    pub disable_push_msg: bool,
    /// Channels that accept proactive messages.
    #[serde(default)]
    pub channel_ids: Vec<ChannelId>,
    /// Channels that may receive proactive messages per day.
    #[serde(default)]
    pub channel_push_max_num: u32,
}

/// `GET /channels/{channel_id}/online_nums`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OnlineNums {
    /// Members online in the voice or live channel.
    #[serde(default)]
    pub online_nums: u64,
}

/// A guild role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Role {
    /// Role id (`1` everyone, `2` admin, `4` owner, `5` channel admin).
    pub id: RoleId,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// ARGB colour as a number.
    #[serde(default)]
    pub color: u32,
    /// 1 when members are shown separately.
    #[serde(default)]
    pub hoist: u32,
    /// Number of members.
    #[serde(default)]
    pub number: u32,
    /// Member limit.
    #[serde(default)]
    pub member_limit: u32,
}

/// `GET /guilds/{guild_id}/roles`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GuildRoles {
    /// Guild id.
    pub guild_id: GuildId,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Maximum number of roles (a string on the wire).
    #[serde(
        default,
        deserialize_with = "lenient::option_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub role_num_limit: Option<u64>,
}

/// `POST /guilds/{guild_id}/roles`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedRole {
    /// Id of the new role.
    pub role_id: RoleId,
    /// The new role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// `PATCH /guilds/{guild_id}/roles/{role_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpdatedRole {
    /// Guild id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<GuildId>,
    /// Role id.
    pub role_id: RoleId,
    /// The role after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// `GET /guilds/{guild_id}/roles/{role_id}/members`: one page of a role's members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleMembers {
    /// Members of this page.
    #[serde(default)]
    pub data: Vec<Member>,
    /// `start_index` of the next page.
    #[serde(default)]
    pub next: String,
}

/// A member's or role's permissions in one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChannelPermissions {
    /// Channel id.
    pub channel_id: ChannelId,
    /// The member, for member permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// The role, for role permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<RoleId>,
    /// Permission bitmap as decimal text: 1 view, 2 manage, 4 speak, 8 live stream.
    #[serde(default)]
    pub permissions: String,
}

impl ChannelPermissions {
    /// Parses the bitmap; `None` when it is not a decimal number.
    pub fn bits(&self) -> Option<u64> {
        self.permissions.parse().ok()
    }
}

/// Result of muting several members: the members actually muted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MutedMembers {
    /// Muted members.
    #[serde(default)]
    pub user_ids: Vec<UserId>,
}

/// `GET /guilds/{guild_id}/api_permission`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiPermissions {
    /// APIs and whether the bot may call them.
    #[serde(default)]
    pub apis: Vec<ApiPermission>,
}

/// One API and the bot's authorisation for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiPermission {
    /// Path template, e.g. `/guilds/{guild_id}/members/{user_id}`.
    pub path: String,
    /// HTTP method.
    pub method: String,
    /// Description.
    #[serde(default)]
    pub desc: String,
    /// Whether the API is authorised (1 on the wire).
    #[serde(default, deserialize_with = "lenient::bool_like")]
    pub auth_status: bool,
}

/// An API named by path and method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiIdentify {
    /// Path template.
    pub path: String,
    /// HTTP method.
    pub method: String,
}

impl ApiIdentify {
    /// Names an API.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            method: method.into(),
        }
    }
}

/// `POST /guilds/{guild_id}/api_permission/demand`: the posted authorisation request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiPermissionDemand {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel the request was posted in.
    pub channel_id: ChannelId,
    /// The requested API.
    pub api_identify: ApiIdentify,
    /// Title of the request.
    #[serde(default)]
    pub title: String,
    /// Description.
    #[serde(default)]
    pub desc: String,
}

/// `POST /users/@me/dms`: a DM session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DmSession {
    /// The DM session's own guild id: pass it to `POST /dms/{guild_id}/messages`.
    pub guild_id: DmGuildId,
    /// Channel id of the session.
    pub channel_id: ChannelId,
    /// Creation time (Unix seconds as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
}

/// Pinned messages of a channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PinsMessage {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Every pinned message of the channel after the call.
    #[serde(default)]
    pub message_ids: Vec<MessageId>,
}

int_enum! {
    /// `announces_type` of a guild announcement.
    pub enum AnnounceType: u32 {
        /// 0: member announcement.
        Member = 0,
        /// 1: welcome announcement.
        Welcome = 1,
    }
}

/// A recommended channel of an announcement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecommendChannel {
    /// Channel id.
    pub channel_id: ChannelId,
    /// Introduction text.
    #[serde(default)]
    pub introduce: String,
}

impl RecommendChannel {
    /// Recommends a channel.
    pub fn new(channel_id: ChannelId, introduce: impl Into<String>) -> Self {
        Self {
            channel_id,
            introduce: introduce.into(),
        }
    }
}

/// A guild or channel announcement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Announces {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel of the announced message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    /// Announced message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    /// Kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announces_type: Option<AnnounceType>,
    /// Recommended channels.
    #[serde(default)]
    pub recommend_channels: Vec<RecommendChannel>,
}

int_enum! {
    /// `remind_type` of a schedule (a string of digits on the wire).
    pub enum RemindType: u8 {
        /// 0: no reminder.
        None = 0,
        /// 1: at the start.
        AtStart = 1,
        /// 2: 5 minutes before.
        FiveMinutes = 2,
        /// 3: 15 minutes before.
        FifteenMinutes = 3,
        /// 4: 30 minutes before.
        ThirtyMinutes = 4,
        /// 5: 60 minutes before.
        SixtyMinutes = 5,
    }
}

/// A schedule (日程). Times are Unix milliseconds, sent as strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Schedule {
    /// Schedule id (absent when creating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Start, Unix milliseconds.
    #[serde(with = "millis_text")]
    pub start_timestamp: u64,
    /// End, Unix milliseconds (at most 7 days after the start).
    #[serde(with = "millis_text")]
    pub end_timestamp: u64,
    /// Creator (responses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<Member>,
    /// Channel to jump to at the start (`"0"`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jump_channel_id: Option<ChannelId>,
    /// Reminder.
    #[serde(default, with = "remind_text", skip_serializing_if = "Option::is_none")]
    pub remind_type: Option<RemindType>,
}

impl Schedule {
    /// Builds a schedule from `start_ms` to `end_ms` (Unix milliseconds).
    pub fn new(name: impl Into<String>, start_ms: u64, end_ms: u64) -> Self {
        Self {
            id: None,
            name: name.into(),
            description: None,
            start_timestamp: start_ms,
            end_timestamp: end_ms,
            creator: None,
            jump_channel_id: None,
            remind_type: None,
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the channel to jump to at the start.
    #[must_use]
    pub fn jump_channel(mut self, channel_id: ChannelId) -> Self {
        self.jump_channel_id = Some(channel_id);
        self
    }

    /// Sets the reminder.
    #[must_use]
    pub fn remind(mut self, remind_type: RemindType) -> Self {
        self.remind_type = Some(remind_type);
        self
    }
}

/// Unix milliseconds written as a string and read from a string or a number.
mod millis_text {
    use serde::{Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // The signature serde's `with` requires.
    pub(super) fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        Ok(super::lenient::option_u64(deserializer)?.unwrap_or(0))
    }
}

/// `remind_type` written as a string of digits and read from a string or a number.
mod remind_text {
    use serde::{Deserializer, Serializer};

    use super::RemindType;

    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)] // Required by serde's `with`.
    pub(super) fn serialize<S: Serializer>(
        value: &Option<RemindType>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(remind) => serializer.serialize_str(&remind.to_raw().to_string()),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<RemindType>, D::Error> {
        let value = super::lenient::option_u64(deserializer)?;

        Ok(value.map(|raw| RemindType::from_raw(u8::try_from(raw).unwrap_or(u8::MAX))))
    }
}

/// `GET …/reactions/{type}/{id}`: one page of users who reacted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReactionUsers {
    /// Users of this page.
    #[serde(default)]
    pub users: Vec<User>,
    /// Cookie for the next page.
    #[serde(default)]
    pub cookie: String,
    /// Whether this is the last page.
    #[serde(default)]
    pub is_end: bool,
}

int_enum! {
    /// `status` of an audio control request.
    pub enum AudioStatus: u8 {
        /// 0: start playing `audio_url`.
        Start = 0,
        /// 1: pause.
        Pause = 1,
        /// 2: resume.
        Resume = 2,
        /// 3: stop.
        Stop = 3,
    }
}

/// Body of `POST /channels/{channel_id}/audio`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AudioControl {
    /// Audio URL (with [`AudioStatus::Start`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Status text (with [`AudioStatus::Start`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The playback action.
    pub status: AudioStatus,
}

impl AudioControl {
    /// Starts playing `audio_url`, showing `text`.
    pub fn start(audio_url: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            audio_url: Some(audio_url.into()),
            text: Some(text.into()),
            status: AudioStatus::Start,
        }
    }

    /// Pauses, resumes or stops playback.
    pub fn status(status: AudioStatus) -> Self {
        Self {
            audio_url: None,
            text: None,
            status,
        }
    }
}

/// `GET /channels/{channel_id}/threads`: threads of a forum channel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Threads {
    /// Threads.
    #[serde(default)]
    pub threads: Vec<qie_model::event::ForumThread>,
    /// Whether the list is complete (1 on the wire).
    #[serde(default, deserialize_with = "lenient::bool_like")]
    pub is_finish: bool,
}

/// `GET /channels/{channel_id}/threads/{thread_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThreadDetail {
    /// The thread.
    pub thread: qie_model::event::ForumThread,
}

int_enum! {
    /// `format` of a new forum thread.
    pub enum ThreadFormat: u8 {
        /// 1: plain text.
        Text = 1,
        /// 2: HTML.
        Html = 2,
        /// 3: Markdown.
        Markdown = 3,
        /// 4: RichText as a JSON string.
        Json = 4,
    }
}

/// `PUT /channels/{channel_id}/threads`: the accepted thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedThread {
    /// Task id of the asynchronous creation.
    #[serde(default)]
    pub task_id: String,
    /// Creation time (Unix seconds as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
}

/// `POST /v2/generate_url_link`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UrlLink {
    /// Link that adds the bot; FRIEND_ADD then carries the callback data as `scene_param`.
    pub url_link: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_times_are_strings_on_the_wire() {
        let schedule = Schedule::new("raid", 1_700_000_000_000, 1_700_003_600_000)
            .remind(RemindType::FiveMinutes);
        let json = serde_json::to_value(&schedule).unwrap();

        assert_eq!(json["start_timestamp"], "1700000000000");
        assert_eq!(json["end_timestamp"], "1700003600000");
        assert_eq!(json["remind_type"], "2");

        let parsed: Schedule = serde_json::from_value(serde_json::json!({
            "id": "s1", "name": "raid", "start_timestamp": 1, "end_timestamp": "2", "remind_type": "9"
        }))
        .unwrap();
        assert_eq!(parsed.start_timestamp, 1);
        assert_eq!(parsed.end_timestamp, 2);
        assert_eq!(parsed.remind_type, Some(RemindType::Unknown(9)));
    }

    #[test]
    fn roles_accept_string_limit() {
        let roles: GuildRoles = serde_json::from_str(
            r#"{"guild_id":"1","roles":[{"id":"1","name":"everyone","color":4278245297,"hoist":0,"number":3,"member_limit":1000}],"role_num_limit":"32"}"#,
        )
        .unwrap();

        assert_eq!(roles.role_num_limit, Some(32));
        assert_eq!(roles.roles[0].color, 4_278_245_297);
    }

    #[test]
    fn message_setting_accepts_bool_and_string() {
        let setting: MessageSetting = serde_json::from_str(
            r#"{"disable_create_dm":"true","disable_push_msg":false,"channel_ids":["1"],"channel_push_max_num":3}"#,
        )
        .unwrap();

        assert!(setting.disable_create_dm);
        assert!(!setting.disable_push_msg);
        assert_eq!(setting.channel_push_max_num, 3);
    }
}
