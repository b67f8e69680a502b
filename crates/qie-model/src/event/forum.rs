//! Forum events (FORUM_* and OPEN_FORUM_*) and audio events.

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

use super::guild::ChannelType;
use crate::id::{ChannelId, ForumId, GuildId, UserId};
use crate::json::RawJson;
use crate::macros::int_enum;
use crate::timestamp::Timestamp;

/// A forum `title` or `content`.
///
/// Events send a JSON string that contains a RichText document, the documentation examples show
/// a RichText object or an array of RichObject, and the thread list API sends plain text.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForumContent {
    /// A string: plain text, or RichText encoded as JSON (see [`ForumContent::rich_text`]).
    Text(String),
    /// A RichText object.
    RichText(RichText),
    /// The older array of RichObject, kept raw.
    Objects(RawJson),
}

impl Default for ForumContent {
    fn default() -> Self {
        Self::Text(String::new())
    }
}

impl ForumContent {
    /// Returns the RichText document: the object itself, or a string that parses as one.
    pub fn rich_text(&self) -> Option<RichText> {
        match self {
            Self::RichText(rich_text) => Some(rich_text.clone()),
            Self::Text(text) => serde_json::from_str(text).ok(),
            Self::Objects(_) => None,
        }
    }

    /// Returns the plain text: the text elements of RichText joined by newlines between
    /// paragraphs, or the string itself when it is not RichText.
    pub fn plain_text(&self) -> String {
        let Some(rich_text) = self.rich_text() else {
            return match self {
                Self::Text(text) => text.clone(),
                _ => String::new(),
            };
        };

        rich_text
            .paragraphs
            .iter()
            .map(|paragraph| {
                paragraph
                    .elems
                    .iter()
                    .filter_map(|elem| elem.text.as_ref().map(|text| text.text.as_str()))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Serialize for ForumContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::RichText(rich_text) => rich_text.serialize(serializer),
            Self::Objects(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ForumContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(deserializer)?;
        let text = raw.get();
        let parsed = match text.as_bytes().first() {
            Some(b'"') => serde_json::from_str(text).map(ForumContent::Text),
            Some(b'{') => serde_json::from_str(text).map(ForumContent::RichText),
            Some(b'n') => Ok(ForumContent::default()),
            _ => return Ok(ForumContent::Objects(raw)),
        };

        parsed.map_err(de::Error::custom)
    }
}

/// A RichText document.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct RichText {
    /// Paragraphs.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub paragraphs: Vec<Paragraph>,
}

/// A RichText paragraph.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Paragraph {
    /// Elements.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub elems: Vec<Elem>,
    /// Paragraph properties (`alignment`: 0 left, 1 middle, 2 right).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub props: Option<RawJson>,
}

int_enum! {
    /// `type` of a RichText element.
    pub enum ElemType: u8 {
        /// 1: text.
        Text = 1,
        /// 2: image.
        Image = 2,
        /// 3: video.
        Video = 3,
        /// 4: URL.
        Url = 4,
    }
}

/// A RichText element.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Elem {
    /// Kind.
    #[serde(rename = "type")]
    pub elem_type: ElemType,
    /// Text element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextElem>,
    /// Image element (`third_url`, `width_percent`, `plat_image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<RawJson>,
    /// Video element (`third_url`, `plat_video`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<RawJson>,
    /// URL element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<UrlElem>,
}

/// A RichText text element.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct TextElem {
    /// Text.
    #[serde(default)]
    pub text: String,
    /// Font properties (`font_bold`, `italic`, `underline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub props: Option<RawJson>,
}

/// A RichText URL element.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UrlElem {
    /// URL.
    #[serde(default)]
    pub url: String,
    /// Link text.
    #[serde(default)]
    pub desc: String,
}

/// `d` of FORUM_THREAD_CREATE, FORUM_THREAD_UPDATE and FORUM_THREAD_DELETE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ForumThread {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Author.
    pub author_id: UserId,
    /// The thread.
    pub thread_info: ThreadInfo,
}

/// `thread_info` of a thread event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ThreadInfo {
    /// Thread id.
    pub thread_id: ForumId,
    /// Title.
    #[serde(default)]
    pub title: ForumContent,
    /// Body.
    #[serde(default)]
    pub content: ForumContent,
    /// Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_time: Option<Timestamp>,
}

/// `d` of FORUM_POST_CREATE and FORUM_POST_DELETE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ForumPost {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Author.
    pub author_id: UserId,
    /// The post.
    pub post_info: PostInfo,
}

/// `post_info` of a post event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PostInfo {
    /// Thread id.
    pub thread_id: ForumId,
    /// Post id.
    pub post_id: ForumId,
    /// Body.
    #[serde(default)]
    pub content: ForumContent,
    /// Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_time: Option<Timestamp>,
}

/// `d` of FORUM_REPLY_CREATE and FORUM_REPLY_DELETE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ForumReply {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Author.
    pub author_id: UserId,
    /// The reply.
    pub reply_info: ReplyInfo,
}

/// `reply_info` of a reply event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ReplyInfo {
    /// Thread id.
    pub thread_id: ForumId,
    /// Post id.
    pub post_id: ForumId,
    /// Reply id.
    pub reply_id: ForumId,
    /// Body.
    #[serde(default)]
    pub content: ForumContent,
    /// Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_time: Option<Timestamp>,
}

int_enum! {
    /// `type` of a forum audit result.
    pub enum ForumAuditType: u8 {
        /// 1: thread.
        Thread = 1,
        /// 2: post or comment.
        Post = 2,
        /// 3: reply.
        Reply = 3,
    }
}

/// `d` of FORUM_PUBLISH_AUDIT_RESULT.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ForumAuditResult {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Author.
    pub author_id: UserId,
    /// Thread id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ForumId>,
    /// Post id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<ForumId>,
    /// Reply id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_id: Option<ForumId>,
    /// Kind of content audited.
    #[serde(rename = "type")]
    pub audit_type: ForumAuditType,
    /// 0 passed, 1 failed.
    pub result: u8,
    /// Failure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_msg: Option<String>,
}

/// `d` of the OPEN_FORUM_* events (public-domain counterpart with a reduced payload).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct OpenForumEvent {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Author.
    pub author_id: UserId,
}

/// `d` of AUDIO_START, AUDIO_FINISH, AUDIO_ON_MIC and AUDIO_OFF_MIC.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct AudioAction {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// Audio URL (play events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Status text (play events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// `d` of AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER and AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct AudioLiveMember {
    /// Guild id.
    pub guild_id: GuildId,
    /// Channel id.
    pub channel_id: ChannelId,
    /// 2 voice, 5 live.
    pub channel_type: ChannelType,
    /// The user.
    pub user_id: UserId,
}
