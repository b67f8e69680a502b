//! The errors that end a shard.

use std::fmt;

use qie_model::gateway::CloseCode;

use crate::ShardId;

/// A shard stopped for good: reconnecting cannot succeed without a change by a person.
///
/// It is the last item of the shard's stream. Transient failures never produce it; they are
/// reported as [`ShardEvent::Reconnecting`](crate::ShardEvent::Reconnecting) and retried.
#[derive(Debug)]
pub struct FatalError {
    shard: ShardId,
    kind: FatalErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The reason a shard stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FatalErrorKind {
    /// 4914: the bot is delisted (offline); only the sandbox may connect.
    BotOffline,
    /// 4915: the bot is banned.
    BotBanned,
    /// 4013: the intents contain bits that do not exist.
    InvalidIntents,
    /// 4014: the intents contain bits the bot has not been granted.
    DisallowedIntents,
    /// 4010: the shard id or count is invalid.
    InvalidShard,
    /// 4011: the shard carries too many guilds; run more shards.
    ShardingRequired,
    /// 4012: the gateway rejected the protocol version.
    InvalidVersion,
    /// Another close code classified as fatal by the platform's table.
    Closed(CloseCode),
    /// The token provider reported an error that retrying cannot fix (a configuration error).
    Token,
    /// The gateway URL is not a valid `ws://` or `wss://` URL, or neither a URL nor a discovery
    /// source is configured.
    InvalidUrl,
}

impl FatalErrorKind {
    /// Returns the kind for a close code the platform's table classifies as fatal.
    pub(crate) const fn for_close_code(code: CloseCode) -> Self {
        match code {
            CloseCode::BotOffline => Self::BotOffline,
            CloseCode::BotBanned => Self::BotBanned,
            CloseCode::InvalidIntents => Self::InvalidIntents,
            CloseCode::DisallowedIntents => Self::DisallowedIntents,
            CloseCode::InvalidShard => Self::InvalidShard,
            CloseCode::ShardingRequired => Self::ShardingRequired,
            CloseCode::InvalidVersion => Self::InvalidVersion,
            other => Self::Closed(other),
        }
    }
}

impl FatalError {
    pub(crate) fn new(shard: ShardId, kind: FatalErrorKind) -> Self {
        Self {
            shard,
            kind,
            source: None,
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Returns the shard that stopped.
    pub const fn shard(&self) -> ShardId {
        self.shard
    }

    /// Returns why the shard stopped.
    pub const fn kind(&self) -> FatalErrorKind {
        self.kind
    }

    /// Returns the close code the gateway sent, when a close code ended the shard.
    pub const fn close_code(&self) -> Option<CloseCode> {
        match self.kind {
            FatalErrorKind::BotOffline => Some(CloseCode::BotOffline),
            FatalErrorKind::BotBanned => Some(CloseCode::BotBanned),
            FatalErrorKind::InvalidIntents => Some(CloseCode::InvalidIntents),
            FatalErrorKind::DisallowedIntents => Some(CloseCode::DisallowedIntents),
            FatalErrorKind::InvalidShard => Some(CloseCode::InvalidShard),
            FatalErrorKind::ShardingRequired => Some(CloseCode::ShardingRequired),
            FatalErrorKind::InvalidVersion => Some(CloseCode::InvalidVersion),
            FatalErrorKind::Closed(code) => Some(code),
            FatalErrorKind::Token | FatalErrorKind::InvalidUrl => None,
        }
    }
}

impl fmt::Display for FatalError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "shard [{}, {}] stopped: ",
            self.shard.id, self.shard.total
        )?;

        match self.kind {
            FatalErrorKind::BotOffline => formatter.write_str(
                "the bot is delisted and may only connect to the sandbox (close code 4914); relist it in the QQ Open Platform console",
            ),
            FatalErrorKind::BotBanned => formatter.write_str(
                "the bot is banned (close code 4915); contact the platform to lift the ban",
            ),
            FatalErrorKind::InvalidIntents => formatter.write_str(
                "the intents contain undefined bits (close code 4013); use only the Intents constants",
            ),
            FatalErrorKind::DisallowedIntents => formatter.write_str(
                "the intents contain bits the bot is not granted (close code 4014); remove them or apply for them in the console",
            ),
            FatalErrorKind::InvalidShard => formatter.write_str(
                "the gateway rejected the shard (close code 4010); the shard id must be below the shard count",
            ),
            FatalErrorKind::ShardingRequired => formatter.write_str(
                "the shard carries too many guilds (close code 4011); restart with the shard count from GET /gateway/bot",
            ),
            FatalErrorKind::InvalidVersion => {
                formatter.write_str("the gateway rejected the protocol version (close code 4012)")
            }
            FatalErrorKind::Closed(code) => write!(formatter, "the gateway closed with {code}"),
            FatalErrorKind::Token => {
                formatter.write_str("the access token cannot be obtained; check the AppID, AppSecret and token URL")
            }
            FatalErrorKind::InvalidUrl => formatter.write_str(
                "the gateway URL is missing or invalid; configure a ws:// or wss:// URL or a discovery source",
            ),
        }
    }
}

impl std::error::Error for FatalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
