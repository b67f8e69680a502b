//! Group management objects (`/v2/groups/…`): group and bot state, members, blacklist, mute
//! settings, join requests and automatic approval strategies.

use qie_model::event::{ApplySource, MemberRole, VerifyInfo};
use qie_model::id::{GroupOpenid, MemberOpenid, UnionOpenid};
use qie_model::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use super::macros::str_enum;

/// `GET /v2/groups/{group_openid}/info`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupInfo {
    /// Group openid.
    pub group_openid: GroupOpenid,
    /// Name.
    #[serde(default)]
    pub group_name: String,
    /// Introduction.
    #[serde(default)]
    pub group_finger_memo: String,
    /// Category.
    #[serde(default)]
    pub group_class_text: String,
    /// Tags.
    #[serde(default)]
    pub group_tags: Vec<String>,
    /// Number of members.
    #[serde(default)]
    pub group_member_num: u64,
}

str_enum! {
    /// `recv_msg_setting` of the bot in a group.
    pub enum RecvMsgSetting {
        /// Every message (GROUP_MESSAGE_CREATE).
        All = "all",
        /// Only messages that mention the bot.
        OnlyMention = "only_mention",
        /// Mentions and their context (undocumented).
        MentionAndContext = "mention_and_context",
    }
}

/// `GET /v2/groups/{group_openid}/bot_state`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupBotState {
    /// The bot's member openid in the group.
    pub member_openid: MemberOpenid,
    /// When the bot joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<Timestamp>,
    /// Whether the owner allows proactive messages.
    #[serde(default)]
    pub allow_proactive_msg: bool,
    /// The messages the bot receives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recv_msg_setting: Option<RecvMsgSetting>,
    /// The bot's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_role: Option<MemberRole>,
}

/// A group member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupMember {
    /// Member openid.
    pub member_openid: MemberOpenid,
    /// Name.
    #[serde(default)]
    pub username: String,
    /// Role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_role: Option<MemberRole>,
    /// Whether the member is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Join time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<Timestamp>,
    /// Cross-app id (often empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
}

/// `GET /v2/groups/{group_openid}/members`: one page (at most 30 members).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupMembers {
    /// Members of this page.
    #[serde(default)]
    pub members: Vec<GroupMember>,
    /// Cursor of the next page (empty on the last page).
    #[serde(default)]
    pub next_cursor: String,
}

/// `POST /v2/groups/{group_openid}/members` (older, invite-only listing): one page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndexedGroupMembers {
    /// Members of this page.
    #[serde(default)]
    pub members: Vec<IndexedGroupMember>,
    /// `start_index` of the next page.
    #[serde(default)]
    pub next_index: u64,
}

/// A member of [`IndexedGroupMembers`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndexedGroupMember {
    /// Member openid.
    pub member_openid: MemberOpenid,
    /// Join time (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_timestamp: Option<Timestamp>,
}

/// `POST /v2/groups/{group_openid}/batch_remove_members`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemovedMembers {
    /// Outcome text.
    #[serde(default)]
    pub remove_members_result: String,
    /// Members that could not be added to the blacklist.
    #[serde(default)]
    pub add_to_member_blacklist_fail_openids: Vec<MemberOpenid>,
}

/// A blacklisted user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlacklistedMember {
    /// Member openid.
    pub member_openid: MemberOpenid,
    /// Cross-app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
    /// Name.
    #[serde(default)]
    pub username: String,
    /// When the user was blacklisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned_at: Option<Timestamp>,
    /// Whether the user is a bot.
    #[serde(default)]
    pub bot: bool,
}

/// `GET /v2/groups/{group_openid}/member_blacklist`: one page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MemberBlacklist {
    /// Users of this page.
    #[serde(default)]
    pub users: Vec<BlacklistedMember>,
    /// Cursor of the next page (empty on the last page).
    #[serde(default)]
    pub next_cursor: String,
}

/// `POST /v2/groups/{group_openid}/member_blacklist`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlacklistUpdate {
    /// Members the operation failed for.
    #[serde(default)]
    pub fail_openids: Vec<MemberOpenid>,
}

str_enum! {
    /// `op` of list updates: add or remove entries.
    pub enum ListOp {
        /// Add.
        Add = "add",
        /// Remove.
        Del = "del",
    }
}

str_enum! {
    /// `global_rule.mode` of a group's mute setting.
    pub enum MuteMode {
        /// No global mute.
        None = "none",
        /// Everyone muted.
        Always = "always",
        /// Muted by schedule.
        Schedule = "schedule",
    }
}

/// `GET /v2/groups/{group_openid}/restrict_chat_setting`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RestrictChatSetting {
    /// Whole-group rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_rule: Option<GlobalMuteRule>,
    /// Muted members (expired mutes are not listed).
    #[serde(default)]
    pub members: Vec<MutedGroupMember>,
}

/// `global_rule` of [`RestrictChatSetting`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GlobalMuteRule {
    /// Mode.
    pub mode: MuteMode,
    /// One-off periods.
    #[serde(default)]
    pub schedule_rules: Vec<ScheduleMuteRule>,
    /// Weekly periods (Beijing time).
    #[serde(default)]
    pub recurring_rules: Vec<RecurringMuteRule>,
}

/// A one-off mute period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduleMuteRule {
    /// Task id.
    #[serde(default)]
    pub task_id: String,
    /// Start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<Timestamp>,
    /// End.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_at: Option<Timestamp>,
    /// Whether the rule is active.
    #[serde(default)]
    pub enabled: bool,
}

/// A weekly mute period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecurringMuteRule {
    /// Task id.
    #[serde(default)]
    pub task_id: String,
    /// Days, 1 = Monday … 7 = Sunday.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// `HH:mm`, Beijing time.
    #[serde(default)]
    pub start_time: String,
    /// `HH:mm`; earlier than `start_time` means the next day.
    #[serde(default)]
    pub end_time: String,
    /// Whether the rule is active.
    #[serde(default)]
    pub enabled: bool,
}

/// A muted member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MutedGroupMember {
    /// Member openid.
    pub member_openid: MemberOpenid,
    /// End of the mute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mute_expire_at: Option<Timestamp>,
    /// Name.
    #[serde(default)]
    pub username: String,
    /// Cross-app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
}

str_enum! {
    /// `op` of a member mute change.
    pub enum MuteOp {
        /// Mute a member.
        Add = "add",
        /// Change the end of a mute.
        Update = "update",
        /// Lift a mute.
        Del = "del",
    }
}

/// One change of `POST /v2/groups/{group_openid}/restrict_chat_setting`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MemberMuteChange {
    /// Operation.
    pub op: MuteOp,
    /// Member (ordinary members only: not the owner, admins or bots).
    pub member_openid: MemberOpenid,
    /// End of the mute as RFC 3339 text; may be empty for [`MuteOp::Del`].
    #[serde(default)]
    pub mute_expire_at: String,
}

impl MemberMuteChange {
    /// Mutes a member until `until` (RFC 3339 text).
    pub fn mute(member_openid: MemberOpenid, until: impl Into<String>) -> Self {
        Self {
            op: MuteOp::Add,
            member_openid,
            mute_expire_at: until.into(),
        }
    }

    /// Changes the end of a member's mute to `until` (RFC 3339 text).
    pub fn update(member_openid: MemberOpenid, until: impl Into<String>) -> Self {
        Self {
            op: MuteOp::Update,
            member_openid,
            mute_expire_at: until.into(),
        }
    }

    /// Lifts a member's mute.
    pub fn unmute(member_openid: MemberOpenid) -> Self {
        Self {
            op: MuteOp::Del,
            member_openid,
            mute_expire_at: String::new(),
        }
    }
}

/// A pending join request, as listed by `GET …/join_request_list`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JoinRequest {
    /// Pass back to the approval API.
    pub join_request_id: String,
    /// Applicant.
    pub member_openid: MemberOpenid,
    /// Applicant's name.
    #[serde(default)]
    pub username: String,
    /// Cross-app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
    /// Application time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_at: Option<Timestamp>,
    /// The way the applicant came (applied or invited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_source: Option<ApplySource>,
    /// Inviter's openid, for invitations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_by: Option<MemberOpenid>,
    /// Whether the applicant is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Security hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_tips: Option<String>,
    /// Verification answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_info: Option<VerifyInfo>,
}

/// `GET /v2/groups/{group_openid}/join_request_list`: one page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JoinRequests {
    /// Requests of this page.
    #[serde(default)]
    pub list: Vec<JoinRequest>,
    /// Cursor of the next page (empty on the last page).
    #[serde(default)]
    pub next_cursor: String,
}

str_enum! {
    /// `op` of a join-request decision.
    pub enum JoinRequestOp {
        /// Let the applicant in.
        Approve = "approve",
        /// Turn the applicant away.
        Decline = "decline",
    }
}

str_enum! {
    /// `is_enable` of an approval strategy.
    pub enum StrategySwitch {
        /// Enabled.
        On = "on",
        /// Disabled.
        Off = "off",
    }
}

/// An automatic join-approval strategy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JoinApprovalStrategy {
    /// Strategy id.
    pub strategy_id: String,
    /// Linked groups by openid.
    #[serde(default)]
    pub group_openids: Vec<GroupOpenid>,
    /// Linked groups by QQ group number.
    #[serde(default)]
    pub group_ids: Vec<serde_json::Value>,
    /// Estimated number of allow-listed users.
    #[serde(default)]
    pub whitelist_user_count: u64,
    /// Whether the strategy runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_enable: Option<StrategySwitch>,
    /// Expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<Timestamp>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Note.
    #[serde(default)]
    pub remark: String,
}

/// `GET /v2/groups/join_approval_strategy`: one page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JoinApprovalStrategies {
    /// Strategies of this page.
    #[serde(default)]
    pub strategies: Vec<JoinApprovalStrategy>,
    /// Cursor of the next page (empty on the last page).
    #[serde(default)]
    pub next_cursor: String,
}

/// Result of creating or updating a strategy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StrategyState {
    /// Strategy id (creation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy_id: Option<String>,
    /// Whether the strategy runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_enable: Option<StrategySwitch>,
    /// Expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<Timestamp>,
}

/// `POST …/join_approval_strategy/{strategy_id}/whitelist_users`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WhitelistUpdate {
    /// Strategy id.
    #[serde(default)]
    pub strategy_id: String,
    /// Allow-listed users after the change.
    #[serde(default)]
    pub whitelist_user_count: u64,
    /// Change time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
}

/// The groups an approval strategy applies to: openids or QQ group numbers, never both.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StrategyGroups {
    /// Groups by openid.
    Openids(Vec<GroupOpenid>),
    /// Groups by QQ group number (the only place in the bot API that takes plain numbers).
    Numbers(Vec<u64>),
}

impl StrategyGroups {
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Openids(openids) => openids.len(),
            Self::Numbers(numbers) => numbers.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_state_parses_enums() {
        let state: GroupBotState = serde_json::from_str(
            r#"{"member_openid":"9E8D","joined_at":"2026-01-01T00:00:00+08:00","allow_proactive_msg":true,"recv_msg_setting":"all","member_role":"admin"}"#,
        )
        .unwrap();

        assert!(state.allow_proactive_msg);
        assert_eq!(state.recv_msg_setting, Some(RecvMsgSetting::All));
        assert_eq!(state.member_role, Some(MemberRole::Admin));
    }

    #[test]
    fn unknown_string_values_are_kept() {
        let setting: RecvMsgSetting = serde_json::from_str(r#""everything""#).unwrap();

        assert_eq!(setting, RecvMsgSetting::Unknown("everything".to_owned()));
        assert_eq!(serde_json::to_string(&setting).unwrap(), r#""everything""#);
    }

    #[test]
    fn mute_change_serializes_wire_names() {
        let change = MemberMuteChange::unmute(MemberOpenid::new("M1"));

        assert_eq!(
            serde_json::to_value(&change).unwrap(),
            serde_json::json!({"op": "del", "member_openid": "M1", "mute_expire_at": ""})
        );
    }
}
