//! WebSocket close codes of the gateway and what a client should do after each.

use std::fmt;

/// A close code received from the gateway.
///
/// 4900–4913 are one documented range ("internal server error, reconnect") and parse as
/// [`CloseCode::InternalServerError`] with the exact code.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloseCode {
    /// 1000: normal close (server drain or deploy).
    Normal,
    /// 4000: unknown error (listed by botgo only).
    UnknownError,
    /// 4001: invalid opcode.
    InvalidOpcode,
    /// 4002: invalid payload.
    InvalidPayload,
    /// 4003: not authenticated yet (listed by botgo only).
    NotAuthenticated,
    /// 4004: authentication failed, invalid token.
    AuthenticationFailed,
    /// 4005: already authenticated (listed by botgo only).
    AlreadyAuthenticated,
    /// 4006: invalid session id, cannot Resume.
    InvalidSession,
    /// 4007: invalid seq.
    InvalidSeq,
    /// 4008: payloads sent too fast.
    RateLimited,
    /// 4009: connection expired or session timed out.
    SessionTimeout,
    /// 4010: invalid shard.
    InvalidShard,
    /// 4011: too many guilds on this connection; use more shards.
    ShardingRequired,
    /// 4012: invalid version.
    InvalidVersion,
    /// 4013: invalid intent.
    InvalidIntents,
    /// 4014: intent not permitted for this bot.
    DisallowedIntents,
    /// 4900–4913: internal server error, reconnect.
    InternalServerError(u16),
    /// 4914: bot delisted (offline); only the sandbox may be used.
    BotOffline,
    /// 4915: bot banned.
    BotBanned,
    /// Any other code.
    Unknown(u16),
}

/// The client action after the gateway closed the connection.
///
/// Every reconnect also follows the client's ordinary backoff schedule. The variants describe only
/// what differs from it.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloseAction {
    /// Reconnect and Resume with the held session; Identify if there is none or the server
    /// rejects the Resume with op 9 or close 4006.
    Resume,
    /// Wait a long pause (the official Node SDK waits 60 s), then reconnect and Resume.
    BackOffThenResume,
    /// Drop the session, reconnect and Identify.
    Reidentify,
    /// Refresh the access token, reconnect, then Resume if a session is held and otherwise
    /// Identify.
    RefreshTokenThenReconnect,
    /// Re-read `GET /gateway/bot`, raise the shard count and Identify every shard again.
    Reshard,
    /// Stop reconnecting: the configuration or the client is wrong, or the bot is delisted or
    /// banned. Reconnecting cannot succeed without a change.
    Fatal,
}

impl CloseCode {
    /// Maps a close-frame code.
    pub const fn from_u16(code: u16) -> Self {
        match code {
            1000 => Self::Normal,
            4000 => Self::UnknownError,
            4001 => Self::InvalidOpcode,
            4002 => Self::InvalidPayload,
            4003 => Self::NotAuthenticated,
            4004 => Self::AuthenticationFailed,
            4005 => Self::AlreadyAuthenticated,
            4006 => Self::InvalidSession,
            4007 => Self::InvalidSeq,
            4008 => Self::RateLimited,
            4009 => Self::SessionTimeout,
            4010 => Self::InvalidShard,
            4011 => Self::ShardingRequired,
            4012 => Self::InvalidVersion,
            4013 => Self::InvalidIntents,
            4014 => Self::DisallowedIntents,
            4900..=4913 => Self::InternalServerError(code),
            4914 => Self::BotOffline,
            4915 => Self::BotBanned,
            other => Self::Unknown(other),
        }
    }

    /// Returns the close-frame code.
    pub const fn to_u16(self) -> u16 {
        match self {
            Self::Normal => 1000,
            Self::UnknownError => 4000,
            Self::InvalidOpcode => 4001,
            Self::InvalidPayload => 4002,
            Self::NotAuthenticated => 4003,
            Self::AuthenticationFailed => 4004,
            Self::AlreadyAuthenticated => 4005,
            Self::InvalidSession => 4006,
            Self::InvalidSeq => 4007,
            Self::RateLimited => 4008,
            Self::SessionTimeout => 4009,
            Self::InvalidShard => 4010,
            Self::ShardingRequired => 4011,
            Self::InvalidVersion => 4012,
            Self::InvalidIntents => 4013,
            Self::DisallowedIntents => 4014,
            Self::InternalServerError(code) | Self::Unknown(code) => code,
            Self::BotOffline => 4914,
            Self::BotBanned => 4915,
        }
    }

    /// Returns the recommended client action.
    ///
    /// The mapping follows the platform's close-code table with the current official Node SDK's
    /// policy: 4009 and 1000 resume; 4008 waits, then resumes; 4004 refreshes the token; 4001,
    /// 4002, 4003, 4006, 4007 and 4900–4913 identify again; 4011 re-shards; 4010, 4012–4014,
    /// 4914 and 4915 are fatal. For codes the platform does not document, a 4xxx code follows
    /// the platform's summary rule ("anything else: Identify again") and any other code (a
    /// transport-level close) resumes.
    pub const fn action(self) -> CloseAction {
        match self {
            Self::InvalidOpcode
            | Self::InvalidPayload
            | Self::NotAuthenticated
            | Self::InvalidSession
            | Self::InvalidSeq
            | Self::InternalServerError(_)
            | Self::Unknown(4000..=4999) => CloseAction::Reidentify,
            // NOTE: 4005 means this socket already sent Identify or Resume, which is a client bug.
            // The session itself is intact, so the official Node SDK reconnects and resumes.
            Self::Normal
            | Self::UnknownError
            | Self::AlreadyAuthenticated
            | Self::SessionTimeout
            | Self::Unknown(_) => CloseAction::Resume,
            Self::RateLimited => CloseAction::BackOffThenResume,
            Self::AuthenticationFailed => CloseAction::RefreshTokenThenReconnect,
            Self::ShardingRequired => CloseAction::Reshard,
            Self::InvalidShard
            | Self::InvalidVersion
            | Self::InvalidIntents
            | Self::DisallowedIntents
            | Self::BotOffline
            | Self::BotBanned => CloseAction::Fatal,
        }
    }

    /// Returns whether the code points at a bug in the client (invalid opcode or payload, not
    /// authenticated, authenticated twice): log it loudly and cap the retries.
    pub const fn is_client_bug(self) -> bool {
        matches!(
            self,
            Self::InvalidOpcode
                | Self::InvalidPayload
                | Self::NotAuthenticated
                | Self::AlreadyAuthenticated
        )
    }

    /// Returns the documented meaning in English.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Normal => "normal close",
            Self::UnknownError => "unknown error",
            Self::InvalidOpcode => "invalid opcode",
            Self::InvalidPayload => "invalid payload",
            Self::NotAuthenticated => "not authenticated yet",
            Self::AuthenticationFailed => "authentication failed, invalid token",
            Self::AlreadyAuthenticated => "already authenticated",
            Self::InvalidSession => "invalid session id, cannot resume",
            Self::InvalidSeq => "invalid seq",
            Self::RateLimited => "payloads sent too fast",
            Self::SessionTimeout => "connection expired, session timed out",
            Self::InvalidShard => "invalid shard",
            Self::ShardingRequired => "too many guilds on this connection, shard more",
            Self::InvalidVersion => "invalid version",
            Self::InvalidIntents => "invalid intent",
            Self::DisallowedIntents => "intent not permitted",
            Self::InternalServerError(_) => "internal server error, reconnect",
            Self::BotOffline => "bot delisted, only the sandbox may be used",
            Self::BotBanned => "bot banned",
            Self::Unknown(_) => "undocumented close code",
        }
    }
}

impl From<u16> for CloseCode {
    fn from(code: u16) -> Self {
        Self::from_u16(code)
    }
}

impl fmt::Display for CloseCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} ({})", self.to_u16(), self.description())
    }
}
