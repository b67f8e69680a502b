//! One view of a user message for every scene, and the conversation an event belongs to.

use std::sync::Arc;

use qie_http::reply::ReplyTarget;
use qie_model::event::{
    Attachment, C2cMessage, ChannelMessage, Event, GroupMessage, Interaction,
    strip_leading_mention, unescape,
};
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
/// Cloning is cheap: the fields are shared.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    data: Arc<MessageData>,
}

#[derive(Debug, PartialEq, Eq)]
struct MessageData {
    id: MessageId,
    conversation: Conversation,
    author: Author,
    content: String,
    text: String,
    addressed: bool,
    attachments: Vec<Attachment>,
    timestamp: Option<Timestamp>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let data = &*self.data;
        f.debug_struct("Message")
            .field("id", &data.id)
            .field("conversation", &data.conversation)
            .field("author", &data.author)
            .field("content", &data.content)
            .field("text", &data.text)
            .field("addressed", &data.addressed)
            .field("attachments", &data.attachments)
            .field("timestamp", &data.timestamp)
            .finish()
    }
}

impl Message {
    fn new(data: MessageData) -> Self {
        Self {
            data: Arc::new(data),
        }
    }

    /// Builds the view of a user message, or `None` for other events.
    ///
    /// `bot_id` is the bot's guild user id from READY; it finds the bot's mention in guild
    /// messages. Without it, a leading mention of any bot in `mentions` counts.
    pub fn from_event(event: &Event, bot_id: Option<&UserId>) -> Option<Self> {
        Self::in_conversation(event, Conversation::of(event), bot_id)
    }

    /// [`from_event`](Self::from_event) with the conversation already worked out.
    pub(crate) fn in_conversation(
        event: &Event,
        conversation: Conversation,
        bot_id: Option<&UserId>,
    ) -> Option<Self> {
        let message = match event {
            Event::AtMessageCreate(message) | Event::DirectMessageCreate(message) => {
                Self::from_channel(message, conversation, bot_id, true)
            }
            Event::MessageCreate(message) => {
                Self::from_channel(message, conversation, bot_id, false)
            }
            Event::GroupAtMessageCreate(message) => Self::from_group(message, conversation, true),
            Event::GroupMessageCreate(message) => {
                let addressed = message.mentions_me();
                Self::from_group(message, conversation, addressed)
            }
            Event::C2cMessageCreate(message) => Self::from_c2c(message, conversation),
            _ => return None,
        };

        Some(message)
    }

    fn from_channel(
        message: &ChannelMessage,
        conversation: Conversation,
        bot_id: Option<&UserId>,
        addressed: bool,
    ) -> Self {
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

        Self::new(MessageData {
            id: message.id.clone(),
            conversation,
            author: Author::Guild {
                id: message.author.id.clone(),
                username: (*message.author.username).to_owned(),
                bot: message.author.bot,
            },
            content: message.content.clone(),
            text: unescape(stripped).trim_end().to_owned(),
            addressed: addressed || mentioned,
            attachments: message.attachments.clone(),
            timestamp: message.timestamp.clone(),
        })
    }

    fn from_group(message: &GroupMessage, conversation: Conversation, addressed: bool) -> Self {
        Self::new(MessageData {
            id: message.id.clone(),
            conversation,
            author: Author::Member {
                member_openid: message.author.member_openid.clone(),
                username: message.author.username.as_deref().map(str::to_owned),
            },
            content: message.content.clone(),
            text: message.command_text().trim_end().to_owned(),
            addressed,
            attachments: message.attachments.clone(),
            timestamp: message.timestamp.clone(),
        })
    }

    fn from_c2c(message: &C2cMessage, conversation: Conversation) -> Self {
        Self::new(MessageData {
            id: message.id.clone(),
            conversation,
            author: Author::User {
                user_openid: message.author.user_openid.clone(),
            },
            content: message.content.clone(),
            text: message.command_text().trim_end().to_owned(),
            addressed: true,
            attachments: message.attachments.clone(),
            timestamp: message.timestamp.clone(),
        })
    }

    /// Returns the message id, which replies carry as `msg_id`.
    pub fn id(&self) -> &MessageId {
        &self.data.id
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
        &self.data.content
    }

    /// Returns the text the user typed: without the bot mention, without the leading space of group
    /// messages, with guild escapes decoded and outer whitespace trimmed.
    pub fn text(&self) -> &str {
        &self.data.text
    }

    /// Returns whether the message is addressed to the bot: a guild @ message, a DM, a group @
    /// message, a C2C message, or a channel or group message that mentions the bot.
    pub fn is_addressed(&self) -> bool {
        self.data.addressed
    }

    /// Attachments (images, voice, video, files).
    pub fn attachments(&self) -> &[Attachment] {
        &self.data.attachments
    }

    /// When it was sent.
    pub fn timestamp(&self) -> Option<&Timestamp> {
        self.data.timestamp.as_ref()
    }
}
