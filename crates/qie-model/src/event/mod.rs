//! Dispatch events (op 0): one typed struct per event type, gathered in [`Event`].
//!
//! # Forward compatibility
//!
//! * An event type qie does not know arrives as [`Event::Unknown`] with its raw JSON, never as an
//!   error.
//! * Unknown fields are ignored everywhere.
//! * A known event type whose `d` does not fit the typed struct (a field with an unexpected JSON
//!   type, a required field missing) is also delivered as [`Event::Unknown`] with the raw JSON.
//!   A `warn` event is logged with the event name and the parse error, never the payload.
//!   The envelope's `id` and `s` are kept either way, so the event is neither lost nor
//!   acknowledged twice.

mod channel_message;
mod content;
mod forum;
mod guild;
mod interaction;
mod macros;
mod open_message;
mod reaction;
mod relation;

use serde::de::{Deserialize, Deserializer, IgnoredAny};
use serde::ser::{Serialize, Serializer};

pub use channel_message::{Attachment, ChannelMessage, DeletedMessage, MessageDelete, OpUser};
pub use content::{escape, strip_leading_mention, unescape};
pub use forum::{
    AudioAction, AudioLiveMember, Elem, ElemType, ForumAuditResult, ForumAuditType, ForumContent,
    ForumPost, ForumReply, ForumThread, OpenForumEvent, Paragraph, PostInfo, ReplyInfo, RichText,
    TextElem, ThreadInfo, UrlElem,
};
pub use guild::{Channel, ChannelSubType, ChannelType, Guild, GuildMemberEvent, Member, User};
pub use interaction::{
    AuthorizeData, ChatType, Interaction, InteractionData, InteractionScene, InteractionType,
    Resolved,
};
pub use open_message::{
    ArkData, C2cAuthor, C2cMessage, ElementAuthor, GroupAuthor, GroupMention, GroupMessage,
    MemberRole, MentionScope, MessageScene, MsgElement, ReceivedMessageType,
};
pub use reaction::{
    Emoji, EmojiType, MessageAudited, MessageReaction, ReactionTarget, ReactionTargetType,
};
pub use relation::{
    ApplySource, AutoApproved, EnterAio, FriendEvent, GroupJoinRequest, GroupMemberEvent,
    GroupRobotEvent, ReviewQa, SubscribeMessageStatus, SubscribeResult, UnionAuthor, VerifyInfo,
};

use crate::gateway::{Intents, Ready};
use crate::json::RawJson;

macros::events! {
    /// READY: the session is established (the reply to Identify).
    Ready(Box<Ready>) = "READY", Intents::empty();

    /// GUILD_CREATE: the bot joined a guild.
    GuildCreate(Box<Guild>) = "GUILD_CREATE", Intents::GUILDS;
    /// GUILD_UPDATE: guild data changed (payload is the new state).
    GuildUpdate(Box<Guild>) = "GUILD_UPDATE", Intents::GUILDS;
    /// GUILD_DELETE: the guild was dissolved or the bot removed (payload is the old state).
    GuildDelete(Box<Guild>) = "GUILD_DELETE", Intents::GUILDS;
    /// CHANNEL_CREATE.
    ChannelCreate(Box<Channel>) = "CHANNEL_CREATE", Intents::GUILDS;
    /// CHANNEL_UPDATE.
    ChannelUpdate(Box<Channel>) = "CHANNEL_UPDATE", Intents::GUILDS;
    /// CHANNEL_DELETE.
    ChannelDelete(Box<Channel>) = "CHANNEL_DELETE", Intents::GUILDS;

    /// GUILD_MEMBER_ADD: a user joined a guild.
    GuildMemberAdd(Box<GuildMemberEvent>) = "GUILD_MEMBER_ADD", Intents::GUILD_MEMBERS;
    /// GUILD_MEMBER_UPDATE: nickname or roles changed.
    GuildMemberUpdate(Box<GuildMemberEvent>) = "GUILD_MEMBER_UPDATE", Intents::GUILD_MEMBERS;
    /// GUILD_MEMBER_REMOVE: a user left or was removed.
    GuildMemberRemove(Box<GuildMemberEvent>) = "GUILD_MEMBER_REMOVE", Intents::GUILD_MEMBERS;

    /// MESSAGE_CREATE: any channel message (private-domain bots).
    MessageCreate(Box<ChannelMessage>) = "MESSAGE_CREATE", Intents::GUILD_MESSAGES;
    /// MESSAGE_DELETE: a channel message was recalled.
    MessageDelete(Box<MessageDelete>) = "MESSAGE_DELETE", Intents::GUILD_MESSAGES;
    /// MESSAGE_REACTION_ADD.
    MessageReactionAdd(Box<MessageReaction>) = "MESSAGE_REACTION_ADD", Intents::GUILD_MESSAGE_REACTIONS;
    /// MESSAGE_REACTION_REMOVE.
    MessageReactionRemove(Box<MessageReaction>) = "MESSAGE_REACTION_REMOVE", Intents::GUILD_MESSAGE_REACTIONS;
    /// DIRECT_MESSAGE_CREATE: a guild direct message.
    DirectMessageCreate(Box<ChannelMessage>) = "DIRECT_MESSAGE_CREATE", Intents::DIRECT_MESSAGE;
    /// DIRECT_MESSAGE_DELETE.
    DirectMessageDelete(Box<MessageDelete>) = "DIRECT_MESSAGE_DELETE", Intents::DIRECT_MESSAGE;

    /// OPEN_FORUM_THREAD_CREATE.
    OpenForumThreadCreate(Box<OpenForumEvent>) = "OPEN_FORUM_THREAD_CREATE", Intents::OPEN_FORUMS_EVENT;
    /// OPEN_FORUM_THREAD_UPDATE.
    OpenForumThreadUpdate(Box<OpenForumEvent>) = "OPEN_FORUM_THREAD_UPDATE", Intents::OPEN_FORUMS_EVENT;
    /// OPEN_FORUM_THREAD_DELETE.
    OpenForumThreadDelete(Box<OpenForumEvent>) = "OPEN_FORUM_THREAD_DELETE", Intents::OPEN_FORUMS_EVENT;
    /// OPEN_FORUM_POST_CREATE.
    OpenForumPostCreate(Box<OpenForumEvent>) = "OPEN_FORUM_POST_CREATE", Intents::OPEN_FORUMS_EVENT;
    /// OPEN_FORUM_POST_DELETE.
    OpenForumPostDelete(Box<OpenForumEvent>) = "OPEN_FORUM_POST_DELETE", Intents::OPEN_FORUMS_EVENT;
    /// OPEN_FORUM_REPLY_CREATE.
    OpenForumReplyCreate(Box<OpenForumEvent>) = "OPEN_FORUM_REPLY_CREATE", Intents::OPEN_FORUMS_EVENT;
    /// OPEN_FORUM_REPLY_DELETE.
    OpenForumReplyDelete(Box<OpenForumEvent>) = "OPEN_FORUM_REPLY_DELETE", Intents::OPEN_FORUMS_EVENT;

    /// AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER.
    AudioOrLiveChannelMemberEnter(Box<AudioLiveMember>) = "AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER", Intents::AUDIO_OR_LIVE_CHANNEL_MEMBER;
    /// AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT.
    AudioOrLiveChannelMemberExit(Box<AudioLiveMember>) = "AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT", Intents::AUDIO_OR_LIVE_CHANNEL_MEMBER;

    /// ENTER_AIO: the user opened the chat window (botgo).
    EnterAio(Box<EnterAio>) = "ENTER_AIO", Intents::ENTER_AIO;

    /// GROUP_MEMBER_ADD: a member joined a group.
    GroupMemberAdd(Box<GroupMemberEvent>) = "GROUP_MEMBER_ADD", Intents::GROUP_MEMBERS;
    /// GROUP_MEMBER_REMOVE: a member left or was removed.
    GroupMemberRemove(Box<GroupMemberEvent>) = "GROUP_MEMBER_REMOVE", Intents::GROUP_MEMBERS;

    /// C2C_MESSAGE_CREATE: a user wrote to the bot.
    C2cMessageCreate(Box<C2cMessage>) = "C2C_MESSAGE_CREATE", Intents::GROUP_AND_C2C_EVENT;
    /// GROUP_AT_MESSAGE_CREATE: a member @-mentioned the bot.
    GroupAtMessageCreate(Box<GroupMessage>) = "GROUP_AT_MESSAGE_CREATE", Intents::GROUP_AND_C2C_EVENT;
    /// GROUP_MESSAGE_CREATE: any group message, when the group allows it.
    GroupMessageCreate(Box<GroupMessage>) = "GROUP_MESSAGE_CREATE", Intents::GROUP_AND_C2C_EVENT;
    /// GROUP_ADD_ROBOT: the bot was added to a group.
    GroupAddRobot(Box<GroupRobotEvent>) = "GROUP_ADD_ROBOT", Intents::GROUP_AND_C2C_EVENT;
    /// GROUP_DEL_ROBOT: the bot was removed from a group.
    GroupDelRobot(Box<GroupRobotEvent>) = "GROUP_DEL_ROBOT", Intents::GROUP_AND_C2C_EVENT;
    /// GROUP_MSG_REJECT: a group admin turned off the bot's proactive messages.
    GroupMsgReject(Box<GroupRobotEvent>) = "GROUP_MSG_REJECT", Intents::GROUP_AND_C2C_EVENT;
    /// GROUP_MSG_RECEIVE: a group admin turned them on.
    GroupMsgReceive(Box<GroupRobotEvent>) = "GROUP_MSG_RECEIVE", Intents::GROUP_AND_C2C_EVENT;
    /// GROUP_JOIN_REQUEST: someone asked to join a group where the bot is admin.
    GroupJoinRequest(Box<GroupJoinRequest>) = "GROUP_JOIN_REQUEST", Intents::GROUP_AND_C2C_EVENT;
    /// FRIEND_ADD: a user added the bot.
    FriendAdd(Box<FriendEvent>) = "FRIEND_ADD", Intents::GROUP_AND_C2C_EVENT;
    /// FRIEND_DEL: a user removed the bot.
    FriendDel(Box<FriendEvent>) = "FRIEND_DEL", Intents::GROUP_AND_C2C_EVENT;
    /// C2C_MSG_REJECT: a user turned off proactive messages.
    C2cMsgReject(Box<FriendEvent>) = "C2C_MSG_REJECT", Intents::GROUP_AND_C2C_EVENT;
    /// C2C_MSG_RECEIVE: a user turned them on.
    C2cMsgReceive(Box<FriendEvent>) = "C2C_MSG_RECEIVE", Intents::GROUP_AND_C2C_EVENT;
    /// SUBSCRIBE_MESSAGE_STATUS: result of a subscription request (botgo).
    SubscribeMessageStatus(Box<SubscribeMessageStatus>) = "SUBSCRIBE_MESSAGE_STATUS", Intents::GROUP_AND_C2C_EVENT;

    /// INTERACTION_CREATE: a button click or quick-menu entry.
    InteractionCreate(Box<Interaction>) = "INTERACTION_CREATE", Intents::INTERACTION;

    /// MESSAGE_AUDIT_PASS.
    MessageAuditPass(Box<MessageAudited>) = "MESSAGE_AUDIT_PASS", Intents::MESSAGE_AUDIT;
    /// MESSAGE_AUDIT_REJECT.
    MessageAuditReject(Box<MessageAudited>) = "MESSAGE_AUDIT_REJECT", Intents::MESSAGE_AUDIT;

    /// FORUM_THREAD_CREATE.
    ForumThreadCreate(Box<ForumThread>) = "FORUM_THREAD_CREATE", Intents::FORUMS_EVENT;
    /// FORUM_THREAD_UPDATE.
    ForumThreadUpdate(Box<ForumThread>) = "FORUM_THREAD_UPDATE", Intents::FORUMS_EVENT;
    /// FORUM_THREAD_DELETE.
    ForumThreadDelete(Box<ForumThread>) = "FORUM_THREAD_DELETE", Intents::FORUMS_EVENT;
    /// FORUM_POST_CREATE.
    ForumPostCreate(Box<ForumPost>) = "FORUM_POST_CREATE", Intents::FORUMS_EVENT;
    /// FORUM_POST_DELETE.
    ForumPostDelete(Box<ForumPost>) = "FORUM_POST_DELETE", Intents::FORUMS_EVENT;
    /// FORUM_REPLY_CREATE.
    ForumReplyCreate(Box<ForumReply>) = "FORUM_REPLY_CREATE", Intents::FORUMS_EVENT;
    /// FORUM_REPLY_DELETE.
    ForumReplyDelete(Box<ForumReply>) = "FORUM_REPLY_DELETE", Intents::FORUMS_EVENT;
    /// FORUM_PUBLISH_AUDIT_RESULT.
    ForumPublishAuditResult(Box<ForumAuditResult>) = "FORUM_PUBLISH_AUDIT_RESULT", Intents::FORUMS_EVENT;

    /// AUDIO_START.
    AudioStart(Box<AudioAction>) = "AUDIO_START", Intents::AUDIO_ACTION;
    /// AUDIO_FINISH.
    AudioFinish(Box<AudioAction>) = "AUDIO_FINISH", Intents::AUDIO_ACTION;
    /// AUDIO_ON_MIC.
    AudioOnMic(Box<AudioAction>) = "AUDIO_ON_MIC", Intents::AUDIO_ACTION;
    /// AUDIO_OFF_MIC.
    AudioOffMic(Box<AudioAction>) = "AUDIO_OFF_MIC", Intents::AUDIO_ACTION;

    /// AT_MESSAGE_CREATE: a channel message that @-mentions the bot.
    AtMessageCreate(Box<ChannelMessage>) = "AT_MESSAGE_CREATE", Intents::PUBLIC_GUILD_MESSAGES;
    /// PUBLIC_MESSAGE_DELETE: an @-message was recalled.
    PublicMessageDelete(Box<MessageDelete>) = "PUBLIC_MESSAGE_DELETE", Intents::PUBLIC_GUILD_MESSAGES;
}

/// Deserializes a missing-or-null field as its default (lists the platform sends as `null`).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

impl Event {
    /// Builds the event for the given type name from raw JSON.
    ///
    /// Never fails: an unknown name, or a payload that does not fit the typed struct, gives
    /// [`Event::Unknown`] (the second case also logs a `warn` event with the parse error).
    pub fn from_raw(name: &str, data: &str) -> Self {
        let mut deserializer = serde_json::Deserializer::from_str(data);
        let parsed = deserialize_event(name, &mut deserializer).and_then(|event| {
            deserializer.end()?;
            Ok(event)
        });

        match parsed {
            Ok(event) => event,
            Err(error) => {
                tracing::warn!(
                    event = name,
                    %error,
                    "dispatch payload does not fit its typed struct; delivering it as Event::Unknown"
                );
                let raw = RawJson::from_text(data).unwrap_or_else(|_| RawJson::null());
                Self::Unknown {
                    name: name.to_owned(),
                    raw,
                }
            }
        }
    }
}

fn deserialize_resumed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
    // RESUMED carries `""`; `{}` and `null` are tolerated as well.
    IgnoredAny::deserialize(deserializer).map(|IgnoredAny| Event::Resumed)
}

fn serialize_resumed<S: Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    "".serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_event_keeps_raw_json() {
        let event = Event::from_raw("SOMETHING_NEW", r#"{"a":[1,2]}"#);

        let Event::Unknown { name, raw } = &event else {
            panic!("expected Unknown, got {event:?}");
        };
        assert_eq!(name, "SOMETHING_NEW");
        assert_eq!(raw.get(), r#"{"a":[1,2]}"#);
        assert_eq!(event.kind(), None);
    }

    #[test]
    fn malformed_known_event_becomes_unknown() {
        let event = Event::from_raw("READY", r#"{"session_id": 5}"#);

        assert!(matches!(&event, Event::Unknown { name, .. } if name == "READY"));
    }

    #[test]
    fn resumed_accepts_empty_string_object_and_null() {
        for data in ["\"\"", "{}", "null"] {
            assert_eq!(Event::from_raw("RESUMED", data), Event::Resumed, "{data}");
        }
    }

    #[test]
    fn event_type_names_round_trip() {
        for kind in EventType::ALL {
            assert_eq!(EventType::from_name(kind.name()), Some(*kind));
        }
    }
}
