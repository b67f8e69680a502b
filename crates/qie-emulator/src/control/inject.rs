//! Request types of the injection calls and the payloads they produce.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Scene of an injected user message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Scene {
    /// A guild text channel message that @-mentions the bot (AT_MESSAGE_CREATE, and
    /// MESSAGE_CREATE for GUILD_MESSAGES sessions). Target: channel id.
    GuildAt,
    /// A guild text channel message without a mention (MESSAGE_CREATE). Target: channel id.
    Guild,
    /// A guild DM (DIRECT_MESSAGE_CREATE). Target: the DM's guild id.
    Dm,
    /// A group message that @-mentions the bot (GROUP_AT_MESSAGE_CREATE, or
    /// GROUP_MESSAGE_CREATE in a group that receives every message). Target: group openid or key.
    GroupAt,
    /// A group message without a mention (GROUP_MESSAGE_CREATE, only in groups whose
    /// `recv_msg_setting` is `all`). Target: group openid or key.
    Group,
    /// A C2C message (C2C_MESSAGE_CREATE). Target: user openid or user id.
    C2c,
}

/// A user message to inject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserMessage {
    /// Receiving bot; default the first bot.
    #[serde(default)]
    pub app_id: Option<String>,
    /// Scene.
    pub scene: Scene,
    /// Channel id, DM guild id, group openid or key, or user openid or id.
    pub target: String,
    /// Sender: guild user id, or for groups and C2C a user id or openid; default the first
    /// member of the conversation.
    #[serde(default)]
    pub author: Option<String>,
    /// Text.
    #[serde(default)]
    pub content: String,
    /// Attachments, copied into the payload as given.
    #[serde(default)]
    pub attachments: Vec<Value>,
}

impl UserMessage {
    /// A message in `scene` to `target`.
    pub fn new(scene: Scene, target: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            app_id: None,
            scene,
            target: target.into(),
            author: None,
            content: content.into(),
            attachments: Vec::new(),
        }
    }

    /// A guild channel message that mentions the bot.
    pub fn guild_at(channel_id: impl Into<String>, content: impl Into<String>) -> Self {
        Self::new(Scene::GuildAt, channel_id, content)
    }

    /// A guild channel message without a mention.
    pub fn guild(channel_id: impl Into<String>, content: impl Into<String>) -> Self {
        Self::new(Scene::Guild, channel_id, content)
    }

    /// A guild DM.
    pub fn dm(dm_guild_id: impl Into<String>, content: impl Into<String>) -> Self {
        Self::new(Scene::Dm, dm_guild_id, content)
    }

    /// A group message that mentions the bot.
    pub fn group_at(group: impl Into<String>, content: impl Into<String>) -> Self {
        Self::new(Scene::GroupAt, group, content)
    }

    /// A group message without a mention.
    pub fn group(group: impl Into<String>, content: impl Into<String>) -> Self {
        Self::new(Scene::Group, group, content)
    }

    /// A C2C message.
    pub fn c2c(user: impl Into<String>, content: impl Into<String>) -> Self {
        Self::new(Scene::C2c, user, content)
    }

    /// Sets the sender.
    #[must_use]
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }

    /// Sets the receiving bot.
    #[must_use]
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Adds an attachment object.
    #[must_use]
    pub fn attachment(mut self, attachment: Value) -> Self {
        self.attachments.push(attachment);
        self
    }
}

/// What an injection produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Injected {
    /// Message id (`d.id`) of an injected message: the `msg_id` for replies.
    pub msg_id: Option<String>,
    /// Interaction id (`d.id`) of an injected click.
    pub interaction_id: Option<String>,
    /// Event ids (top-level `id`) of the dispatches, in order; empty when nothing was delivered.
    pub event_ids: Vec<String>,
    /// Event types of the dispatches, in the same order.
    pub event_types: Vec<String>,
    /// Deliveries of the dispatches, summed: gateway sessions that received one or keep it for
    /// Resume, and webhook deliveries queued. 0 means no connected bot subscribes to them.
    #[serde(default)]
    pub deliveries: usize,
    /// The reason nothing was delivered, when nothing was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Sets the note of an injection that produced dispatches which reached no session or webhook.
pub(crate) fn undelivered_note(app_id: &str, mut injected: Injected) -> Injected {
    if injected.deliveries == 0 && !injected.event_types.is_empty() && injected.note.is_none() {
        let types = injected.event_types.join(", ");
        tracing::warn!(app_id, events = %types, "injected events reached no session or webhook");
        injected.note = Some(format!(
            "not delivered: no gateway session or webhook of bot {app_id} subscribes to {types}; \
             connect the bot first, or check its intents"
        ));
    }

    injected
}

/// Kinds of membership and relationship changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// Joined / added (GUILD_MEMBER_ADD, GROUP_MEMBER_ADD, GROUP_ADD_ROBOT, FRIEND_ADD).
    Add,
    /// Left / removed (…_REMOVE, GROUP_DEL_ROBOT, FRIEND_DEL).
    Remove,
    /// Guild member changed (GUILD_MEMBER_UPDATE).
    Update,
    /// Proactive messages allowed (GROUP_MSG_RECEIVE, C2C_MSG_RECEIVE).
    MsgReceive,
    /// Proactive messages refused (GROUP_MSG_REJECT, C2C_MSG_REJECT).
    MsgReject,
}

/// A button click (INTERACTION_CREATE).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Click {
    /// Receiving bot; default the first bot.
    #[serde(default)]
    pub app_id: Option<String>,
    /// `group`, `c2c` or `guild`.
    pub scene: String,
    /// Group openid or key, user openid or id, or channel id.
    pub target: String,
    /// Who clicked: user id or openid; default the first member.
    #[serde(default)]
    pub user: Option<String>,
    /// `button_id`.
    #[serde(default)]
    pub button_id: String,
    /// `button_data`.
    #[serde(default)]
    pub button_data: String,
    /// Clicked message (guild scene).
    #[serde(default)]
    pub message_id: Option<String>,
    /// Interaction type; default 11 (message button).
    #[serde(default = "default_click_type")]
    pub kind: u64,
}

fn default_click_type() -> u64 {
    11
}

impl Click {
    /// A click on a button with `button_id` and `button_data`.
    pub fn new(
        scene: impl Into<String>,
        target: impl Into<String>,
        button_id: impl Into<String>,
        button_data: impl Into<String>,
    ) -> Self {
        Self {
            app_id: None,
            scene: scene.into(),
            target: target.into(),
            user: None,
            button_id: button_id.into(),
            button_data: button_data.into(),
            message_id: None,
            kind: 11,
        }
    }
}
