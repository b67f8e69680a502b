//! The reconnect policy: what a shard does after each way a connection can end, and how long it
//! waits.
//!
//! The policy as a table (trigger, session, wait) is in `docs/gateway.md` and
//! `docs/gateway.zh-CN.md`. The test `docs_table_matches_policy` below checks both tables against
//! [`Rule::for_reason`], so the documents and the code cannot drift apart.

use std::time::Duration;

use qie_model::gateway::{CloseAction, CloseCode};
use rand::RngExt;

use crate::error::FatalErrorKind;
use crate::event::ReconnectReason;

/// Timing of reconnects.
///
/// The backoff for the n-th consecutive reconnect is `initial_backoff · 2^(n−1)`, capped at
/// `max_backoff`, with equal jitter (a uniformly random value between half of it and all of it).
/// The count starts again after a session stays up for `stable_after` past READY or RESUMED.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReconnectPolicy {
    /// Backoff of the first reconnect that is not immediate. Default 1 s.
    pub initial_backoff: Duration,
    /// Cap of the backoff. Default 60 s.
    pub max_backoff: Duration,
    /// How long a session must stay up after READY or RESUMED before the backoff resets.
    /// Default 30 s.
    pub stable_after: Duration,
    /// Wait after close code 4008 (payloads sent too fast). Default 60 s, as the official Node
    /// SDK waits.
    pub rate_limited_delay: Duration,
    /// Minimum wait after op 9. Default 1 s.
    pub invalid_session_min_delay: Duration,
    /// Maximum wait after op 9. Default 5 s.
    pub invalid_session_max_delay: Duration,
    /// Consecutive failed connection attempts after which the gateway URL is fetched again from
    /// `GET /gateway/bot` (when a discovery source is configured). Default 3.
    pub refresh_url_after: u32,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            stable_after: Duration::from_secs(30),
            rate_limited_delay: Duration::from_secs(60),
            invalid_session_min_delay: Duration::from_secs(1),
            invalid_session_max_delay: Duration::from_secs(5),
            refresh_url_after: 3,
        }
    }
}

impl ReconnectPolicy {
    /// Returns the backoff before the `attempt`-th consecutive reconnect (1-based), jitter
    /// included.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.backoff_ceiling(attempt);

        jitter(ceiling / 2, ceiling)
    }

    /// Returns the upper bound of [`backoff`](Self::backoff) for `attempt`.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        let factor = 1u32 << doublings;

        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// Returns the wait before the `attempt`-th consecutive reconnect under `rule`.
    pub(crate) fn delay(&self, rule: Rule, attempt: u32) -> Duration {
        match rule.wait {
            Wait::Immediately if attempt <= 1 => Duration::ZERO,
            Wait::Immediately | Wait::Backoff => self.backoff(attempt),
            Wait::RateLimited => {
                let extra = jitter(Duration::ZERO, self.rate_limited_delay / 10);
                (self.rate_limited_delay + extra).max(self.backoff(attempt))
            }
            Wait::InvalidSession => {
                let pause = jitter(
                    self.invalid_session_min_delay,
                    self.invalid_session_max_delay,
                );
                pause.max(self.backoff(attempt))
            }
        }
    }
}

fn jitter(low: Duration, high: Duration) -> Duration {
    if high <= low {
        return low;
    }

    rand::rng().random_range(low..=high)
}

/// The fate of the session after a connection ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SessionAction {
    /// Keep it: the next connection sends Resume (Identify if no session is held).
    Keep,
    /// Drop it: the next connection sends Identify.
    Drop,
}

/// How long to wait before the next connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    /// No wait for the first reconnect; backoff when it repeats without a stable session.
    Immediately,
    /// The backoff schedule.
    Backoff,
    /// [`ReconnectPolicy::rate_limited_delay`], or the backoff when that is longer.
    RateLimited,
    /// A random pause within the op 9 bounds, or the backoff when that is longer.
    InvalidSession,
}

/// The action for one trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) session: SessionAction,
    pub(crate) wait: Wait,
    /// Tell the token provider that the token was rejected, so the next one is fresh.
    pub(crate) refresh_token: bool,
}

impl Rule {
    const fn keep(wait: Wait) -> Self {
        Self {
            session: SessionAction::Keep,
            wait,
            refresh_token: false,
        }
    }

    const fn drop(wait: Wait) -> Self {
        Self {
            session: SessionAction::Drop,
            wait,
            refresh_token: false,
        }
    }

    /// Returns the rule for `reason`, or the fatal error kind when the shard must stop.
    pub(crate) fn for_reason(reason: &ReconnectReason) -> Result<Self, FatalErrorKind> {
        let rule = match reason {
            ReconnectReason::ReconnectRequested | ReconnectReason::HeartbeatAckMissed => {
                Self::keep(Wait::Immediately)
            }
            ReconnectReason::InvalidSession { resumable: true } => Self::keep(Wait::InvalidSession),
            ReconnectReason::InvalidSession { resumable: false } => {
                Self::drop(Wait::InvalidSession)
            }
            ReconnectReason::Closed(code) => return Self::for_close_code(*code),
            ReconnectReason::ConnectionLost(_)
            | ReconnectReason::ConnectFailed(_)
            | ReconnectReason::HandshakeTimeout
            | ReconnectReason::TokenUnavailable(_)
            | ReconnectReason::DiscoveryFailed(_) => Self::keep(Wait::Backoff),
        };

        Ok(rule)
    }

    fn for_close_code(code: CloseCode) -> Result<Self, FatalErrorKind> {
        // 4009 is the documented "resume" code and often follows op 7; reconnect at once.
        if code == CloseCode::SessionTimeout {
            return Ok(Self::keep(Wait::Immediately));
        }

        let rule = match code.action() {
            CloseAction::BackOffThenResume => Self::keep(Wait::RateLimited),
            CloseAction::RefreshTokenThenReconnect => Self {
                refresh_token: true,
                ..Self::keep(Wait::Backoff)
            },
            CloseAction::Reidentify => Self::drop(Wait::Backoff),
            CloseAction::Reshard => return Err(FatalErrorKind::ShardingRequired),
            CloseAction::Fatal => return Err(FatalErrorKind::for_close_code(code)),
            // `Resume`, and any classification added to the model later: resuming is the safe
            // default, since a rejected Resume falls back to Identify.
            _ => Self::keep(Wait::Backoff),
        };

        Ok(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_cap() {
        let policy = ReconnectPolicy::default();

        let ceilings: Vec<u64> = (1..=9)
            .map(|attempt| policy.backoff_ceiling(attempt).as_secs())
            .collect();

        assert_eq!(ceilings, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(policy.backoff_ceiling(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn backoff_jitter_stays_in_upper_half() {
        let policy = ReconnectPolicy::default();

        for attempt in 1..=10 {
            let ceiling = policy.backoff_ceiling(attempt);
            for _ in 0..50 {
                let delay = policy.backoff(attempt);
                assert!(delay >= ceiling / 2, "{delay:?} for {attempt}");
                assert!(delay <= ceiling, "{delay:?} for {attempt}");
            }
        }
    }

    #[test]
    fn immediate_rule_waits_only_when_repeated() {
        let policy = ReconnectPolicy::default();
        let rule = Rule::for_reason(&ReconnectReason::ReconnectRequested).unwrap();

        assert_eq!(policy.delay(rule, 1), Duration::ZERO);
        assert!(policy.delay(rule, 2) >= Duration::from_secs(1));
    }

    #[test]
    fn rate_limited_waits_at_least_a_minute() {
        let policy = ReconnectPolicy::default();
        let rule = Rule::for_reason(&ReconnectReason::Closed(CloseCode::RateLimited)).unwrap();

        assert_eq!(rule.session, SessionAction::Keep);
        let delay = policy.delay(rule, 1);
        assert!(delay >= Duration::from_secs(60), "{delay:?}");
        assert!(delay <= Duration::from_secs(66), "{delay:?}");
    }

    #[test]
    fn invalid_session_pause_within_bounds() {
        let policy = ReconnectPolicy::default();
        let rule = Rule::for_reason(&ReconnectReason::InvalidSession { resumable: false }).unwrap();

        assert_eq!(rule.session, SessionAction::Drop);
        for _ in 0..50 {
            let delay = policy.delay(rule, 1);
            assert!(delay >= Duration::from_secs(1), "{delay:?}");
            assert!(delay <= Duration::from_secs(5), "{delay:?}");
        }
        assert!(policy.delay(rule, 8) >= Duration::from_secs(30));
    }

    #[test]
    fn fatal_codes_stop() {
        let cases = [
            (4010, FatalErrorKind::InvalidShard),
            (4011, FatalErrorKind::ShardingRequired),
            (4012, FatalErrorKind::InvalidVersion),
            (4013, FatalErrorKind::InvalidIntents),
            (4014, FatalErrorKind::DisallowedIntents),
            (4914, FatalErrorKind::BotOffline),
            (4915, FatalErrorKind::BotBanned),
        ];

        for (code, kind) in cases {
            let reason = ReconnectReason::Closed(CloseCode::from_u16(code));
            assert_eq!(Rule::for_reason(&reason), Err(kind), "close code {code}");
        }
    }

    /// The reconnect tables of the documents, one per language.
    const DOCS: [(&str, &str); 2] = [
        (
            "docs/gateway.md",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../docs/gateway.md"
            )),
        ),
        (
            "docs/gateway.zh-CN.md",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../docs/gateway.zh-CN.md"
            )),
        ),
    ];

    /// One row: the trigger and the first code span of the session, wait and token cells.
    struct Row {
        trigger: String,
        session: String,
        wait: String,
        token: Option<String>,
    }

    fn first_code_span(cell: &str) -> Option<String> {
        let start = cell.find('`')? + 1;
        let length = cell[start..].find('`')?;

        Some(cell[start..start + length].to_owned())
    }

    fn policy_rows(document: &str) -> Vec<Row> {
        let start = document
            .find("<!-- policy-table:start -->")
            .expect("table start marker");
        let end = document
            .find("<!-- policy-table:end -->")
            .expect("table end marker");

        document[start..end]
            .lines()
            .filter(|line| line.starts_with("| `"))
            .map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                Row {
                    trigger: first_code_span(cells[1]).expect("trigger"),
                    session: first_code_span(cells[2]).expect("session"),
                    wait: first_code_span(cells[3]).expect("wait"),
                    token: first_code_span(cells[4]),
                }
            })
            .collect()
    }

    /// Lists the reasons a trigger covers; a close code range covers each code in it.
    fn reasons(trigger: &str) -> Vec<ReconnectReason> {
        let error = || crate::event::TransportError::new(std::io::Error::other("test"));
        match trigger {
            "op 7" => vec![ReconnectReason::ReconnectRequested],
            "op 9 true" => vec![ReconnectReason::InvalidSession { resumable: true }],
            "op 9 false" => vec![ReconnectReason::InvalidSession { resumable: false }],
            "heartbeat ack missed" => vec![ReconnectReason::HeartbeatAckMissed],
            "connection lost" => vec![ReconnectReason::ConnectionLost(error())],
            "connect failed" => vec![ReconnectReason::ConnectFailed(error())],
            "handshake timeout" => vec![ReconnectReason::HandshakeTimeout],
            "token unavailable" => vec![ReconnectReason::TokenUnavailable(error())],
            "discovery failed" => vec![ReconnectReason::DiscoveryFailed(error())],
            _ => {
                let codes = trigger.strip_prefix("close ").unwrap_or_else(|| {
                    panic!("unknown trigger `{trigger}`");
                });
                let (first, last) = codes.split_once('-').unwrap_or((codes, codes));
                let first: u16 = first.parse().expect("close code");
                let last: u16 = last.parse().expect("close code");
                (first..=last)
                    .map(|code| ReconnectReason::Closed(CloseCode::from_u16(code)))
                    .collect()
            }
        }
    }

    fn wait_name(wait: Wait) -> &'static str {
        match wait {
            Wait::Immediately => "immediately",
            Wait::Backoff => "backoff",
            Wait::RateLimited => "rate-limit",
            Wait::InvalidSession => "op9-pause",
        }
    }

    #[test]
    fn docs_table_matches_policy() {
        for (path, document) in DOCS {
            let rows = policy_rows(document);
            assert!(rows.len() >= 25, "{path}: only {} rows", rows.len());

            for row in &rows {
                for reason in reasons(&row.trigger) {
                    let context = format!("{path}, row `{}`, reason {reason:?}", row.trigger);
                    match Rule::for_reason(&reason) {
                        Ok(rule) => {
                            let session = match rule.session {
                                SessionAction::Keep => "keep",
                                SessionAction::Drop => "drop",
                            };
                            assert_eq!(row.session, session, "{context}");
                            assert_eq!(row.wait, wait_name(rule.wait), "{context}");
                            let token = row.token.as_deref() == Some("refresh");
                            assert_eq!(token, rule.refresh_token, "{context}");
                        }
                        Err(kind) => {
                            assert_eq!(row.session, "stop", "{context}");
                            assert_eq!(row.wait, format!("{kind:?}"), "{context}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn docs_table_covers_every_code() {
        for (path, document) in DOCS {
            let covered: Vec<u16> = policy_rows(document)
                .iter()
                .flat_map(|row| reasons(&row.trigger))
                .filter_map(|reason| match reason {
                    ReconnectReason::Closed(code) => Some(code.to_u16()),
                    _ => None,
                })
                .collect();

            for code in [1000].into_iter().chain(4000..=4014).chain(4900..=4915) {
                assert!(
                    covered.contains(&code),
                    "{path} has no row for close code {code}"
                );
            }
        }
    }
}
