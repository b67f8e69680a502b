//! The WebSocket gateway: sessions, intent and shard routing of dispatches, Resume replay,
//! heartbeats, faults and the firehose.

mod connection;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;

use crate::inspect::{Direction, FrameEvent, InspectorEvent};
use crate::state::{App, Inner, Shared};

/// Path of the WebSocket endpoint (also served with a trailing slash).
pub const GATEWAY_PATH: &str = "/websocket";

/// Default event type → intent bit map (platform documentation, 2026 state).
const DEFAULT_INTENT_MAP: &[(&str, u8)] = &[
    ("GUILD_CREATE", 0),
    ("GUILD_UPDATE", 0),
    ("GUILD_DELETE", 0),
    ("CHANNEL_CREATE", 0),
    ("CHANNEL_UPDATE", 0),
    ("CHANNEL_DELETE", 0),
    ("GUILD_MEMBER_ADD", 1),
    ("GUILD_MEMBER_UPDATE", 1),
    ("GUILD_MEMBER_REMOVE", 1),
    ("MESSAGE_CREATE", 9),
    ("MESSAGE_DELETE", 9),
    ("MESSAGE_REACTION_ADD", 10),
    ("MESSAGE_REACTION_REMOVE", 10),
    ("DIRECT_MESSAGE_CREATE", 12),
    ("DIRECT_MESSAGE_DELETE", 12),
    ("OPEN_FORUM_THREAD_CREATE", 18),
    ("OPEN_FORUM_THREAD_UPDATE", 18),
    ("OPEN_FORUM_THREAD_DELETE", 18),
    ("OPEN_FORUM_POST_CREATE", 18),
    ("OPEN_FORUM_POST_DELETE", 18),
    ("OPEN_FORUM_REPLY_CREATE", 18),
    ("OPEN_FORUM_REPLY_DELETE", 18),
    ("AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER", 19),
    ("AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT", 19),
    ("ENTER_AIO", 23),
    ("GROUP_MEMBER_ADD", 24),
    ("GROUP_MEMBER_REMOVE", 24),
    ("C2C_MESSAGE_CREATE", 25),
    ("GROUP_AT_MESSAGE_CREATE", 25),
    ("GROUP_MESSAGE_CREATE", 25),
    ("GROUP_JOIN_REQUEST", 25),
    ("GROUP_ADD_ROBOT", 25),
    ("GROUP_DEL_ROBOT", 25),
    ("GROUP_MSG_REJECT", 25),
    ("GROUP_MSG_RECEIVE", 25),
    ("FRIEND_ADD", 25),
    ("FRIEND_DEL", 25),
    ("C2C_MSG_REJECT", 25),
    ("C2C_MSG_RECEIVE", 25),
    ("SUBSCRIBE_MESSAGE_STATUS", 25),
    ("INTERACTION_CREATE", 26),
    ("MESSAGE_AUDIT_PASS", 27),
    ("MESSAGE_AUDIT_REJECT", 27),
    ("FORUM_THREAD_CREATE", 28),
    ("FORUM_THREAD_UPDATE", 28),
    ("FORUM_THREAD_DELETE", 28),
    ("FORUM_POST_CREATE", 28),
    ("FORUM_POST_DELETE", 28),
    ("FORUM_REPLY_CREATE", 28),
    ("FORUM_REPLY_DELETE", 28),
    ("FORUM_PUBLISH_AUDIT_RESULT", 28),
    ("AUDIO_START", 29),
    ("AUDIO_FINISH", 29),
    ("AUDIO_ON_MIC", 29),
    ("AUDIO_OFF_MIC", 29),
    ("AT_MESSAGE_CREATE", 30),
    ("PUBLIC_MESSAGE_DELETE", 30),
];

/// Builds the event → intent bit map from the defaults and the configured overrides.
pub(crate) fn intent_map(
    overrides: &std::collections::BTreeMap<String, u8>,
) -> HashMap<String, u8> {
    let mut map: HashMap<String, u8> = DEFAULT_INTENT_MAP
        .iter()
        .map(|(event, bit)| ((*event).to_owned(), *bit))
        .collect();
    map.extend(overrides.iter().map(|(event, bit)| (event.clone(), *bit)));

    map
}

/// Shard that owns a guild: `(guild_id >> 22) % num_shards`; events without a guild go to 0.
pub fn shard_for_guild(guild_id: Option<&str>, num_shards: u32) -> u32 {
    let Some(id) = guild_id.and_then(|id| id.parse::<u64>().ok()) else {
        return 0;
    };
    let shard = (id >> 22) % u64::from(num_shards.max(1));

    u32::try_from(shard).unwrap_or(0)
}

/// A dispatch about to be delivered, as handed to delivery sinks.
#[derive(Debug, Clone)]
#[allow(
    dead_code,
    reason = "read by delivery sinks, none of which is built in yet"
)]
pub(crate) struct DispatchFrame {
    pub(crate) t: String,
    pub(crate) id: String,
    pub(crate) d: Value,
}

/// A delivery target besides gateway sessions, such as a webhook sender.
#[allow(
    dead_code,
    reason = "implemented by delivery modes added next to the gateway"
)]
pub(crate) trait DeliverySink: Send + Sync {
    /// Delivers one dispatch of a bot; returns whether it was queued. Must not block: queue the
    /// work and return.
    fn deliver(&self, app_id: &str, frame: &DispatchFrame) -> bool;
}

/// Frames queued for a connection's writer.
#[derive(Debug)]
pub(crate) enum Outbound {
    Text(String),
    Close(u16, String),
    Firehose(FirehoseJob),
}

/// Orders for a connection's reader.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ConnControl {
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Stop (`true`) or restart (`false`) acknowledging heartbeats.
    PauseAcks(bool),
}

/// The channels to one live connection.
#[derive(Debug, Clone)]
pub(crate) struct ConnLink {
    pub(crate) connection: u64,
    pub(crate) out: UnboundedSender<Outbound>,
    pub(crate) control: UnboundedSender<ConnControl>,
}

/// A gateway session (survives its connection until the resume window ends).
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) app_id: String,
    pub(crate) intents: u32,
    pub(crate) shard: [u32; 2],
    /// Last `s` assigned.
    pub(crate) seq: u64,
    /// Dispatches kept for Resume.
    pub(crate) buffer: VecDeque<(u64, Arc<str>)>,
    /// Whether dispatches older than the buffer were dropped; Resume from before them fails.
    pub(crate) truncated_below: u64,
    pub(crate) link: Option<ConnLink>,
    pub(crate) detached_at: Option<Instant>,
    pub(crate) last_heartbeat: Option<Instant>,
    pub(crate) heartbeats: u64,
    pub(crate) acks_paused: bool,
    /// Set by op 9 (not resumable) and by closes that end a session.
    pub(crate) invalid: bool,
}

impl Session {
    fn resumable(&self, now: Instant, window: Duration) -> bool {
        !self.invalid
            && self
                .detached_at
                .is_none_or(|since| now.saturating_duration_since(since) < window)
    }

    fn push(&mut self, seq: u64, frame: Arc<str>, capacity: usize) {
        if capacity == 0 {
            self.truncated_below = seq;
            return;
        }
        while self.buffer.len() >= capacity {
            if let Some((dropped, _)) = self.buffer.pop_front() {
                self.truncated_below = dropped;
            }
        }
        self.buffer.push_back((seq, frame));
    }
}

/// A session as the control API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SessionInfo {
    /// Session id from READY.
    pub session_id: String,
    /// Bot.
    pub app_id: String,
    /// Whether a connection is attached.
    pub connected: bool,
    /// The attached connection's number.
    pub connection: Option<u64>,
    /// `[shard_id, num_shards]`.
    pub shard: [u32; 2],
    /// Identified intents.
    pub intents: u32,
    /// Last `s` sent.
    pub last_seq: u64,
    /// Heartbeats received.
    pub heartbeats: u64,
    /// Milliseconds since the last heartbeat.
    pub last_heartbeat_ms_ago: Option<u64>,
    /// Whether heartbeat ACKs are paused by a fault.
    pub acks_paused: bool,
    /// Whether Resume would still succeed.
    pub resumable: bool,
    /// Dispatches kept for Resume.
    pub buffered: usize,
}

/// One frame of a firehose burst: an event type and its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirehoseFrame {
    /// Event type (`t`).
    pub t: String,
    /// Payload (`d`).
    pub d: Value,
}

/// A firehose burst: `count` dispatches cycling through `frames`, written as fast as the socket
/// takes them.
///
/// The frames get consecutive `s` values but are not kept for Resume, so a Resume from inside a
/// burst is answered with op 9.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Firehose {
    /// Frames to cycle through.
    pub frames: Vec<FirehoseFrame>,
    /// Number of dispatches to write.
    pub count: u64,
    /// Give every dispatch its own message id: a string `d.id` gets the suffix `-{s}`, so that
    /// no client drops a repeated frame as a redelivery.
    #[serde(default)]
    pub unique_ids: bool,
}

/// Maximum `count` of one burst, because `s` values past 2^53 lose precision in JavaScript clients such
/// as the web console.
pub(crate) const MAX_FIREHOSE_COUNT: u64 = 1 << 53;

/// One frame of a burst, pre-serialised: `d` is `d_head`, then, with unique ids, `-{s}` and
/// `d_tail`.
#[derive(Debug)]
pub(crate) struct FirehoseText {
    pub(crate) t: String,
    pub(crate) d_head: String,
    pub(crate) d_tail: Option<String>,
}

impl FirehoseText {
    fn new(frame: &FirehoseFrame, unique_ids: bool) -> Self {
        let t = frame.t.clone();
        if unique_ids
            && let Value::Object(fields) = &frame.d
            && let Some(Value::String(_)) = fields.get("id")
        {
            let (head, tail) = split_at_id_end(fields);
            return Self {
                t,
                d_head: escape_html(&head),
                d_tail: Some(escape_html(&tail)),
            };
        }

        Self {
            t,
            d_head: escape_html(&frame.d.to_string()),
            d_tail: None,
        }
    }
}

/// Serialises an object with a string `id` the way `Value::to_string` does, split right before
/// the closing quote of `id`.
///
/// The object is written field by field, so no other string, however it is escaped, can be
/// mistaken for the end of the id.
fn split_at_id_end(fields: &serde_json::Map<String, Value>) -> (String, String) {
    let mut head = String::from("{");
    let mut tail = String::new();
    let mut past_id = false;
    for (index, (key, value)) in fields.iter().enumerate() {
        let out = if past_id { &mut tail } else { &mut head };
        if index > 0 {
            out.push(',');
        }
        out.push_str(&Value::from(key.as_str()).to_string());
        out.push(':');
        let value = value.to_string();
        if !past_id && key == "id" {
            // `value` is the quoted id string.
            out.push_str(&value[..value.len() - 1]);
            tail.push('"');
            past_id = true;
        } else {
            out.push_str(&value);
        }
    }
    tail.push('}');

    (head, tail)
}

/// A firehose burst bound to a connection, with pre-serialised payloads.
#[derive(Debug)]
pub(crate) struct FirehoseJob {
    pub(crate) frames: Vec<FirehoseText>,
    pub(crate) count: u64,
    pub(crate) first_seq: u64,
}

/// A gateway fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum GatewayFault {
    /// Drop the TCP connection without a close frame; the session stays resumable.
    Drop,
    /// Stop acknowledging heartbeats with op 11.
    StopAcks,
    /// Answer heartbeats again.
    ResumeAcks,
    /// Send op 7, then close with 4009; the session stays resumable.
    Reconnect,
    /// Send op 9 with `d: resumable`, then close (4009 when resumable, else 4006 and the session
    /// is forgotten).
    InvalidSession {
        /// Value of `d`.
        resumable: bool,
    },
    /// Close with any code.
    Close {
        /// Close code.
        code: u16,
        /// Close reason.
        #[serde(default)]
        reason: String,
        /// Forget the session so that Resume fails; default: for 4006, 4007 and 4914/4915.
        #[serde(default)]
        invalidate: Option<bool>,
    },
}

/// Selection of the sessions a fault or firehose applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SessionTarget {
    /// Every connected session.
    #[default]
    All,
    /// Every connected session of a bot.
    Bot(String),
    /// One session.
    Session(String),
}

/// Session-start accounting of `session_start_limit`.
#[derive(Debug)]
pub(crate) struct StartLimiter {
    pub(crate) remaining: u32,
    pub(crate) reset_at: Instant,
    pub(crate) recent: VecDeque<Instant>,
}

/// Gateway state inside [`Inner`].
#[derive(Debug)]
pub(crate) struct GatewayState {
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) next_connection: u64,
    pub(crate) starts: StartLimiter,
    pub(crate) armed_firehose: HashMap<String, Firehose>,
}

impl GatewayState {
    pub(crate) fn new(limit: &crate::config::SessionStartLimit) -> Self {
        Self {
            sessions: HashMap::new(),
            next_connection: 0,
            starts: StartLimiter {
                remaining: limit.remaining,
                reset_at: Instant::now() + Duration::from_millis(limit.reset_after),
                recent: VecDeque::new(),
            },
            armed_firehose: HashMap::new(),
        }
    }

    /// Current `remaining` and `reset_after` (ms), after applying a due reset.
    pub(crate) fn start_limit_now(
        &mut self,
        limit: &crate::config::SessionStartLimit,
    ) -> (u32, u64) {
        let now = Instant::now();
        if now >= self.starts.reset_at {
            self.starts.remaining = limit.total;
            self.starts.reset_at = now + Duration::from_millis(limit.reset_after);
        }
        let reset_after = self
            .starts
            .reset_at
            .saturating_duration_since(now)
            .as_millis();

        (
            self.starts.remaining,
            u64::try_from(reset_after).unwrap_or(u64::MAX),
        )
    }

    pub(crate) fn session_infos(&self, resume_window: Duration) -> Vec<SessionInfo> {
        let now = Instant::now();
        let mut infos: Vec<SessionInfo> = self
            .sessions
            .values()
            .map(|session| SessionInfo {
                session_id: session.id.clone(),
                app_id: session.app_id.clone(),
                connected: session.link.is_some(),
                connection: session.link.as_ref().map(|link| link.connection),
                shard: session.shard,
                intents: session.intents,
                last_seq: session.seq,
                heartbeats: session.heartbeats,
                last_heartbeat_ms_ago: session.last_heartbeat.map(|at| {
                    u64::try_from(now.saturating_duration_since(at).as_millis()).unwrap_or(u64::MAX)
                }),
                acks_paused: session.acks_paused,
                resumable: session.resumable(now, resume_window),
                buffered: session.buffer.len(),
            })
            .collect();
        infos.sort_by(|a, b| a.session_id.cmp(&b.session_id));

        infos
    }

    fn targets(&self, target: &SessionTarget) -> Vec<String> {
        self.sessions
            .values()
            .filter(|session| session.link.is_some())
            .filter(|session| match target {
                SessionTarget::All => true,
                SessionTarget::Bot(app_id) => &session.app_id == app_id,
                SessionTarget::Session(id) => &session.id == id,
            })
            .map(|session| session.id.clone())
            .collect()
    }
}

/// Serialises a dispatch frame the way the platform's encoder does: keys in the order `op`, `s`,
/// `t`, `id`, `d`, and `<`, `>`, `&` escaped.
pub(crate) fn dispatch_text(seq: u64, t: &str, id: &str, d: &Value) -> String {
    escape_html(&format!(
        r#"{{"op":0,"s":{seq},"t":{},"id":{},"d":{d}}}"#,
        Value::from(t),
        Value::from(id)
    ))
}

/// Escapes `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`; they only occur inside JSON
/// strings, where the escapes are equivalent.
pub(crate) fn escape_html(text: &str) -> String {
    if !text.contains(['<', '>', '&']) {
        return text.to_owned();
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        match character {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            other => escaped.push(other),
        }
    }

    escaped
}

/// A published dispatch.
pub(crate) struct Published {
    /// The event id (top-level `id`).
    pub(crate) event_id: String,
    /// Sessions that received the dispatch or keep it for Resume, plus webhook deliveries
    /// queued.
    pub(crate) deliveries: usize,
}

/// Delivers a dispatch to every session of the bot whose intents include the event and whose
/// shard owns the guild, and to the delivery sinks.
pub(crate) fn publish(
    shared: &Shared,
    inner: &mut Inner,
    app_id: &str,
    t: &str,
    d: &Value,
    guild_id: Option<&str>,
) -> Published {
    let event_id = if t == "INTERACTION_CREATE" {
        let interaction = d
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        format!("{t}:{interaction}")
    } else {
        format!("{t}:{}", inner.ids.uuid())
    };
    let bit = shared.intent_map.get(t).copied();
    let capacity = shared.config.replay_buffer;
    let now = Instant::now();
    let window = shared.config.resume_window;

    let mut delivered = 0;
    let mut kept_by_sessions = 0;
    for session in inner.gateway.sessions.values_mut() {
        if session.app_id != app_id || !session.resumable(now, window) {
            continue;
        }
        if let Some(bit) = bit
            && session.intents & (1 << bit) == 0
        {
            continue;
        }
        if shard_for_guild(guild_id, session.shard[1]) != session.shard[0] {
            continue;
        }

        session.seq += 1;
        let seq = session.seq;
        let text: Arc<str> = Arc::from(dispatch_text(seq, t, &event_id, d));
        session.push(seq, text.clone(), capacity);
        kept_by_sessions += 1;
        if let Some(link) = &session.link {
            let _ = link.out.send(Outbound::Text(text.to_string()));
            delivered += 1;
        }
        shared.inspect(InspectorEvent::Frame(FrameEvent {
            connection: session.link.as_ref().map_or(0, |link| link.connection),
            app_id: Some(app_id.to_owned()),
            session_id: Some(session.id.clone()),
            direction: Direction::Outbound,
            op: Some(0),
            t: Some(t.to_owned()),
            s: Some(seq),
            close_code: None,
        }));
    }
    tracing::debug!(app_id, t, event_id = %event_id, delivered, "dispatch published");

    let frame = DispatchFrame {
        t: t.to_owned(),
        id: event_id.clone(),
        d: d.clone(),
    };
    let queued = shared
        .sinks
        .iter()
        .filter(|sink| sink.deliver(app_id, &frame))
        .count();

    Published {
        event_id,
        deliveries: kept_by_sessions + queued,
    }
}

/// Applies a fault to the targeted sessions; returns how many were affected.
pub(crate) fn apply_fault(shared: &Shared, target: &SessionTarget, fault: &GatewayFault) -> usize {
    let mut inner = shared.lock();
    let ids = inner.gateway.targets(target);
    for id in &ids {
        let Some(session) = inner.gateway.sessions.get_mut(id) else {
            continue;
        };
        let Some(link) = session.link.clone() else {
            continue;
        };
        tracing::info!(session_id = %id, app_id = %session.app_id, ?fault, "gateway fault injected");
        // Frames a fault sends appear in the inspector like any other outbound frame.
        let sent = |op: Option<u64>, close_code: Option<u16>| {
            shared.inspect(InspectorEvent::Frame(FrameEvent {
                connection: link.connection,
                app_id: Some(session.app_id.clone()),
                session_id: Some(id.clone()),
                direction: Direction::Outbound,
                op,
                t: None,
                s: None,
                close_code,
            }));
        };
        match fault {
            GatewayFault::Drop => {
                let _ = link.control.send(ConnControl::Drop);
            }
            GatewayFault::StopAcks => {
                session.acks_paused = true;
                let _ = link.control.send(ConnControl::PauseAcks(true));
            }
            GatewayFault::ResumeAcks => {
                session.acks_paused = false;
                let _ = link.control.send(ConnControl::PauseAcks(false));
            }
            GatewayFault::Reconnect => {
                let _ = link.out.send(Outbound::Text(json!({"op": 7}).to_string()));
                let _ = link
                    .out
                    .send(Outbound::Close(4009, "reconnect requested".to_owned()));
                sent(Some(7), None);
                sent(None, Some(4009));
            }
            GatewayFault::InvalidSession { resumable } => {
                let _ = link
                    .out
                    .send(Outbound::Text(json!({"op": 9, "d": resumable}).to_string()));
                sent(Some(9), None);
                if *resumable {
                    let _ = link
                        .out
                        .send(Outbound::Close(4009, "session timed out".to_owned()));
                    sent(None, Some(4009));
                } else {
                    session.invalid = true;
                    let _ = link
                        .out
                        .send(Outbound::Close(4006, "invalid session".to_owned()));
                    sent(None, Some(4006));
                }
            }
            GatewayFault::Close {
                code,
                reason,
                invalidate,
            } => {
                let forget = invalidate.unwrap_or(matches!(code, 4006 | 4007 | 4914 | 4915));
                if forget {
                    session.invalid = true;
                }
                let _ = link.out.send(Outbound::Close(*code, reason.clone()));
                sent(None, Some(*code));
            }
        }
    }
    drop(inner);
    shared.session_notify.notify_waiters();

    ids.len()
}

/// Starts a firehose burst on the targeted connected sessions; returns how many.
pub(crate) fn start_firehose(
    inner: &mut Inner,
    target: &SessionTarget,
    firehose: &Firehose,
) -> usize {
    let ids = inner.gateway.targets(target);
    for id in &ids {
        if let Some(session) = inner.gateway.sessions.get_mut(id) {
            start_firehose_on(session, firehose);
        }
    }

    ids.len()
}

pub(crate) fn start_firehose_on(session: &mut Session, firehose: &Firehose) {
    let Some(link) = &session.link else {
        return;
    };
    if firehose.frames.is_empty() || firehose.count == 0 {
        return;
    }
    let frames = firehose
        .frames
        .iter()
        .map(|frame| FirehoseText::new(frame, firehose.unique_ids))
        .collect();
    let Some(last_seq) = session.seq.checked_add(firehose.count) else {
        tracing::warn!(
            session_id = %session.id,
            seq = session.seq,
            count = firehose.count,
            "firehose burst skipped because its sequence numbers would overflow u64"
        );
        return;
    };
    let first_seq = session.seq + 1;
    session.seq = last_seq;
    // The burst is not buffered, so a Resume from inside it must fail.
    session.buffer.clear();
    session.truncated_below = session.seq;
    let _ = link.out.send(Outbound::Firehose(FirehoseJob {
        frames,
        count: firehose.count,
        first_seq,
    }));
}

/// Router of the WebSocket endpoint.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .route(GATEWAY_PATH, get(upgrade))
        .route("/websocket/", get(upgrade))
}

async fn upgrade(State(app): State<App>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| connection::run(app, socket))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch_keys_follow_the_platform_order() {
        let d = json!({"content": "<b>&</b>", "id": "m1"});
        let text = dispatch_text(7, "C2C_MESSAGE_CREATE", "C2C_MESSAGE_CREATE:e1", &d);
        assert_eq!(
            text,
            r#"{"op":0,"s":7,"t":"C2C_MESSAGE_CREATE","id":"C2C_MESSAGE_CREATE:e1","d":{"content":"\u003cb\u003e\u0026\u003c/b\u003e","id":"m1"}}"#
        );
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["d"]["content"], "<b>&</b>");
    }
}
