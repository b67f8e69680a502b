//! Typed `d` payloads of the gateway control frames.

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeTuple, Serializer};

use super::Intents;
use crate::id::UserId;
use crate::secret::GatewayToken;

/// `d` of Hello (op 10).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Hello {
    /// Heartbeat interval in milliseconds (45000 in the documented example; never hard-code it).
    pub heartbeat_interval: u64,
}

impl Hello {
    /// Builds a Hello payload.
    pub const fn new(heartbeat_interval: u64) -> Self {
        Self { heartbeat_interval }
    }
}

/// A shard as `[shard_id, num_shards]`; `[0, 1]` when not sharding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    /// Zero-based shard number.
    pub id: u32,
    /// Total number of shards.
    pub total: u32,
}

impl Shard {
    /// The single shard of an unsharded bot.
    pub const ONE: Self = Self { id: 0, total: 1 };

    /// Builds a shard; `id` must be less than `total` for the gateway to accept it.
    pub const fn new(id: u32, total: u32) -> Self {
        Self { id, total }
    }

    /// Returns the shard that receives the events of a guild:
    /// `(guild_id >> 22) % total`, the guild id parsed as u64.
    ///
    /// Returns `None` when `guild_id` is not decimal u64 text or `total` is 0.
    pub fn for_guild(guild_id: &str, total: u32) -> Option<u32> {
        let guild = guild_id.parse::<u64>().ok()?;
        let shard = (guild >> 22).checked_rem(u64::from(total))?;

        u32::try_from(shard).ok()
    }
}

impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(&self.id)?;
        tuple.serialize_element(&self.total)?;
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let [id, total] = <[u32; 2]>::deserialize(deserializer)?;
        if total == 0 && id != 0 {
            return Err(de::Error::custom(format_args!(
                "invalid shard [{id}, {total}]: the shard count must be at least 1"
            )));
        }

        Ok(Self { id, total })
    }
}

/// `d.properties` of Identify. The platform ignores it; it may be left empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct IdentifyProperties {
    /// Operating system.
    #[serde(rename = "$os", default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// Library name.
    #[serde(rename = "$browser", default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// Device or library name.
    #[serde(rename = "$device", default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

impl IdentifyProperties {
    /// Builds properties naming the operating system and the library.
    pub fn new(os: impl Into<String>, library: impl Into<String>) -> Self {
        let library = library.into();

        Self {
            os: Some(os.into()),
            browser: Some(library.clone()),
            device: Some(library),
        }
    }
}

/// `d` of Identify (op 2). Debug redacts the token.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Identify {
    /// `QQBot {access_token}`.
    pub token: GatewayToken,
    /// Subscribed event families.
    pub intents: Intents,
    /// This connection's shard.
    pub shard: Shard,
    /// Client properties (ignored by the platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<IdentifyProperties>,
}

impl Identify {
    /// Builds an Identify payload without properties.
    pub fn new(token: GatewayToken, intents: Intents, shard: Shard) -> Self {
        Self {
            token,
            intents,
            shard,
            properties: None,
        }
    }

    /// Sets the client properties.
    #[must_use]
    pub fn with_properties(mut self, properties: IdentifyProperties) -> Self {
        self.properties = Some(properties);
        self
    }
}

/// `d` of Resume (op 6). Debug redacts the token.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Resume {
    /// `QQBot {access_token}` (servers also see bare tokens from botgo).
    pub token: GatewayToken,
    /// `session_id` from READY.
    pub session_id: String,
    /// Last `s` the client processed; the server replays every dispatch after it.
    pub seq: u64,
}

impl Resume {
    /// Builds a Resume payload.
    pub fn new(token: GatewayToken, session_id: impl Into<String>, seq: u64) -> Self {
        Self {
            token,
            session_id: session_id.into(),
            seq,
        }
    }
}

/// `d` of the READY dispatch.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Ready {
    /// Protocol version (1).
    #[serde(default)]
    pub version: u32,
    /// Session id; keep it for Resume.
    pub session_id: String,
    /// The bot's own guild-scope user.
    pub user: ReadyUser,
    /// The shard of this connection.
    #[serde(default = "default_shard")]
    pub shard: Shard,
}

impl Ready {
    /// Builds a READY payload.
    pub fn new(session_id: impl Into<String>, user: ReadyUser, shard: Shard) -> Self {
        Self {
            version: 1,
            session_id: session_id.into(),
            user,
            shard,
        }
    }
}

const fn default_shard() -> Shard {
    Shard::ONE
}

/// The bot's own user in READY.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ReadyUser {
    /// Guild-scope user id of the bot (the id in `<@!…>` mentions of the bot).
    pub id: UserId,
    /// Bot name.
    #[serde(default)]
    pub username: String,
    /// Always `true` for bots.
    #[serde(default)]
    pub bot: bool,
}

impl ReadyUser {
    /// Builds the READY user of a bot.
    pub fn new(id: UserId, username: impl Into<String>) -> Self {
        Self {
            id,
            username: username.into(),
            bot: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn shard_for_guild_uses_snowflake_routing() {
        assert_eq!(Shard::for_guild("7010203040506070801", 1), Some(0));
        assert_eq!(
            Shard::for_guild("7010203040506070801", 4),
            Some(u32::try_from((7_010_203_040_506_070_801_u64 >> 22) % 4).unwrap())
        );
        assert_eq!(Shard::for_guild("not-a-number", 4), None);
        assert_eq!(Shard::for_guild("1", 0), None);
    }

    #[test]
    fn shard_serializes_as_array() {
        assert_eq!(serde_json::to_string(&Shard::new(1, 4)).unwrap(), "[1,4]");
        assert_eq!(
            serde_json::from_str::<Shard>("[2,4]").unwrap(),
            Shard::new(2, 4)
        );
        assert!(serde_json::from_str::<Shard>("[1,0]").is_err());
    }
}
