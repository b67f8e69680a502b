//! Runtime records: conversations, anchors of passive replies, messages the bots sent, guild
//! messages, reactions, pins, announcements, mutes, uploads and rate windows.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use tokio::time::Instant;

use crate::Error;

/// A conversation as a bot sees it.
///
/// Its text form, used by the control API, is `channel:{channel_id}`, `dm:{dm_guild_id}`,
/// `group:{group_openid}` or `c2c:{user_openid}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Conversation {
    /// A guild text channel, by channel id.
    Channel(String),
    /// A guild DM session, by the DM's guild id.
    Dm(String),
    /// A group, by the bot's `group_openid`.
    Group(String),
    /// A C2C chat, by the bot's `user_openid` of the user.
    C2c(String),
}

impl Conversation {
    /// Returns the id part.
    pub fn id(&self) -> &str {
        match self {
            Self::Channel(id) | Self::Dm(id) | Self::Group(id) | Self::C2c(id) => id,
        }
    }
}

impl fmt::Display for Conversation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Channel(id) => write!(f, "channel:{id}"),
            Self::Dm(id) => write!(f, "dm:{id}"),
            Self::Group(id) => write!(f, "group:{id}"),
            Self::C2c(id) => write!(f, "c2c:{id}"),
        }
    }
}

impl FromStr for Conversation {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (kind, id) = text.split_once(':').ok_or_else(|| {
            Error::invalid(format!(
                "conversation {text:?} has no kind; write channel:ID, dm:ID, group:OPENID or c2c:OPENID"
            ))
        })?;
        if id.is_empty() {
            return Err(Error::invalid(format!(
                "conversation {text:?} has an empty id"
            )));
        }
        match kind {
            "channel" => Ok(Self::Channel(id.to_owned())),
            "dm" => Ok(Self::Dm(id.to_owned())),
            "group" => Ok(Self::Group(id.to_owned())),
            "c2c" => Ok(Self::C2c(id.to_owned())),
            other => Err(Error::invalid(format!(
                "conversation kind {other:?} is unknown; use channel, dm, group or c2c"
            ))),
        }
    }
}

impl Serialize for Conversation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Conversation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A message a bot sent, as the emulator received it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct SentMessage {
    /// The sending bot.
    pub app_id: String,
    /// Where it was sent.
    pub conversation: Conversation,
    /// The id the emulator assigned.
    pub id: String,
    /// RFC 3339 send time.
    pub timestamp: String,
    /// `msg_type` (group and C2C only).
    pub msg_type: Option<u64>,
    /// `content`.
    pub content: Option<String>,
    /// `msg_id` the message replied to.
    pub msg_id: Option<String>,
    /// `event_id` the message replied to.
    pub event_id: Option<String>,
    /// `msg_seq` (group and C2C only).
    pub msg_seq: Option<u64>,
    /// `markdown`.
    pub markdown: Option<Value>,
    /// `keyboard`.
    pub keyboard: Option<Value>,
    /// `ark`.
    pub ark: Option<Value>,
    /// `embed`.
    pub embed: Option<Value>,
    /// `media` (group and C2C).
    pub media: Option<Value>,
    /// `image` URL (guild).
    pub image: Option<String>,
    /// Size of an uploaded `file_image` part (guild multipart sends).
    pub file_image_len: Option<usize>,
    /// `message_reference`.
    pub message_reference: Option<Value>,
    /// `input_notify` of a typing notice.
    pub input_notify: Option<Value>,
    /// Whether it was a passive reply (`msg_id` or `event_id`).
    pub passive: bool,
    /// Whether the bot recalled it.
    pub recalled: bool,
    /// The whole request body (multipart fields as an object).
    pub body: Value,
}

/// What an anchor of a passive reply may be used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AnchorScope {
    /// Replies go to exactly this conversation.
    Conversation(crate::store::Conversation),
    /// Replies go to any text channel of this guild (guild events).
    Guild(String),
}

/// A received message or event that a bot may reply to.
#[derive(Debug, Clone)]
pub(crate) struct Anchor {
    pub(crate) scope: AnchorScope,
    /// Event type for event anchors, `None` for messages.
    pub(crate) event_type: Option<String>,
    pub(crate) replyable: bool,
    pub(crate) created: Instant,
    /// Extra age added through the control API.
    pub(crate) aged: Duration,
    pub(crate) replies: u32,
    pub(crate) seqs: HashSet<u64>,
}

impl Anchor {
    pub(crate) fn new(scope: AnchorScope, event_type: Option<String>, replyable: bool) -> Self {
        Self {
            scope,
            event_type,
            replyable,
            created: Instant::now(),
            aged: Duration::ZERO,
            replies: 0,
            seqs: HashSet::new(),
        }
    }

    pub(crate) fn age(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.created) + self.aged
    }
}

/// A guild channel or DM message (user's or bot's), kept for GET, recall, pins and reactions.
#[derive(Debug, Clone)]
pub(crate) struct GuildMessage {
    pub(crate) channel_id: String,
    pub(crate) guild_id: String,
    pub(crate) author_id: String,
    pub(crate) by_bot: Option<String>,
    pub(crate) object: Value,
    pub(crate) deleted: bool,
}

/// A group or C2C message a bot sent, kept for recall.
#[derive(Debug, Clone)]
pub(crate) struct RobotMessage {
    pub(crate) app_id: String,
    pub(crate) conversation: Conversation,
    pub(crate) sent_at: Instant,
    pub(crate) sent_index: usize,
}

/// An uploaded rich-media file.
#[derive(Debug, Clone)]
pub(crate) struct MediaFile {
    pub(crate) app_id: String,
    /// `group` or `c2c`: a file may only be sent in the scene it was uploaded for.
    pub(crate) scene: &'static str,
}

/// A chunked upload in progress.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub(crate) app_id: String,
    pub(crate) scene: &'static str,
    pub(crate) target: String,
    pub(crate) file_size: u64,
    pub(crate) md5: String,
    pub(crate) block_size: u64,
    pub(crate) parts: Vec<UploadPart>,
}

/// One part of a chunked upload.
#[derive(Debug, Clone, Default)]
pub(crate) struct UploadPart {
    pub(crate) data: Option<Vec<u8>>,
    pub(crate) finished: bool,
}

/// Per (bot, user) C2C state.
#[derive(Debug, Clone)]
pub(crate) struct C2cState {
    pub(crate) friend: bool,
    pub(crate) allow_proactive: bool,
    pub(crate) last_inbound: Option<Instant>,
    /// Wake-up periods already used since `last_inbound` (0 same day, 1 days 1–3, 2 days 3–7,
    /// 3 days 7–30).
    pub(crate) wakeups_used: HashSet<u8>,
}

/// Sliding windows for rate limits, keyed by a descriptive string.
#[derive(Debug, Default)]
pub(crate) struct Windows {
    hits: HashMap<String, VecDeque<Instant>>,
}

impl Windows {
    /// Whether one more hit fits `limit` per `window`; does not record it.
    pub(crate) fn allows(&mut self, key: &str, limit: u32, window: Duration, now: Instant) -> bool {
        let Some(hits) = self.hits.get_mut(key) else {
            return limit > 0;
        };
        while hits
            .front()
            .is_some_and(|first| now.saturating_duration_since(*first) >= window)
        {
            hits.pop_front();
        }

        hits.len() < limit as usize
    }

    /// Records a hit.
    pub(crate) fn record(&mut self, key: &str, now: Instant) {
        self.hits.entry(key.to_owned()).or_default().push_back(now);
    }

    /// Checks and records in one step; returns whether the hit was allowed.
    pub(crate) fn hit(&mut self, key: &str, limit: u32, window: Duration, now: Instant) -> bool {
        if !self.allows(key, limit, window, now) {
            return false;
        }
        self.record(key, now);

        true
    }
}

/// Everything recorded while the emulator runs.
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Passive-reply anchors keyed by (AppID, msg_id or event_id).
    pub(crate) anchors: HashMap<(String, String), Anchor>,
    /// Messages the bots sent, in order.
    pub(crate) sent: Vec<SentMessage>,
    /// Guild channel and DM messages by id.
    pub(crate) guild_messages: HashMap<String, GuildMessage>,
    /// Group and C2C messages the bots sent, by id.
    pub(crate) robot_messages: HashMap<String, RobotMessage>,
    /// Next `seq_in_channel` per channel.
    pub(crate) channel_seq: HashMap<String, u64>,
    /// Reactions: (channel, message, emoji type, emoji id) → user ids in order.
    pub(crate) reactions: BTreeMap<(String, String, u32, String), Vec<String>>,
    /// Pinned message ids per channel.
    pub(crate) pins: HashMap<String, Vec<String>>,
    /// Current guild announcement per guild.
    pub(crate) announces: HashMap<String, Value>,
    /// Channel announcement per channel (deprecated API).
    pub(crate) channel_announces: HashMap<String, Value>,
    /// Mute end (Unix seconds) per (guild, user id or `""` for the whole guild).
    pub(crate) mutes: HashMap<(String, String), i64>,
    /// Channel permission overrides: (channel, `user:ID` or `role:ID`) → bitmask.
    pub(crate) permissions: HashMap<(String, String), u64>,
    /// Uploaded media by `file_info`.
    pub(crate) files: HashMap<String, MediaFile>,
    /// Chunked uploads by `upload_id`.
    pub(crate) uploads: HashMap<String, Upload>,
    /// Interactions delivered: (AppID, interaction id) → ack code once acknowledged.
    pub(crate) interactions: HashMap<(String, String), Option<u64>>,
    /// C2C state per (AppID, user id).
    pub(crate) c2c: HashMap<(String, String), C2cState>,
    /// Permission demands sent per guild (for the 3-per-day limit).
    pub(crate) demands: Windows,
    /// Rate windows.
    pub(crate) windows: Windows,
}
