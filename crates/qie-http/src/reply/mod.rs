//! Passive replies: `msg_seq` allocation, reply windows and reply counts.
//!
//! A passive reply names the message (`msg_id`) or event (`event_id`) it replies to. The platform
//! accepts such replies only within a window after that message arrived and, in groups and C2C,
//! only a few times per message. Each needs a `msg_seq` not used before for the same anchor,
//! because the platform rejects a repeat with 40054005.
//!
//! Create one [`ReplyContext`] per inbound message and send every reply to it with
//! [`Client::reply`](crate::Client::reply). The context numbers replies 1, 2, 3 …; on a
//! 40054005 the reply is sent once more with the next number. A reply that would arrive after
//! the window, or beyond the scene's reply count, fails at once with
//! [`ErrorKind::ReplyWindowExpired`](crate::ErrorKind::ReplyWindowExpired) or
//! [`ErrorKind::ReplyLimitReached`](crate::ErrorKind::ReplyLimitReached); nothing is dropped
//! silently. Proactive sends are a separate, explicit call: the client never falls back to one.
//!
//! | Scene | Window | Replies per message |
//! | --- | --- | --- |
//! | C2C | 60 min | 4 (5 before 2026-01-10) |
//! | group | 5 min | 5 |
//! | channel, guild DM | 5 min | unlimited |
//!
//! NOTE: the window of an `event_id` anchor is undocumented; the scene's message window is
//! applied to it.

mod create_reply;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use qie_model::event::{C2cMessage, ChannelMessage, GroupMessage};
use qie_model::id::{ChannelId, DmGuildId, EventId, GroupOpenid, MessageId, UserOpenid};
pub use qie_model::message::Scene;
use tokio::time::Instant;

pub use self::create_reply::{CreateReply, SentReply};

/// Reply window and per-message reply count of one scene.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplyWindow {
    /// How long after the inbound message a reply is accepted.
    pub window: Duration,
    /// How many replies one message accepts (`None`: unlimited).
    pub max_replies: Option<u32>,
}

impl ReplyWindow {
    /// Builds a rule of `window` with at most `max_replies` replies.
    pub const fn new(window: Duration, max_replies: Option<u32>) -> Self {
        Self {
            window,
            max_replies,
        }
    }
}

/// The reply rules of every scene, and a safety margin.
///
/// The platform counts the window from when it received the message. This process learns of
/// the message later (network, webhook retries), so replies stop `margin` before the window
/// ends (default 3 s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyWindows {
    c2c: ReplyWindow,
    group: ReplyWindow,
    channel: ReplyWindow,
    direct_message: ReplyWindow,
    margin: Duration,
}

impl ReplyWindows {
    /// Replaces the rule of one scene.
    #[must_use]
    pub fn with(mut self, scene: Scene, window: ReplyWindow) -> Self {
        match scene {
            Scene::C2c => self.c2c = window,
            Scene::Group => self.group = window,
            Scene::Dm => self.direct_message = window,
            _ => self.channel = window,
        }
        self
    }

    /// Sets the safety margin before the end of each window.
    #[must_use]
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Returns the rule of `scene`.
    pub fn get(&self, scene: Scene) -> ReplyWindow {
        match scene {
            Scene::C2c => self.c2c,
            Scene::Group => self.group,
            Scene::Dm => self.direct_message,
            _ => self.channel,
        }
    }

    /// Returns the safety margin.
    pub fn safety_margin(&self) -> Duration {
        self.margin
    }
}

impl Default for ReplyWindows {
    /// The documented 2026 rules: C2C 60 min and 4 replies, group 5 min and 5 replies, channel
    /// and DM 5 min and unlimited replies. The margin is 3 s.
    fn default() -> Self {
        let five_minutes = Duration::from_secs(5 * 60);

        Self {
            c2c: ReplyWindow::new(Duration::from_secs(60 * 60), Some(4)),
            group: ReplyWindow::new(five_minutes, Some(5)),
            channel: ReplyWindow::new(five_minutes, None),
            direct_message: ReplyWindow::new(five_minutes, None),
            margin: Duration::from_secs(3),
        }
    }
}

/// The chat a reply goes to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReplyTarget {
    /// A one-to-one chat (`POST /v2/users/{openid}/messages`).
    C2c(UserOpenid),
    /// A group (`POST /v2/groups/{group_openid}/messages`).
    Group(GroupOpenid),
    /// A guild text channel (`POST /channels/{channel_id}/messages`).
    Channel(ChannelId),
    /// A guild DM session (`POST /dms/{guild_id}/messages`).
    DirectMessage(DmGuildId),
}

impl ReplyTarget {
    /// Returns the scene of the target.
    pub fn scene(&self) -> Scene {
        match self {
            Self::C2c(_) => Scene::C2c,
            Self::Group(_) => Scene::Group,
            Self::Channel(_) => Scene::Channel,
            Self::DirectMessage(_) => Scene::Dm,
        }
    }
}

/// The message or event a reply refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReplyAnchor {
    /// A received message (`msg_id`: the message's `d.id`).
    Message(MessageId),
    /// A received event (`event_id`: the dispatch's top-level `id`).
    Event(EventId),
}

/// The reply state of one inbound message: target, anchor, arrival time, the next `msg_seq`
/// and the number of replies sent.
///
/// Cheap to clone; clones share the state, so replies from several tasks get distinct
/// `msg_seq` values and count against one limit.
///
/// # Examples
///
/// ```
/// use qie_http::reply::{ReplyContext, Scene};
/// use qie_model::id::{GroupOpenid, MessageId};
///
/// let context = ReplyContext::group(
///     GroupOpenid::new("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4"),
///     MessageId::new("ROBOT1.0_example"),
/// );
/// assert_eq!(context.scene(), Scene::Group);
/// assert_eq!(context.next_msg_seq(), 1);
/// assert_eq!(context.next_msg_seq(), 2);
/// ```
#[derive(Clone)]
pub struct ReplyContext {
    inner: Arc<ReplyState>,
}

struct ReplyState {
    target: ReplyTarget,
    anchor: ReplyAnchor,
    received_at: Instant,
    last_seq: AtomicU32,
    replies: AtomicU32,
}

impl ReplyContext {
    /// Creates the context of a message or event received now.
    pub fn new(target: ReplyTarget, anchor: ReplyAnchor) -> Self {
        Self::received_at(target, anchor, Instant::now())
    }

    /// Creates the context of a message or event received at `received_at`.
    pub fn received_at(target: ReplyTarget, anchor: ReplyAnchor, received_at: Instant) -> Self {
        Self {
            inner: Arc::new(ReplyState {
                target,
                anchor,
                received_at,
                last_seq: AtomicU32::new(0),
                replies: AtomicU32::new(0),
            }),
        }
    }

    /// Context of a group message received now (GROUP_AT_MESSAGE_CREATE,
    /// GROUP_MESSAGE_CREATE).
    pub fn group(group_openid: GroupOpenid, msg_id: MessageId) -> Self {
        Self::new(
            ReplyTarget::Group(group_openid),
            ReplyAnchor::Message(msg_id),
        )
    }

    /// Context of a C2C message received now (C2C_MESSAGE_CREATE).
    pub fn c2c(user_openid: UserOpenid, msg_id: MessageId) -> Self {
        Self::new(ReplyTarget::C2c(user_openid), ReplyAnchor::Message(msg_id))
    }

    /// Context of a channel message received now (AT_MESSAGE_CREATE, MESSAGE_CREATE).
    pub fn channel(channel_id: ChannelId, msg_id: MessageId) -> Self {
        Self::new(
            ReplyTarget::Channel(channel_id),
            ReplyAnchor::Message(msg_id),
        )
    }

    /// Context of a guild DM received now (DIRECT_MESSAGE_CREATE; `guild_id` is the DM's own
    /// guild id).
    pub fn direct_message(guild_id: DmGuildId, msg_id: MessageId) -> Self {
        Self::new(
            ReplyTarget::DirectMessage(guild_id),
            ReplyAnchor::Message(msg_id),
        )
    }

    /// Context of a group message event received now (GROUP_AT_MESSAGE_CREATE,
    /// GROUP_MESSAGE_CREATE).
    pub fn for_group_message(message: &GroupMessage) -> Self {
        Self::group(message.group_openid.clone(), message.id.clone())
    }

    /// Context of a C2C_MESSAGE_CREATE received now.
    pub fn for_c2c_message(message: &C2cMessage) -> Self {
        Self::c2c(message.author.user_openid.clone(), message.id.clone())
    }

    /// Context of a channel message event received now (AT_MESSAGE_CREATE, MESSAGE_CREATE).
    pub fn for_channel_message(message: &ChannelMessage) -> Self {
        Self::channel(message.channel_id.clone(), message.id.clone())
    }

    /// Context of a DIRECT_MESSAGE_CREATE received now; replies go to the DM session.
    pub fn for_direct_message(message: &ChannelMessage) -> Self {
        Self::direct_message(message.dm_guild_id(), message.id.clone())
    }

    /// Context of an event received now, replied to by `event_id` (INTERACTION_CREATE,
    /// GROUP_ADD_ROBOT, FRIEND_ADD …).
    pub fn event(target: ReplyTarget, event_id: EventId) -> Self {
        Self::new(target, ReplyAnchor::Event(event_id))
    }

    /// Returns the target.
    pub fn target(&self) -> &ReplyTarget {
        &self.inner.target
    }

    /// Returns the anchor.
    pub fn anchor(&self) -> &ReplyAnchor {
        &self.inner.anchor
    }

    /// Returns the scene.
    pub fn scene(&self) -> Scene {
        self.inner.target.scene()
    }

    /// Returns when the message or event was received.
    pub fn received(&self) -> Instant {
        self.inner.received_at
    }

    /// Returns the time since the message or event was received.
    pub fn age(&self) -> Duration {
        self.inner.received_at.elapsed()
    }

    /// Allocates the next `msg_seq`: 1 for the first call, then 2, 3 …
    ///
    /// Use it for requests that carry `msg_seq` but are not sent through
    /// [`Client::reply`](crate::Client::reply), such as stream messages (one `msg_seq` for all
    /// chunks of a stream).
    pub fn next_msg_seq(&self) -> u32 {
        self.inner.last_seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Returns the number of replies sent or in flight.
    pub fn replies(&self) -> u32 {
        self.inner.replies.load(Ordering::Relaxed)
    }

    /// Takes one reply from the scene's budget; `false` when it is used up.
    fn reserve_reply(&self, limit: Option<u32>) -> bool {
        let Some(limit) = limit else {
            self.inner.replies.fetch_add(1, Ordering::Relaxed);
            return true;
        };

        self.inner
            .replies
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |sent| {
                (sent < limit).then_some(sent + 1)
            })
            .is_ok()
    }

    /// Gives back a reply the platform did not accept.
    fn release_reply(&self) {
        let _ = self
            .inner
            .replies
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |sent| {
                sent.checked_sub(1)
            });
    }
}

impl fmt::Debug for ReplyContext {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ReplyContext")
            .field("target", &self.inner.target)
            .field("anchor", &self.inner.anchor)
            .field("age", &self.age())
            .field("last_seq", &self.inner.last_seq.load(Ordering::Relaxed))
            .field("replies", &self.replies())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_counts_from_one() {
        let context = ReplyContext::c2c(UserOpenid::new("U"), MessageId::new("M"));
        let clone = context.clone();

        assert_eq!(context.next_msg_seq(), 1);
        assert_eq!(clone.next_msg_seq(), 2);
        assert_eq!(context.next_msg_seq(), 3);
    }

    #[test]
    fn reply_budget_is_enforced_and_released() {
        let context = ReplyContext::group(GroupOpenid::new("G"), MessageId::new("M"));

        for _ in 0..5 {
            assert!(context.reserve_reply(Some(5)));
        }
        assert!(!context.reserve_reply(Some(5)));

        context.release_reply();
        assert!(context.reserve_reply(Some(5)));
        assert_eq!(context.replies(), 5);
    }

    fn dispatch_data<T: serde::de::DeserializeOwned>(name: &str) -> T {
        let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let frame: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        serde_json::from_value(frame["d"].clone()).unwrap()
    }

    #[test]
    fn contexts_from_events() {
        let group: GroupMessage = dispatch_data("dispatch.group_at_message_create.json");
        let context = ReplyContext::for_group_message(&group);
        assert_eq!(
            context.target(),
            &ReplyTarget::Group(GroupOpenid::new("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4"))
        );
        assert_eq!(context.anchor(), &ReplyAnchor::Message(group.id.clone()));

        let c2c: C2cMessage = dispatch_data("dispatch.c2c_message_create.json");
        let context = ReplyContext::for_c2c_message(&c2c);
        assert_eq!(
            context.target(),
            &ReplyTarget::C2c(UserOpenid::new("3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C"))
        );

        let direct: ChannelMessage = dispatch_data("dispatch.direct_message_create.json");
        let context = ReplyContext::for_direct_message(&direct);
        assert_eq!(
            context.target(),
            &ReplyTarget::DirectMessage(DmGuildId::new("7999000000000000001"))
        );
        assert_eq!(context.scene(), Scene::Dm);

        let channel: ChannelMessage = dispatch_data("dispatch.at_message_create.json");
        let context = ReplyContext::for_channel_message(&channel);
        assert_eq!(
            context.target(),
            &ReplyTarget::Channel(ChannelId::new("5550001"))
        );
    }

    #[test]
    fn default_windows_match_documentation() {
        let windows = ReplyWindows::default();

        assert_eq!(windows.get(Scene::C2c).window, Duration::from_secs(3600));
        assert_eq!(windows.get(Scene::C2c).max_replies, Some(4));
        assert_eq!(windows.get(Scene::Group).window, Duration::from_secs(300));
        assert_eq!(windows.get(Scene::Group).max_replies, Some(5));
        assert_eq!(windows.get(Scene::Channel).max_replies, None);
        assert_eq!(windows.get(Scene::Dm).window, Duration::from_secs(300));
    }
}
