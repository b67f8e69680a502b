//! One view of a user message for every scene, and the conversation an event belongs to.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use qie_http::reply::ReplyTarget;
use qie_model::event::{
    Attachment, C2cMessage, ChannelMessage, Event, GroupMessage, Interaction,
    strip_leading_mention, unescape,
};
use qie_model::gateway::Dispatch;
use qie_model::id::{
    ChannelId, DmGuildId, GroupOpenid, GuildId, MemberOpenid, MessageId, UserId, UserOpenid,
};
use qie_model::message::Scene;
use qie_model::timestamp::Timestamp;

/// Where an event happened. Events of one conversation are handled in order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Conversation {
    /// A guild text channel.
    Channel(ChannelId),
    /// A guild direct-message session, by the DM's own guild id.
    Direct(DmGuildId),
    /// A group.
    Group(GroupOpenid),
    /// A one-to-one (C2C) chat.
    User(UserOpenid),
    /// A guild, for guild events outside any channel (members, guild and channel changes).
    Guild(GuildId),
    /// The bot itself: session events and events that name no conversation.
    Bot,
}

impl Conversation {
    /// Returns the conversation of an event.
    pub fn of(event: &Event) -> Self {
        match event {
            Event::AtMessageCreate(message) | Event::MessageCreate(message) => {
                Self::Channel(message.channel_id.clone())
            }
            Event::DirectMessageCreate(message) => Self::Direct(message.dm_guild_id()),
            Event::GroupAtMessageCreate(message) | Event::GroupMessageCreate(message) => {
                Self::Group(message.group_openid.clone())
            }
            Event::C2cMessageCreate(message) => Self::User(message.author.user_openid.clone()),
            Event::InteractionCreate(interaction) => interaction_conversation(interaction),
            Event::GroupAddRobot(event)
            | Event::GroupDelRobot(event)
            | Event::GroupMsgReject(event)
            | Event::GroupMsgReceive(event) => Self::Group(event.group_openid.clone()),
            Event::GroupMemberAdd(event) | Event::GroupMemberRemove(event) => {
                Self::Group(event.group_openid.clone())
            }
            Event::FriendAdd(event)
            | Event::FriendDel(event)
            | Event::C2cMsgReject(event)
            | Event::C2cMsgReceive(event) => Self::User(event.openid.clone()),
            Event::MessageReactionAdd(reaction) | Event::MessageReactionRemove(reaction) => {
                Self::Channel(reaction.channel_id.clone())
            }
            Event::GuildCreate(guild) | Event::GuildUpdate(guild) | Event::GuildDelete(guild) => {
                Self::Guild(guild.id.clone())
            }
            Event::GuildMemberAdd(member)
            | Event::GuildMemberUpdate(member)
            | Event::GuildMemberRemove(member) => Self::Guild(member.guild_id.clone()),
            _ => Self::Bot,
        }
    }

    /// Where a reply to this conversation goes, for the four scenes that take messages.
    pub fn reply_target(&self) -> Option<ReplyTarget> {
        match self {
            Self::Channel(channel) => Some(ReplyTarget::Channel(channel.clone())),
            Self::Direct(guild) => Some(ReplyTarget::DirectMessage(guild.clone())),
            Self::Group(group) => Some(ReplyTarget::Group(group.clone())),
            Self::User(user) => Some(ReplyTarget::C2c(user.clone())),
            Self::Guild(_) | Self::Bot => None,
        }
    }

    /// Returns the scene of the conversation, for the four scenes that take messages.
    pub fn scene(&self) -> Option<Scene> {
        self.reply_target().map(|target| target.scene())
    }
}

fn interaction_conversation(interaction: &Interaction) -> Conversation {
    if let Some(group) = &interaction.group_openid {
        return Conversation::Group(group.clone());
    }
    if let Some(user) = &interaction.user_openid {
        return Conversation::User(user.clone());
    }
    if let Some(channel) = &interaction.channel_id {
        return Conversation::Channel(channel.clone());
    }

    Conversation::Bot
}

/// Who sent a message, with the id kind of its scene.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Author {
    /// A guild user (channels and DMs).
    Guild {
        /// The guild-scope user id.
        id: UserId,
        /// Display name.
        username: String,
        /// Whether the author is a bot.
        bot: bool,
    },
    /// A group member; the openid is valid only within this group.
    Member {
        /// The member openid.
        member_openid: MemberOpenid,
        /// Display name, when the platform sends one.
        username: Option<String>,
    },
    /// A C2C user.
    User {
        /// The user openid.
        user_openid: UserOpenid,
    },
}

impl Author {
    /// Returns the id as text, whatever its kind.
    pub fn id(&self) -> &str {
        match self {
            Self::Guild { id, .. } => id.as_str(),
            Self::Member { member_openid, .. } => member_openid.as_str(),
            Self::User { user_openid } => user_openid.as_str(),
        }
    }

    /// Returns a name to show: the username when known, else the id.
    pub fn display_name(&self) -> &str {
        let username = match self {
            Self::Guild { username, .. } => Some(username.as_str()),
            Self::Member { username, .. } => username.as_deref(),
            Self::User { .. } => None,
        };

        username
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| self.id())
    }
}

/// A message a user sent, in any scene.
///
/// Built from AT_MESSAGE_CREATE, MESSAGE_CREATE, DIRECT_MESSAGE_CREATE, GROUP_AT_MESSAGE_CREATE,
/// GROUP_MESSAGE_CREATE and C2C_MESSAGE_CREATE. The scene-specific payload stays available
/// through [`Context::event`](crate::Context::event).
///
/// Cloning is cheap: clones share the event they were built from.
#[derive(Clone)]
pub struct Message {
    data: Arc<MessageData>,
}

struct MessageData {
    /// The dispatch of a message event. The id, content, attachments and timestamp are read
    /// from it rather than copied.
    dispatch: Arc<Dispatch>,
    conversation: Conversation,
    author: Author,
    text: Text,
    addressed: bool,
}

/// The text the user typed: usually a part of `content`, else a decoded copy.
enum Text {
    InContent(Range<usize>),
    Decoded(String),
}

/// The payload fields that every message event has.
struct Fields<'a> {
    id: &'a MessageId,
    content: &'a str,
    attachments: &'a [Attachment],
    timestamp: Option<&'a Timestamp>,
}

impl<'a> Fields<'a> {
    fn of(event: &'a Event) -> Option<Self> {
        let fields = match event {
            Event::AtMessageCreate(message)
            | Event::MessageCreate(message)
            | Event::DirectMessageCreate(message) => Self {
                id: &message.id,
                content: &message.content,
                attachments: &message.attachments,
                timestamp: message.timestamp.as_ref(),
            },
            Event::GroupAtMessageCreate(message) | Event::GroupMessageCreate(message) => Self {
                id: &message.id,
                content: &message.content,
                attachments: &message.attachments,
                timestamp: message.timestamp.as_ref(),
            },
            Event::C2cMessageCreate(message) => Self {
                id: &message.id,
                content: &message.content,
                attachments: &message.attachments,
                timestamp: message.timestamp.as_ref(),
            },
            _ => return None,
        };

        Some(fields)
    }
}

/// The id returned for a non-message event, which a [`Message`] is never built from.
static NO_ID: LazyLock<MessageId> = LazyLock::new(|| MessageId::new(""));

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
            && self.conversation() == other.conversation()
            && self.author() == other.author()
            && self.content() == other.content()
            && self.text() == other.text()
            && self.is_addressed() == other.is_addressed()
            && self.attachments() == other.attachments()
            && self.timestamp() == other.timestamp()
    }
}

impl Eq for Message {}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("id", self.id())
            .field("conversation", self.conversation())
            .field("author", self.author())
            .field("content", &self.content())
            .field("text", &self.text())
            .field("addressed", &self.is_addressed())
            .field("attachments", &self.attachments())
            .field("timestamp", &self.timestamp())
            .finish()
    }
}

impl Message {
    /// Builds the view of a user message, or `None` for other events.
    ///
    /// `bot_id` is the bot's guild user id from READY; it finds the bot's mention in guild
    /// messages. Without it, a leading mention of any bot in `mentions` counts. The view keeps
    /// a copy of the event.
    pub fn from_event(event: &Event, bot_id: Option<&UserId>) -> Option<Self> {
        Fields::of(event)?;
        let dispatch = Arc::new(Dispatch::new(None, None, event.clone()));
        Self::of_dispatch(dispatch, Conversation::of(event), bot_id)
    }

    /// Builds the view as [`from_event`](Self::from_event) does, over a shared dispatch whose
    /// conversation is already known.
    pub(crate) fn of_dispatch(
        dispatch: Arc<Dispatch>,
        conversation: Conversation,
        bot_id: Option<&UserId>,
    ) -> Option<Self> {
        let (author, text, addressed) = match &dispatch.event {
            Event::AtMessageCreate(message) | Event::DirectMessageCreate(message) => {
                channel_parts(message, bot_id, true)
            }
            Event::MessageCreate(message) => channel_parts(message, bot_id, false),
            Event::GroupAtMessageCreate(message) => group_parts(message, true),
            Event::GroupMessageCreate(message) => group_parts(message, message.mentions_me()),
            Event::C2cMessageCreate(message) => c2c_parts(message),
            _ => return None,
        };

        Some(Self {
            data: Arc::new(MessageData {
                dispatch,
                conversation,
                author,
                text,
                addressed,
            }),
        })
    }

    fn fields(&self) -> Option<Fields<'_>> {
        Fields::of(&self.data.dispatch.event)
    }

    /// Returns the message id, which replies carry as `msg_id`.
    pub fn id(&self) -> &MessageId {
        self.fields().map_or(&NO_ID, |fields| fields.id)
    }

    /// Where the message was sent.
    pub fn conversation(&self) -> &Conversation {
        &self.data.conversation
    }

    /// Who sent it.
    pub fn author(&self) -> &Author {
        &self.data.author
    }

    /// `content` exactly as received: guild text keeps its tags and `&amp;`-style escapes.
    pub fn content(&self) -> &str {
        self.fields().map_or("", |fields| fields.content)
    }

    /// Returns the text the user typed: without the bot mention, without the leading space of group
    /// messages, with guild escapes decoded and outer whitespace trimmed.
    pub fn text(&self) -> &str {
        match &self.data.text {
            Text::InContent(range) => self.content().get(range.clone()).unwrap_or(""),
            Text::Decoded(text) => text,
        }
    }

    /// Returns whether the message is addressed to the bot: a guild @ message, a DM, a group @
    /// message, a C2C message, or a channel or group message that mentions the bot.
    pub fn is_addressed(&self) -> bool {
        self.data.addressed
    }

    /// Attachments (images, voice, video, files).
    pub fn attachments(&self) -> &[Attachment] {
        self.fields().map_or(&[], |fields| fields.attachments)
    }

    /// When it was sent.
    pub fn timestamp(&self) -> Option<&Timestamp> {
        self.fields().and_then(|fields| fields.timestamp)
    }
}

fn channel_parts(
    message: &ChannelMessage,
    bot_id: Option<&UserId>,
    addressed: bool,
) -> (Author, Text, bool) {
    let bot_id = bot_id.or_else(|| {
        message
            .mentions
            .iter()
            .find(|user| user.bot)
            .map(|user| &user.id)
    });
    let stripped = bot_id.map_or_else(
        || strip_leading_mention(&message.content, ""),
        |id| message.command_text(id),
    );
    let mentioned = bot_id.is_some_and(|id| {
        stripped.len() != message.content.trim_start().len()
            || message.mentions.iter().any(|user| &user.id == id)
    });
    let text = match unescape(stripped) {
        Cow::Borrowed(text) => text_in(&message.content, text.trim_end()),
        Cow::Owned(text) => Text::Decoded(text.trim_end().to_owned()),
    };
    let author = Author::Guild {
        id: message.author.id.clone(),
        username: (*message.author.username).to_owned(),
        bot: message.author.bot,
    };

    (author, text, addressed || mentioned)
}

fn group_parts(message: &GroupMessage, addressed: bool) -> (Author, Text, bool) {
    let author = Author::Member {
        member_openid: message.author.member_openid.clone(),
        username: message.author.username.as_deref().map(str::to_owned),
    };
    let text = text_in(&message.content, message.command_text().trim_end());

    (author, text, addressed)
}

fn c2c_parts(message: &C2cMessage) -> (Author, Text, bool) {
    let author = Author::User {
        user_openid: message.author.user_openid.clone(),
    };
    let text = text_in(&message.content, message.command_text().trim_end());

    (author, text, true)
}

/// Returns `text` as a range of `content` when it is a part of it, else as a copy.
fn text_in(content: &str, text: &str) -> Text {
    let start = text.as_ptr().addr().wrapping_sub(content.as_ptr().addr());
    let part = start
        .checked_add(text.len())
        .map(|end| start..end)
        .filter(|range| {
            content
                .get(range.clone())
                .is_some_and(|part| std::ptr::eq(part, text))
        });

    match part {
        Some(range) => Text::InContent(range),
        None => Text::Decoded(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_content_is_a_range() {
        let content = " /roll 20 ";
        let text = text_in(content, content.trim());
        assert!(matches!(&text, Text::InContent(range) if *range == (1..9)));
    }

    #[test]
    fn text_elsewhere_is_copied() {
        let content = "a &lt;b&gt;";
        let decoded = String::from("a <b>");
        let text = text_in(content, &decoded);
        assert!(matches!(&text, Text::Decoded(copy) if copy == "a <b>"));
        // Equal text at another address is still a copy.
        let text = text_in("abc", &String::from("abc"));
        assert!(matches!(text, Text::Decoded(_)));
    }
}
