//! Typed string ids.
//!
//! Every QQ id is a string on the wire: guild, channel and guild user ids are decimal u64 text,
//! openids are 32 upper-case hex characters, group and C2C message ids look like `ROBOT1.0_…`.
//! [`Id<M>`] wraps the string and carries a marker type, so a [`GroupOpenid`] cannot be passed
//! where a [`ChannelId`] is expected. Deserializing accepts a JSON string or an integer (some
//! documented examples send guild and channel ids as numbers).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::text::SmallString;

/// Marker types of [`Id`]. They have no values; they only tell ids apart.
pub mod marker {
    /// Guild (频道服务器) id: decimal u64 text.
    #[derive(Debug)]
    pub enum GuildMarker {}
    /// Guild id of a direct-message session (not the guild the DM started from).
    #[derive(Debug)]
    pub enum DmGuildMarker {}
    /// Channel (子频道) id: decimal text.
    #[derive(Debug)]
    pub enum ChannelMarker {}
    /// Guild-scope user id (`author.id` in guild events): decimal u64 text, not a QQ number.
    #[derive(Debug)]
    pub enum UserMarker {}
    /// Guild role id: decimal text (`1` everyone, `2` admin, `4` owner, `5` channel admin).
    #[derive(Debug)]
    pub enum RoleMarker {}
    /// Message id: `ROBOT1.0_…` in groups and C2C, long lower-case hex in guilds.
    #[derive(Debug)]
    pub enum MessageMarker {}
    /// Group openid: a group as seen by one bot.
    #[derive(Debug)]
    pub enum GroupOpenidMarker {}
    /// Member openid: a user inside one group, as seen by one bot.
    #[derive(Debug)]
    pub enum MemberOpenidMarker {}
    /// User openid: a user in one-to-one (C2C) chat, as seen by one bot.
    #[derive(Debug)]
    pub enum UserOpenidMarker {}
    /// Union openid: the cross-app id, filled only for specially configured bots.
    #[derive(Debug)]
    pub enum UnionOpenidMarker {}
    /// Event id: the top-level `id` of a dispatch, used as `event_id` for passive replies.
    #[derive(Debug)]
    pub enum EventMarker {}
    /// Interaction id: `d.id` of INTERACTION_CREATE, the path of `PUT /interactions/{id}`.
    #[derive(Debug)]
    pub enum InteractionMarker {}
    /// AppID (bot id): decimal text.
    #[derive(Debug)]
    pub enum ApplicationMarker {}
    /// Message audit id (MESSAGE_AUDIT_* and the 304023/304024 send results).
    #[derive(Debug)]
    pub enum AuditMarker {}
    /// Forum thread, post or reply id.
    #[derive(Debug)]
    pub enum ForumMarker {}
}

use marker::{
    ApplicationMarker, AuditMarker, ChannelMarker, DmGuildMarker, EventMarker, ForumMarker,
    GroupOpenidMarker, GuildMarker, InteractionMarker, MemberOpenidMarker, MessageMarker,
    RoleMarker, UnionOpenidMarker, UserMarker, UserOpenidMarker,
};

/// Guild id.
pub type GuildId = Id<GuildMarker>;
/// Guild id of a DM session (`POST /dms/{guild_id}/messages`).
pub type DmGuildId = Id<DmGuildMarker>;
/// Channel id.
pub type ChannelId = Id<ChannelMarker>;
/// Guild-scope user id.
pub type UserId = Id<UserMarker>;
/// Guild role id.
pub type RoleId = Id<RoleMarker>;
/// Message id (reply with it as `msg_id`).
pub type MessageId = Id<MessageMarker>;
/// Group openid.
pub type GroupOpenid = Id<GroupOpenidMarker>;
/// Member openid (valid only within its group).
pub type MemberOpenid = Id<MemberOpenidMarker>;
/// User openid (C2C).
pub type UserOpenid = Id<UserOpenidMarker>;
/// Union openid (often empty on the wire).
pub type UnionOpenid = Id<UnionOpenidMarker>;
/// Event id (reply with it as `event_id`).
pub type EventId = Id<EventMarker>;
/// Interaction id.
pub type InteractionId = Id<InteractionMarker>;
/// AppID.
pub type AppId = Id<ApplicationMarker>;
/// Message audit id.
pub type AuditId = Id<AuditMarker>;
/// Forum thread, post or reply id.
pub type ForumId = Id<ForumMarker>;

/// A string id tagged with the kind of thing it names.
pub struct Id<M> {
    value: SmallString,
    marker: PhantomData<fn(M) -> M>,
}

impl<M> Id<M> {
    /// Wraps an id string.
    pub fn new(value: impl Into<String>) -> Self {
        Self::from_text(SmallString::from(value.into()))
    }

    pub(crate) const fn from_text(value: SmallString) -> Self {
        Self {
            value,
            marker: PhantomData,
        }
    }

    /// Returns the id text.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Returns whether the id is the empty string (the platform sends `""` for absent union
    /// openids).
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Converts into an id of another kind.
    ///
    /// Use it only where the platform documents that two ids are equal, for example a group
    /// message's `author.id` and `author.member_openid`.
    pub fn cast<N>(self) -> Id<N> {
        Id::from_text(self.value)
    }

    /// Parses the id as an unsigned integer (guild, channel and user ids are decimal u64 text).
    pub fn to_u64(&self) -> Option<u64> {
        self.value.parse().ok()
    }
}

impl<M> Default for Id<M> {
    /// Returns the empty id.
    fn default() -> Self {
        Self::from_text(SmallString::default())
    }
}

impl<M> Clone for Id<M> {
    fn clone(&self) -> Self {
        Self::from_text(self.value.clone())
    }
}

impl<M> PartialEq for Id<M> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<M> Eq for Id<M> {}

impl<M> PartialEq<str> for Id<M> {
    fn eq(&self, other: &str) -> bool {
        self.value == *other
    }
}

impl<M> PartialEq<&str> for Id<M> {
    fn eq(&self, other: &&str) -> bool {
        self.value == **other
    }
}

impl<M> Hash for Id<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<M> PartialOrd for Id<M> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<M> Ord for Id<M> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<M> Borrow<str> for Id<M> {
    fn borrow(&self) -> &str {
        &self.value
    }
}

impl<M> AsRef<str> for Id<M> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<M> fmt::Debug for Id<M> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("Id")
            .field(&self.value.as_str())
            .finish()
    }
}

impl<M> fmt::Display for Id<M> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.value)
    }
}

impl<M> From<&str> for Id<M> {
    fn from(value: &str) -> Self {
        Self::from_text(SmallString::new(value))
    }
}

impl<M> From<String> for Id<M> {
    fn from(value: String) -> Self {
        Self::from_text(SmallString::from(value))
    }
}

impl<M> FromStr for Id<M> {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(value))
    }
}

impl<M> Serialize for Id<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, M> Deserialize<'de> for Id<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor(PhantomData))
    }
}

struct IdVisitor<M>(PhantomData<fn(M) -> M>);

impl<M> Visitor<'_> for IdVisitor<M> {
    type Value = Id<M>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an id as a string or an integer")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Id<M>, E> {
        Ok(Id::from(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Id<M>, E> {
        Ok(Id::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Id<M>, E> {
        Ok(Id::new(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Id<M>, E> {
        Ok(Id::new(value.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_accepts_string_and_integer() {
        let from_string: GuildId = serde_json::from_str("\"7010203040506070801\"").unwrap();
        let from_number: GuildId = serde_json::from_str("7010203040506070801").unwrap();

        assert_eq!(from_string, from_number);
        assert_eq!(from_string.to_u64(), Some(7_010_203_040_506_070_801));
        assert_eq!(
            serde_json::to_string(&from_number).unwrap(),
            "\"7010203040506070801\""
        );
    }

    #[test]
    fn id_rejects_other_json_types() {
        assert!(serde_json::from_str::<ChannelId>("true").is_err());
        assert!(serde_json::from_str::<ChannelId>("{}").is_err());
    }

    #[test]
    fn id_debug_and_display() {
        let id = GroupOpenid::new("6A1C");

        assert_eq!(format!("{id:?}"), "Id(\"6A1C\")");
        assert_eq!(id.to_string(), "6A1C");
        assert_eq!(id, "6A1C");
    }
}
