//! The platform's documented rate limits, per route.
//!
//! Every limit is "at most `count` requests in any window of `period`": a spent token returns to
//! its bucket one `period` after it was spent. This is stricter than a refilling bucket that
//! allows a full burst at the start of each period, and it never exceeds a per-second or
//! per-minute quota however the platform aligns its windows.
//!
//! | Route | Limit | Source |
//! | --- | --- | --- |
//! | `POST /channels/{channel_id}/messages` | 5/s per channel | send page |
//! | guild and channel APIs, `GET /users/@me`, `PUT /interactions/{id}`, `POST /v2/generate_url_link` | 50/s per route | 2026 per-API pages |
//! | `POST /v2/users/{openid}/messages`, `POST /v2/groups/{group_openid}/messages` | 100/s per route | 2026 send pages |
//! | C2C proactive | verified: 10/s per bot; unverified: 5/s and 30/min per bot; 20/min per user | 2026 message overview |
//! | group proactive | verified: 60/min per bot; unverified: 30/min per bot; 20/min per group | 2026 message overview |
//! | `POST …/files` | 50/s per route; with `srv_send_msg` also the proactive limits | 2026 files pages |
//! | `POST …/upload_prepare`, `POST …/upload_part_finish` | 10/s per route | 2026 upload pages |
//! | `DELETE /v2/…/messages/{message_id}` | 10/s per route | 2026 recall pages |
//! | `POST /v2/users/{openid}/stream_messages` | 50/s | 2026 stream page |
//! | panels, menu, group management | 5–60/min per route, see [`LimitTable::documented`] | 2026 addendum §7–§8 |
//! | `GET /gateway`, `GET /gateway/bot` | 10 per 5 min (2/min, bursts of 10) | qq-botpy-sdk 2.2.1 rate table |

use std::time::Duration;

use reqwest::Method;

use crate::route::Route;

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

/// Which requests share one bucket of a [`Limit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitScope {
    /// All requests of the bot to this route share one bucket.
    Route,
    /// All requests of the bot that name the same bucket share it, across routes.
    Bot,
    /// Each conversation (channel, group, user) has its own bucket.
    Conversation,
}

/// Which traffic a [`Limit`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitTraffic {
    /// Every request of the route.
    All,
    /// Only proactive sends (no `msg_id`/`event_id`).
    Proactive,
}

/// One documented limit: at most `count` requests per `period`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Limit {
    /// Bucket name of [`LimitScope::Bot`] and [`LimitScope::Conversation`] limits; routes naming
    /// the same bucket share it (the proactive quota of a scene is shared by its message and
    /// file endpoints). Route-scoped limits are keyed by their route instead.
    pub bucket: &'static str,
    /// Whether each conversation has its own bucket.
    pub scope: LimitScope,
    /// Which requests count.
    pub traffic: LimitTraffic,
    /// Requests allowed per period.
    pub count: u32,
    /// Length of the window.
    pub period: Duration,
}

impl Limit {
    /// A limit counting every request of the route, bot-wide.
    pub const fn per_route(count: u32, period: Duration) -> Self {
        Self {
            bucket: "route",
            scope: LimitScope::Route,
            traffic: LimitTraffic::All,
            count,
            period,
        }
    }

    const fn scoped(
        bucket: &'static str,
        scope: LimitScope,
        traffic: LimitTraffic,
        count: u32,
        period: Duration,
    ) -> Self {
        Self {
            bucket,
            scope,
            traffic,
            count,
            period,
        }
    }
}

/// Verification level of the bot; the proactive limits depend on it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BotTier {
    /// A bot of an enterprise- or individual-verified developer.
    Verified,
    /// An unverified bot (lower proactive limits). The default, because it never exceeds the
    /// limits of either tier.
    #[default]
    Unverified,
}

/// The limits an [`InProcessRateLimiter`](super::InProcessRateLimiter) enforces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitTable {
    tier: BotTier,
    extra: Vec<(Route, Limit)>,
}

impl LimitTable {
    /// The documented limits for a bot of the given tier (see the module documentation).
    ///
    /// NOTE: the daily caps (1000 proactive messages per group or user per day, schedule and
    /// API-permission-demand quotas) are not tracked; the platform's rejection is returned.
    pub fn documented(tier: BotTier) -> Self {
        Self {
            tier,
            extra: Vec::new(),
        }
    }

    /// Adds a limit for a route, on top of the documented ones.
    #[must_use]
    pub fn with_limit(mut self, route: Route, limit: Limit) -> Self {
        self.extra.push((route, limit));
        self
    }

    /// Returns the bot tier the proactive limits assume.
    pub fn tier(&self) -> BotTier {
        self.tier
    }

    /// Returns every limit registered for `route`, whatever the traffic.
    pub fn limits(&self, route: &Route) -> Vec<Limit> {
        let mut limits = documented(route.method(), route.template(), self.tier);
        limits.extend(
            self.extra
                .iter()
                .filter(|(extra_route, _)| extra_route == route)
                .map(|(_, limit)| limit.clone()),
        );

        limits
    }
}

impl Default for LimitTable {
    fn default() -> Self {
        Self::documented(BotTier::default())
    }
}

fn c2c_proactive(tier: BotTier) -> Vec<Limit> {
    let per_user = Limit::scoped(
        "c2c proactive per user",
        LimitScope::Conversation,
        LimitTraffic::Proactive,
        20,
        MINUTE,
    );

    match tier {
        BotTier::Verified => vec![
            Limit::scoped(
                "c2c proactive per bot",
                LimitScope::Bot,
                LimitTraffic::Proactive,
                10,
                SECOND,
            ),
            per_user,
        ],
        BotTier::Unverified => vec![
            Limit::scoped(
                "c2c proactive per bot",
                LimitScope::Bot,
                LimitTraffic::Proactive,
                5,
                SECOND,
            ),
            Limit::scoped(
                "c2c proactive per bot per minute",
                LimitScope::Bot,
                LimitTraffic::Proactive,
                30,
                MINUTE,
            ),
            per_user,
        ],
    }
}

fn group_proactive(tier: BotTier) -> Vec<Limit> {
    let per_bot = match tier {
        BotTier::Verified => 60,
        BotTier::Unverified => 30,
    };

    vec![
        Limit::scoped(
            "group proactive per bot",
            LimitScope::Bot,
            LimitTraffic::Proactive,
            per_bot,
            MINUTE,
        ),
        Limit::scoped(
            "group proactive per group",
            LimitScope::Conversation,
            LimitTraffic::Proactive,
            20,
            MINUTE,
        ),
    ]
}

fn with(mut limits: Vec<Limit>, extra: Limit) -> Vec<Limit> {
    limits.insert(0, extra);
    limits
}

fn documented(method: &Method, template: &str, tier: BotTier) -> Vec<Limit> {
    let per_route = |count: u32, period: Duration| vec![Limit::per_route(count, period)];

    match (method.as_str(), template) {
        ("POST", "/channels/{channel_id}/messages") => vec![
            Limit::per_route(50, SECOND),
            Limit::scoped(
                "channel messages per channel",
                LimitScope::Conversation,
                LimitTraffic::All,
                5,
                SECOND,
            ),
        ],
        ("POST", "/v2/users/{openid}/messages") => {
            with(c2c_proactive(tier), Limit::per_route(100, SECOND))
        }
        ("POST", "/v2/groups/{group_openid}/messages") => {
            with(group_proactive(tier), Limit::per_route(100, SECOND))
        }
        ("POST", "/v2/users/{openid}/files") => {
            with(c2c_proactive(tier), Limit::per_route(50, SECOND))
        }
        ("POST", "/v2/groups/{group_openid}/files") => {
            with(group_proactive(tier), Limit::per_route(50, SECOND))
        }
        ("POST", "/v2/users/{openid}/stream_messages" | "/v2/generate_url_link") => {
            per_route(50, SECOND)
        }
        (
            "POST",
            "/v2/users/{openid}/upload_prepare"
            | "/v2/groups/{group_openid}/upload_prepare"
            | "/v2/users/{openid}/upload_part_finish"
            | "/v2/groups/{group_openid}/upload_part_finish",
        )
        | (
            "DELETE",
            "/v2/users/{openid}/messages/{message_id}"
            | "/v2/groups/{group_openid}/messages/{message_id}",
        ) => per_route(10, SECOND),
        ("GET", "/gateway" | "/gateway/bot") => per_route(10, MINUTE * 5),
        ("PUT", "/v2/menu") => per_route(5, MINUTE),
        ("POST", "/v2/panels") | ("PUT" | "DELETE", "/v2/panels/{panel_id}") => {
            per_route(10, MINUTE)
        }
        (
            "GET",
            "/v2/panels"
            | "/v2/panels/{panel_id}"
            | "/v2/menu"
            | "/v2/groups/{group_openid}/info"
            | "/v2/groups/{group_openid}/bot_state"
            | "/v2/groups/{group_openid}/members/{member_openid}"
            | "/v2/groups/{group_openid}/member_blacklist"
            | "/v2/groups/{group_openid}/restrict_chat_setting"
            | "/v2/groups/{group_openid}/join_request_list",
        )
        | ("POST", "/v2/groups/{group_openid}/batch_remove_members") => per_route(30, MINUTE),
        ("GET", "/v2/groups/{group_openid}/members")
        | ("PUT", "/v2/panels/{panel_id}/target")
        | (
            "POST",
            "/v2/groups/{group_openid}/member_blacklist"
            | "/v2/groups/{group_openid}/restrict_chat_setting"
            | "/v2/groups/{group_openid}/approval_join_request/{member_openid}",
        ) => per_route(60, MINUTE),
        (_, path) if path.starts_with("/v2/groups/join_approval_strategy") => per_route(60, MINUTE),
        (_, path) if is_guild_api(path) => per_route(50, SECOND),
        _ => Vec::new(),
    }
}

/// Guild, channel, DM and user APIs, and interaction acks: 50/s per route.
fn is_guild_api(path: &str) -> bool {
    [
        "/guilds/",
        "/channels/",
        "/dms/",
        "/users/@me",
        "/interactions/",
    ]
    .iter()
    .any(|prefix| path.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(method: Method, template: &'static str, tier: BotTier) -> Vec<Limit> {
        LimitTable::documented(tier).limits(&Route::new(method, template))
    }

    #[test]
    fn channel_messages_limit_per_channel() {
        let limits = limits(
            Method::POST,
            "/channels/{channel_id}/messages",
            BotTier::Unverified,
        );

        assert!(
            limits
                .iter()
                .any(|limit| limit.scope == LimitScope::Conversation
                    && limit.count == 5
                    && limit.period == SECOND
                    && limit.traffic == LimitTraffic::All)
        );
    }

    #[test]
    fn group_proactive_depends_on_tier() {
        let unverified = limits(
            Method::POST,
            "/v2/groups/{group_openid}/messages",
            BotTier::Unverified,
        );
        let verified = limits(
            Method::POST,
            "/v2/groups/{group_openid}/messages",
            BotTier::Verified,
        );

        let per_bot = |limits: &[Limit]| {
            limits
                .iter()
                .find(|limit| limit.bucket == "group proactive per bot")
                .map(|limit| limit.count)
        };
        assert_eq!(per_bot(&unverified), Some(30));
        assert_eq!(per_bot(&verified), Some(60));
    }

    #[test]
    fn files_share_proactive_buckets_with_messages() {
        let files = limits(
            Method::POST,
            "/v2/users/{openid}/files",
            BotTier::Unverified,
        );
        let messages = limits(
            Method::POST,
            "/v2/users/{openid}/messages",
            BotTier::Unverified,
        );

        for limit in files
            .iter()
            .filter(|limit| limit.traffic == LimitTraffic::Proactive)
        {
            assert!(messages.contains(limit), "{limit:?} missing from messages");
        }
    }

    #[test]
    fn extra_limits_are_added() {
        let route = Route::new(Method::GET, "/v2/new_api");
        let table = LimitTable::default().with_limit(route.clone(), Limit::per_route(1, SECOND));

        assert_eq!(table.limits(&route).len(), 1);
        assert!(LimitTable::default().limits(&route).is_empty());
    }
}
