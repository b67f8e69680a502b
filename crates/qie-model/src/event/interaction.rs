//! INTERACTION_CREATE: a button click, a quick-menu entry or another client action.

use super::open_message::MessageScene;
use crate::id::{
    AppId, ChannelId, GroupOpenid, GuildId, InteractionId, MemberOpenid, MessageId, UserId,
    UserOpenid,
};
use crate::json::RawJson;
use crate::macros::{int_enum, str_enum};
use crate::timestamp::Timestamp;

int_enum! {
    /// `type` of an interaction.
    pub enum InteractionType: u32 {
        /// 9: chat search (botgo).
        ChatSearch = 9,
        /// 11: message button.
        MessageButton = 11,
        /// 12: C2C quick menu.
        QuickMenu = 12,
        /// 13: like or dislike of an agent message.
        Feedback = 13,
        /// 14: clear session.
        ClearSession = 14,
        /// 15: enter or leave story collection.
        Story = 15,
        /// 16: switch model.
        SwitchModel = 16,
        /// 18: user authorisation (C2C proactive messages).
        UserAuthorization = 18,
        /// 19: group authorisation.
        GroupAuthorization = 19,
        /// 20: group authorisation status change.
        GroupAuthorizationChange = 20,
        /// 2001: configuration query (official Node SDK).
        ConfigQuery = 2001,
        /// 2002: configuration update (official Node SDK).
        ConfigUpdate = 2002,
    }
}

int_enum! {
    /// `chat_type` of an interaction.
    pub enum ChatType: u8 {
        /// 0: guild.
        Guild = 0,
        /// 1: group.
        Group = 1,
        /// 2: C2C.
        C2c = 2,
    }
}

str_enum! {
    /// `scene` of an interaction.
    pub enum InteractionScene {
        /// One-to-one chat.
        C2c = "c2c",
        /// Group.
        Group = "group",
        /// Guild.
        Guild = "guild",
    }
}

/// `d` of INTERACTION_CREATE. Acknowledge with `PUT /interactions/{id}` (types 11 and 12 need it).
///
/// Who clicked: guild → `data.resolved.user_id`; group → `group_member_openid`; C2C →
/// `user_openid`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Interaction {
    /// Interaction id: the path of the acknowledgement call.
    pub id: InteractionId,
    /// The bot's AppID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<AppId>,
    /// Kind of interaction.
    #[serde(rename = "type")]
    pub interaction_type: InteractionType,
    /// Scene name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<InteractionScene>,
    /// Scene number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<ChatType>,
    /// Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Guild scene: guild id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<GuildId>,
    /// Guild scene: channel id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    /// C2C scene: the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_openid: Option<UserOpenid>,
    /// Group scene: the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_openid: Option<GroupOpenid>,
    /// Group scene: who clicked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_member_openid: Option<MemberOpenid>,
    /// Details.
    #[serde(default)]
    pub data: InteractionData,
    /// Version (1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

/// `data` of an interaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct InteractionData {
    /// Same as the interaction's `type`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub data_type: Option<InteractionType>,
    /// Resolved values (the documentation table misspells the key as `resoloved`).
    #[serde(default, alias = "resoloved")]
    pub resolved: Resolved,
}

/// `data.resolved` of an interaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Resolved {
    /// The button's `action.data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_data: Option<String>,
    /// The button's `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_id: Option<String>,
    /// Guild scene: who clicked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// Quick-menu entry id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_id: Option<String>,
    /// Guild scene: the clicked message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    /// Type 13: checked state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<i64>,
    /// Type 13: `LIKE` or `UNLIKE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_opt: Option<String>,
    /// Types 15 and 16: `ENTER_STORY`, `QUIT_STORY` or the model switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Type 13: scene information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_scene: Option<MessageScene>,
    /// Types 18 and 19: the authorisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_data: Option<AuthorizeData>,
    /// Type 2002: changed settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claw_cfg: Option<RawJson>,
}

/// `data.resolved.authorize_data` of an authorisation interaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct AuthorizeData {
    /// `setting` or `dialog`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_scene: Option<String>,
    /// `c2c_push` or `group_push`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}
