//! Emulator settings: timings, limits and the switches that select between documented and
//! observed platform behaviour.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Format of REST error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorBodyFormat {
    /// `{"message", "code", "err_code", "trace_id"}` with `code == err_code`, as observed on the
    /// wire in 2026.
    #[default]
    Both,
    /// `{"err_code", "message", "trace_id"}`, as the 2026 documentation writes it.
    Docs,
    /// `{"code", "message"}`, as the 2025 documentation writes it.
    Legacy,
}

/// How sends without `msg_id`/`event_id` (proactive messages) are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProactivePolicy {
    /// Allowed only when the target opted in: a group whose `allow_proactive_msg` is on, a C2C
    /// user who has not turned proactive messages off. Rate limits apply. This is the 2026 rule.
    #[default]
    OptIn,
    /// Always rejected, as between 2025-04-21 and 2026-06.
    Off,
    /// Always allowed (rate limits still apply).
    Open,
}

/// Codes used when a passive reply is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PassiveErrorStyle {
    /// 40034005 for an expired `msg_id`, 40034128 for too many replies.
    #[default]
    New,
    /// 304027 for an expired `msg_id`, 304027 with "reply msg exceed limit" for too many replies.
    Legacy,
}

/// Values returned by `GET /gateway/bot` in `session_start_limit`, and enforced on Identify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStartLimit {
    /// Sessions that may be started per `reset_after` window.
    pub total: u32,
    /// Sessions that may still be started now.
    pub remaining: u32,
    /// Milliseconds until `remaining` is reset to `total`.
    pub reset_after: u64,
    /// Sessions that may be started per 5 s.
    pub max_concurrency: u32,
}

impl Default for SessionStartLimit {
    fn default() -> Self {
        Self {
            total: 1000,
            remaining: 1000,
            reset_after: 86_400_000,
            max_concurrency: 1,
        }
    }
}

/// Passive reply windows and per-message reply counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassiveRules {
    /// Reply window of a C2C message (platform: 60 minutes).
    pub c2c_window: Duration,
    /// Replies allowed per C2C message (platform: 4 since 2026-01-10).
    pub c2c_replies: u32,
    /// Reply window of a group message (platform: 5 minutes).
    pub group_window: Duration,
    /// Replies allowed per group message (platform: 5).
    pub group_replies: u32,
    /// Reply window of a guild channel or DM message (platform: 5 minutes, no count limit).
    pub guild_window: Duration,
    /// Window of an `event_id` anchor. The platform does not document it; the emulator uses the
    /// message window of the scene unless this is set.
    pub event_window: Option<Duration>,
    /// Error codes used on refusal.
    pub error_style: PassiveErrorStyle,
    /// Whether a C2C typing notice (`msg_type` 6) counts toward the reply count.
    pub typing_counts_as_reply: bool,
}

impl Default for PassiveRules {
    fn default() -> Self {
        Self {
            c2c_window: Duration::from_secs(3600),
            c2c_replies: 4,
            group_window: Duration::from_secs(300),
            group_replies: 5,
            guild_window: Duration::from_secs(300),
            event_window: None,
            error_style: PassiveErrorStyle::New,
            typing_counts_as_reply: false,
        }
    }
}

/// Rate limits enforced on message sends. Each limit is a count per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimits {
    /// Messages per second per text channel (platform: 5), code 20028.
    pub channel_per_second: u32,
    /// Group and C2C sends per second per bot, passive and proactive together (platform: 100
    /// per endpoint), code 22009.
    pub bot_sends_per_second: u32,
    /// Other REST calls per second per bot and route (platform: 50 for most routes).
    pub bot_calls_per_second: u32,
    /// Proactive group messages per minute per bot (platform: 60 verified, 30 unverified).
    pub group_proactive_per_minute_bot: u32,
    /// Proactive messages per minute per group or user (platform: 20).
    pub proactive_per_minute_target: u32,
    /// Proactive C2C messages per second per bot (platform: 10 verified, 5 unverified).
    pub c2c_proactive_per_second_bot: u32,
    /// Proactive messages per day per group or user (platform: 1000).
    pub proactive_per_day_target: u32,
    /// Proactive messages per day per text channel (historical platform value: 20).
    pub channel_proactive_per_day: u32,
    /// Proactive guild DMs per day per user (historical platform value: 2).
    pub dm_proactive_per_day_user: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            channel_per_second: 5,
            bot_sends_per_second: 100,
            bot_calls_per_second: 50,
            group_proactive_per_minute_bot: 60,
            proactive_per_minute_target: 20,
            c2c_proactive_per_second_bot: 10,
            proactive_per_day_target: 1000,
            channel_proactive_per_day: 20,
            dm_proactive_per_day_user: 2,
        }
    }
}

/// All emulator settings. Build it with [`crate::EmulatorBuilder`]; every field has the default
/// named in its documentation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EmulatorConfig {
    /// Listening address; default `127.0.0.1:0` (any free port on loopback).
    pub bind: SocketAddr,
    /// Lifetime of a fresh access token; default 7200 s.
    pub token_lifetime: Duration,
    /// During this last part of a token's life the token endpoint mints a new one; default 60 s.
    pub token_refresh_window: Duration,
    /// `heartbeat_interval` sent in Hello; default 45 s.
    pub hello_interval: Duration,
    /// A connection that sends no heartbeat for this long is closed with 4009; default 90 s.
    pub heartbeat_timeout: Duration,
    /// How long a disconnected session stays resumable; default 300 s.
    pub resume_window: Duration,
    /// Dispatches kept per session for Resume; default 10,000.
    pub replay_buffer: usize,
    /// `shards` suggested by `GET /gateway/bot`; default 1.
    pub shards: u32,
    /// `session_start_limit` of `GET /gateway/bot`, enforced on Identify.
    pub session_start_limit: SessionStartLimit,
    /// Reject Identify frames beyond `max_concurrency` per 5 s; default off.
    pub enforce_max_concurrency: bool,
    /// Accept the legacy `Bot {appid}.{token}` authorization; default off, as on the platform
    /// since 2025.
    pub legacy_bot_token: bool,
    /// HTTP status of the REST rejection of a legacy token (observed: 500).
    pub legacy_bot_token_status: u16,
    /// Require the `QQBot ` prefix on Identify and Resume tokens; default off (botgo resumes with
    /// the bare token).
    pub strict_resume_token: bool,
    /// Shape of REST error bodies.
    pub error_body_format: ErrorBodyFormat,
    /// Reply windows and counts.
    pub passive: PassiveRules,
    /// Treatment of proactive sends.
    pub proactive_policy: ProactivePolicy,
    /// Code of a refused proactive send; default 40034105 (documented), 40034102 is observed.
    pub proactive_denied_code: u64,
    /// Send rate limits.
    pub rate_limits: RateLimits,
    /// Overrides of the event → intent bit map, e.g. `GROUP_MESSAGE_CREATE = 24`.
    pub intent_map: BTreeMap<String, u8>,
    /// In a group that receives all messages, also send GROUP_AT_MESSAGE_CREATE for a message that
    /// mentions the bot; default off.
    pub dual_delivery_on_mention: bool,
    /// First part index of `upload_prepare` responses; default 1 (what clients expect).
    pub part_index_base: u32,
    /// Window in which a bot may recall its own group/C2C message; default 120 s.
    pub recall_window: Duration,
    /// Block size of chunked uploads; default 5 MiB.
    pub upload_block_size: u64,
    /// Reject guild channel and DM sends with 304018 while the bot has no gateway session;
    /// default off so that REST can be tested alone.
    pub require_gateway_for_guild_sends: bool,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            token_lifetime: Duration::from_secs(7200),
            token_refresh_window: Duration::from_secs(60),
            hello_interval: Duration::from_secs(45),
            heartbeat_timeout: Duration::from_secs(90),
            resume_window: Duration::from_secs(300),
            replay_buffer: 10_000,
            shards: 1,
            session_start_limit: SessionStartLimit::default(),
            enforce_max_concurrency: false,
            legacy_bot_token: false,
            legacy_bot_token_status: 500,
            strict_resume_token: false,
            error_body_format: ErrorBodyFormat::Both,
            passive: PassiveRules::default(),
            proactive_policy: ProactivePolicy::OptIn,
            proactive_denied_code: 40_034_105,
            rate_limits: RateLimits::default(),
            intent_map: BTreeMap::new(),
            dual_delivery_on_mention: false,
            part_index_base: 1,
            recall_window: Duration::from_secs(120),
            upload_block_size: 5 * 1024 * 1024,
            require_gateway_for_guild_sends: false,
        }
    }
}
