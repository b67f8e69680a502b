//! Group and C2C relationship events: bot added or removed, friends, proactive-message switches,
//! group members and join requests.

use crate::id::{GroupOpenid, MemberOpenid, UnionOpenid, UserOpenid};
use crate::macros::str_enum;
use crate::timestamp::Timestamp;

/// `d` of GROUP_ADD_ROBOT, GROUP_DEL_ROBOT, GROUP_MSG_REJECT and GROUP_MSG_RECEIVE.
///
/// GROUP_ADD_ROBOT and GROUP_MSG_RECEIVE can be replied to with `event_id` (the dispatch `id`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GroupRobotEvent {
    /// Event time (Unix seconds on the wire).
    pub timestamp: Timestamp,
    /// The group.
    pub group_openid: GroupOpenid,
    /// The member who acted.
    pub op_member_openid: MemberOpenid,
}

/// `d` of FRIEND_ADD, FRIEND_DEL, C2C_MSG_REJECT and C2C_MSG_RECEIVE.
///
/// FRIEND_ADD and C2C_MSG_RECEIVE can be replied to with `event_id` (the dispatch `id`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct FriendEvent {
    /// Event time (Unix seconds on the wire).
    pub timestamp: Timestamp,
    /// The user.
    pub openid: UserOpenid,
    /// FRIEND_ADD: how the user found the bot (1000 default, 1001–1004 search, group, Qzone,
    /// 2001–2004 profile or developer share links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<u32>,
    /// FRIEND_ADD: the `callback_data` of the share link used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_param: Option<String>,
    /// The user's cross-app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<UnionAuthor>,
    /// Nickname (botgo, "to be filled later").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick: Option<String>,
    /// Avatar URL (botgo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

/// `author` of FRIEND_ADD and FRIEND_DEL.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UnionAuthor {
    /// Cross-app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
}

/// `d` of GROUP_MEMBER_ADD and GROUP_MEMBER_REMOVE.
///
/// ADD can be replied to with `event_id`, but the platform rejects replies to REMOVE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GroupMemberEvent {
    /// Event time (Unix seconds on the wire).
    pub timestamp: Timestamp,
    /// The group.
    pub group_openid: GroupOpenid,
    /// The member who joined, left or was removed.
    pub member_openid: MemberOpenid,
    /// The member's user openid; may be empty or absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_openid: Option<UserOpenid>,
}

str_enum! {
    /// `apply_source` of a join request.
    pub enum ApplySource {
        /// The user applied.
        SelfApply = "self_apply",
        /// The user was invited.
        Invited = "invited",
    }
}

/// `d` of GROUP_JOIN_REQUEST (sent only while the bot is a group admin).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GroupJoinRequest {
    /// The group.
    pub group_openid: GroupOpenid,
    /// Pass back to the approval API.
    pub join_request_id: String,
    /// The applicant.
    pub member_openid: MemberOpenid,
    /// Applicant's name.
    #[serde(default)]
    pub username: String,
    /// Applicant's cross-app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_openid: Option<UnionOpenid>,
    /// Application time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_at: Option<Timestamp>,
    /// Applied or invited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_source: Option<ApplySource>,
    /// Inviter's openid when invited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_by: Option<String>,
    /// Whether the applicant is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Security hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_tips: Option<String>,
    /// Verification answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_info: Option<VerifyInfo>,
    /// Set when an approval strategy already accepted the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_approved: Option<AutoApproved>,
}

/// `verify_info` of a join request.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerifyInfo {
    /// `verify_message` or `admin_review_qa`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The applicant's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_message: Option<String>,
    /// Questions and answers.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub review_qa_list: Vec<ReviewQa>,
}

/// One question and answer of a join request.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ReviewQa {
    /// Question.
    #[serde(default)]
    pub question: String,
    /// Answer.
    #[serde(default)]
    pub answer: String,
}

/// `auto_approved` of a join request.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct AutoApproved {
    /// The approval strategy that accepted it.
    #[serde(default)]
    pub strategy_id: String,
}

/// `d` of SUBSCRIBE_MESSAGE_STATUS (botgo): the result of a subscription request.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SubscribeMessageStatus {
    /// The group, for group subscriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_openid: Option<GroupOpenid>,
    /// The user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openid: Option<String>,
    /// One entry per template.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::null_as_default"
    )]
    pub result: Vec<SubscribeResult>,
}

/// One entry of SUBSCRIBE_MESSAGE_STATUS.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SubscribeResult {
    /// Numeric template id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<u64>,
    /// Console template id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_template_id: Option<String>,
    /// 1 allowed, 2 denied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<u8>,
    /// Subscription id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe_id: Option<String>,
    /// Update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_ts: Option<Timestamp>,
}

/// `d` of ENTER_AIO (botgo): the user opened the chat window.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EnterAio {
    /// The user.
    pub user_openid: UserOpenid,
    /// Entry point the user came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_source: Option<String>,
}
