//! Passive-reply and proactive-message rules shared by every send endpoint.

use std::time::Duration;

use tokio::time::Instant;

use crate::config::{PassiveErrorStyle, ProactivePolicy};
use crate::respond::ApiError;
use crate::state::{App, Inner};
use crate::store::{AnchorScope, Conversation};

/// Scene of a send, which selects windows, counts and error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SceneKind {
    Channel,
    Dm,
    Group,
    C2c,
}

impl SceneKind {
    fn is_v2(self) -> bool {
        matches!(self, Self::Group | Self::C2c)
    }
}

/// The reply handles of a send.
#[derive(Debug, Clone, Default)]
pub(super) struct ReplyHandles {
    pub(super) msg_id: Option<String>,
    pub(super) event_id: Option<String>,
    pub(super) msg_seq: Option<u64>,
}

impl ReplyHandles {
    pub(super) fn from_body(body: &serde_json::Value) -> Self {
        let text = |key: &str| {
            body.get(key)
                .and_then(serde_json::Value::as_str)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        Self {
            msg_id: text("msg_id"),
            event_id: text("event_id"),
            msg_seq: body.get("msg_seq").and_then(|seq| {
                seq.as_u64()
                    .or_else(|| seq.as_str().and_then(|text| text.parse().ok()))
            }),
        }
    }

    pub(super) fn is_passive(&self) -> bool {
        self.msg_id.is_some() || self.event_id.is_some()
    }
}

/// Checks a passive reply and, when allowed, records its `msg_seq` and counts it.
///
/// `counts` is false for sends that do not use up a reply (typing notices).
#[allow(
    clippy::too_many_arguments,
    reason = "each argument is one fact of the send"
)]
pub(super) fn check_passive(
    app: &App,
    inner: &mut Inner,
    app_id: &str,
    scene: SceneKind,
    conversation: &Conversation,
    guild_id: Option<&str>,
    handles: &ReplyHandles,
    counts: bool,
) -> Result<(), ApiError> {
    let rules = app.config.passive;
    let legacy = rules.error_style == PassiveErrorStyle::Legacy;
    let (anchor_id, by_event) = match (&handles.msg_id, &handles.event_id) {
        (Some(msg_id), _) => (msg_id.clone(), false),
        (None, Some(event_id)) => (event_id.clone(), true),
        (None, None) => return Ok(()),
    };

    let invalid = || {
        if !scene.is_v2() {
            ApiError::bad_request(304_026, "reply message id is wrong")
        } else if by_event {
            ApiError::bad_request(40_034_025, "请求参数event_id无效")
        } else {
            ApiError::bad_request(40_034_024, "请求参数msg_id无效或越权")
        }
    };

    let Some(anchor) = inner
        .store
        .anchors
        .get_mut(&(app_id.to_owned(), anchor_id.clone()))
    else {
        return Err(invalid());
    };
    // A msg_id must name a message and an event_id an event.
    if anchor.event_type.is_some() != by_event {
        return Err(invalid());
    }
    let in_scope = match &anchor.scope {
        AnchorScope::Conversation(target) => target == conversation,
        AnchorScope::Guild(anchor_guild) => {
            matches!(scene, SceneKind::Channel | SceneKind::Dm)
                && guild_id == Some(anchor_guild.as_str())
        }
    };
    if !in_scope {
        return Err(invalid());
    }
    if !anchor.replyable {
        return Err(ApiError::bad_request(
            40_034_027,
            "请求参数event_id对应事件不能回复消息",
        ));
    }

    let window = match scene {
        SceneKind::C2c => rules.c2c_window,
        SceneKind::Group => rules.group_window,
        SceneKind::Channel | SceneKind::Dm => rules.guild_window,
    };
    let window = if by_event {
        rules.event_window.unwrap_or(window)
    } else {
        window
    };
    if anchor.age(Instant::now()) > window {
        tracing::debug!(app_id, anchor_id, "passive reply after its window");
        return Err(match (scene.is_v2(), by_event, legacy) {
            (false, _, _) | (true, false, true) => {
                ApiError::bad_request(304_027, "reply message has expired")
            }
            (true, true, _) => ApiError::bad_request(40_034_026, "请求参数event_id已过期"),
            (true, false, false) => ApiError::bad_request(40_034_005, "回复消息msg_id已过期"),
        });
    }

    if scene.is_v2() {
        let seq = handles.msg_seq.unwrap_or(1);
        if anchor.seqs.contains(&seq) {
            tracing::debug!(app_id, anchor_id, seq, "duplicate msg_seq");
            return Err(ApiError::bad_request(
                40_054_005,
                "消息被去重，请检查请求msgseq",
            ));
        }
        let limit = if scene == SceneKind::C2c {
            rules.c2c_replies
        } else {
            rules.group_replies
        };
        let counts = counts || rules.typing_counts_as_reply;
        if counts && anchor.replies >= limit {
            tracing::debug!(app_id, anchor_id, limit, "too many replies to one message");
            return Err(if legacy {
                ApiError::bad_request(304_027, "reply msg exceed limit")
            } else {
                ApiError::bad_request(40_034_128, "reply msg exceed limit")
            });
        }
        anchor.seqs.insert(seq);
        if counts {
            anchor.replies += 1;
        }
    }

    Ok(())
}

/// Checks a proactive send against the policy, the target's opt-in and the proactive rates, and
/// records it when allowed.
///
/// `target` names the group key, user id, channel id or DM user id.
pub(super) fn check_proactive(
    app: &App,
    inner: &mut Inner,
    app_id: &str,
    scene: SceneKind,
    target: &str,
    opted_in: bool,
) -> Result<(), ApiError> {
    let limits = app.config.rate_limits;
    let policy = app.config.proactive_policy;
    let denied = || match scene {
        SceneKind::Group | SceneKind::C2c => {
            ApiError::bad_request(app.config.proactive_denied_code, "主动消息失败, 无权限")
        }
        SceneKind::Channel => ApiError::bad_request(
            304_046,
            "proactive messages are not allowed in this channel",
        ),
        SceneKind::Dm => ApiError::bad_request(304_049, "DM proactive message rate limit"),
    };

    let allowed = match policy {
        ProactivePolicy::Off => false,
        ProactivePolicy::Open => true,
        ProactivePolicy::OptIn => opted_in,
    };
    if !allowed {
        tracing::debug!(app_id, target, ?policy, "proactive send rejected");
        return Err(denied());
    }

    let now = Instant::now();
    let minute = Duration::from_secs(60);
    let second = Duration::from_secs(1);
    let day = Duration::from_secs(86_400);
    let windows = &mut inner.store.windows;
    let checks: Vec<(String, u32, Duration)> = match scene {
        SceneKind::Group => vec![
            (
                format!("proactive:bot:{app_id}:group"),
                limits.group_proactive_per_minute_bot,
                minute,
            ),
            (
                format!("proactive:group:{app_id}:{target}:minute"),
                limits.proactive_per_minute_target,
                minute,
            ),
            (
                format!("proactive:group:{app_id}:{target}:day"),
                limits.proactive_per_day_target,
                day,
            ),
        ],
        SceneKind::C2c => vec![
            (
                format!("proactive:bot:{app_id}:c2c"),
                limits.c2c_proactive_per_second_bot,
                second,
            ),
            (
                format!("proactive:user:{app_id}:{target}:minute"),
                limits.proactive_per_minute_target,
                minute,
            ),
            (
                format!("proactive:user:{app_id}:{target}:day"),
                limits.proactive_per_day_target,
                day,
            ),
        ],
        SceneKind::Channel => vec![(
            format!("proactive:channel:{app_id}:{target}"),
            limits.channel_proactive_per_day,
            day,
        )],
        SceneKind::Dm => vec![(
            format!("proactive:dm:{app_id}:{target}"),
            limits.dm_proactive_per_day_user,
            day,
        )],
    };
    if let Some((key, ..)) = checks
        .iter()
        .find(|(key, limit, window)| !windows.allows(key, *limit, *window, now))
    {
        tracing::info!(app_id, key, "proactive rate limit reached");
        return Err(match scene {
            SceneKind::Group | SceneKind::C2c => {
                ApiError::bad_request(40_034_100, "主动消息频率超限")
            }
            SceneKind::Channel => {
                ApiError::bad_request(304_045, "channel proactive message rate limit")
            }
            SceneKind::Dm => ApiError::bad_request(304_049, "DM proactive message rate limit"),
        });
    }
    for (key, ..) in &checks {
        windows.record(key, now);
    }

    Ok(())
}

/// Records a message a bot sent and wakes the wait helpers; returns its index.
pub(super) fn record_sent(app: &App, inner: &mut Inner, sent: crate::store::SentMessage) -> usize {
    tracing::debug!(app_id = %sent.app_id, conversation = %sent.conversation, id = %sent.id, "bot message recorded");
    inner.store.sent.push(sent);
    app.sent_notify.notify_waiters();
    let index = inner.store.sent.len() - 1;
    app.console.record_sent(index);

    index
}

/// Builds the record of a sent message from its request body.
pub(super) fn sent_from_body(
    app_id: &str,
    conversation: Conversation,
    id: String,
    timestamp: String,
    body: &serde_json::Value,
    handles: &ReplyHandles,
) -> crate::store::SentMessage {
    let field = |key: &str| body.get(key).filter(|value| !value.is_null()).cloned();
    crate::store::SentMessage {
        app_id: app_id.to_owned(),
        conversation,
        id,
        timestamp,
        msg_type: body.get("msg_type").and_then(serde_json::Value::as_u64),
        content: body
            .get("content")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        msg_id: handles.msg_id.clone(),
        event_id: handles.event_id.clone(),
        msg_seq: handles.msg_seq,
        markdown: field("markdown"),
        keyboard: field("keyboard"),
        ark: field("ark"),
        embed: field("embed"),
        media: field("media"),
        image: body
            .get("image")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        file_image_len: None,
        message_reference: field("message_reference"),
        input_notify: field("input_notify"),
        passive: handles.is_passive(),
        recalled: false,
        body: body.clone(),
    }
}

/// Checks a keyboard's size: at most 5 rows of 5 buttons.
pub(super) fn keyboard_fits(keyboard: &serde_json::Value) -> bool {
    let Some(rows) = keyboard
        .pointer("/content/rows")
        .and_then(serde_json::Value::as_array)
    else {
        return true;
    };
    rows.len() <= 5
        && rows.iter().all(|row| {
            row.get("buttons")
                .and_then(serde_json::Value::as_array)
                .is_none_or(|buttons| buttons.len() <= 5)
        })
}
