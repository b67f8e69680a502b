//! Routes (method plus path template) and the conversations requests belong to.

use std::borrow::Cow;
use std::fmt;

use qie_model::id::{ChannelId, DmGuildId, GroupOpenid, GuildId, UserOpenid};
use reqwest::Method;

/// An API route: HTTP method and path template, such as
/// `POST /v2/groups/{group_openid}/messages`.
///
/// The template names the endpoint without ids, so it is the key of route-wide rate limits and
/// the `route` field of request spans.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    method: Method,
    template: Cow<'static, str>,
}

impl Route {
    /// A route with a static template.
    pub const fn new(method: Method, template: &'static str) -> Self {
        Self {
            method,
            template: Cow::Borrowed(template),
        }
    }

    /// A route with a template built at run time (for the escape hatch).
    pub fn dynamic(method: Method, template: String) -> Self {
        Self {
            method,
            template: Cow::Owned(template),
        }
    }

    /// Returns the HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Returns the path template.
    pub fn template(&self) -> &str {
        &self.template
    }
}

impl fmt::Display for Route {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}", self.method, self.template)
    }
}

/// The chat a request writes to, for per-conversation rate limits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Conversation {
    /// A guild text channel.
    Channel(ChannelId),
    /// A guild direct-message session.
    DirectMessage(DmGuildId),
    /// A group.
    Group(GroupOpenid),
    /// A one-to-one (C2C) chat.
    User(UserOpenid),
    /// A guild as a whole.
    Guild(GuildId),
}

impl Conversation {
    /// Returns the id text of the conversation.
    pub fn id(&self) -> &str {
        match self {
            Self::Channel(id) => id.as_str(),
            Self::DirectMessage(id) => id.as_str(),
            Self::Group(id) => id.as_str(),
            Self::User(id) => id.as_str(),
            Self::Guild(id) => id.as_str(),
        }
    }
}

/// Whether a request is a passive reply, a proactive send, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Traffic {
    /// A message that replies to an inbound message or event (`msg_id` or `event_id`). These go
    /// ahead of other traffic in every rate-limit queue, because their reply window runs out.
    Passive,
    /// A message sent without `msg_id`/`event_id` (or a file upload with `srv_send_msg`). Subject
    /// to the proactive rate limits.
    Proactive,
    /// Any other request.
    Other,
}
