//! Group and C2C messages: `POST`/`DELETE /v2/groups/{group_openid}/messages…` and
//! `/v2/users/{openid}/messages…`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{delete, post};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::check_call_rate;
use super::reply::{
    ReplyHandles, SceneKind, check_passive, check_proactive, keyboard_fits, record_sent,
    sent_from_body,
};
use crate::clock::now_rfc3339;
use crate::respond::{ApiError, ApiResult, empty_ok, ok, parse_json};
use crate::state::{App, Inner};
use crate::store::{C2cState, Conversation, RobotMessage};

pub(super) fn router() -> Router<App> {
    Router::new()
        .route("/v2/groups/{group_openid}/messages", post(send_group))
        .route("/v2/users/{openid}/messages", post(send_c2c))
        .route(
            "/v2/groups/{group_openid}/messages/{message_id}",
            delete(recall_group),
        )
        .route(
            "/v2/users/{openid}/messages/{message_id}",
            delete(recall_c2c),
        )
}

/// A resolved group or C2C target.
pub(super) struct Target {
    pub(super) scene: SceneKind,
    pub(super) conversation: Conversation,
    /// Group key or user id.
    pub(super) key: String,
    /// Whether the target allows proactive messages.
    pub(super) opted_in: bool,
}

/// Returns the C2C state of a user, created from the world on first use.
pub(crate) fn c2c_state<'a>(inner: &'a mut Inner, app_id: &str, user_id: &str) -> &'a mut C2cState {
    let (friend, allow) = inner
        .world
        .user(user_id)
        .map_or((false, false), |user| (user.c2c, user.allow_proactive));
    inner
        .store
        .c2c
        .entry((app_id.to_owned(), user_id.to_owned()))
        .or_insert_with(|| C2cState {
            friend,
            allow_proactive: allow,
            last_inbound: None,
            wakeups_used: std::collections::HashSet::new(),
        })
}

pub(super) fn resolve(
    inner: &mut Inner,
    app_id: &str,
    scene: SceneKind,
    openid: &str,
) -> Result<Target, ApiError> {
    match scene {
        SceneKind::Group => {
            let group = inner
                .world
                .group_by_openid(app_id, openid)
                .ok_or_else(|| ApiError::bad_request(40_034_101, "机器人不在该群中"))?;
            let opted_in = group.bot(app_id).is_some_and(|bot| bot.allow_proactive_msg);
            Ok(Target {
                scene,
                conversation: Conversation::Group(openid.to_owned()),
                key: group.key.clone(),
                opted_in,
            })
        }
        _ => {
            let user_id = inner
                .world
                .user_by_openid(app_id, openid)
                .map(|user| user.id.clone())
                .ok_or_else(|| {
                    ApiError::bad_request(40_054_004, "no friend relation with this user")
                })?;
            let state = c2c_state(inner, app_id, &user_id);
            if !state.friend {
                return Err(ApiError::bad_request(
                    40_054_004,
                    "no friend relation with this user",
                ));
            }
            let opted_in = state.allow_proactive;
            Ok(Target {
                scene: SceneKind::C2c,
                conversation: Conversation::C2c(openid.to_owned()),
                key: user_id,
                opted_in,
            })
        }
    }
}

async fn send_group(
    State(app): State<App>,
    caller: crate::auth::Caller,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    send(&app, &caller.app_id, SceneKind::Group, &openid, &body)
}

async fn send_c2c(
    State(app): State<App>,
    caller: crate::auth::Caller,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    send(&app, &caller.app_id, SceneKind::C2c, &openid, &body)
}

fn non_empty_str(body: &Value, key: &str) -> bool {
    body.get(key)
        .and_then(Value::as_str)
        .is_some_and(|text| !text.trim().is_empty())
}

/// Validates the content fields against `msg_type`.
fn validate_content(
    inner: &Inner,
    app_id: &str,
    target: &Target,
    body: &Value,
    msg_type: u64,
) -> Result<(), ApiError> {
    match msg_type {
        0 => {
            if !non_empty_str(body, "content") {
                return Err(ApiError::bad_request(
                    50006,
                    "message is empty: msg_type 0 needs content",
                ));
            }
        }
        2 => {
            let markdown = body
                .get("markdown")
                .filter(|markdown| markdown.is_object())
                .ok_or_else(|| {
                    ApiError::bad_request(22006, "msg_type 2 needs a markdown object")
                })?;
            let native = non_empty_str(markdown, "content");
            let template = markdown.get("custom_template_id").is_some()
                || markdown.get("template_id").is_some();
            if native && template {
                return Err(ApiError::bad_request(
                    50057,
                    "markdown takes either content or a template, not both",
                ));
            }
            if !native && !template {
                return Err(ApiError::bad_request(
                    40_034_008,
                    "markdown has neither content nor a template",
                ));
            }
        }
        3 => {
            if !body.get("ark").is_some_and(Value::is_object) {
                return Err(ApiError::bad_request(
                    22006,
                    "msg_type 3 needs an ark object",
                ));
            }
        }
        6 => {
            if target.scene != SceneKind::C2c {
                return Err(ApiError::bad_request(
                    340_069,
                    "msg_type 6 (typing) is only for C2C",
                ));
            }
            if !body.get("input_notify").is_some_and(Value::is_object) {
                return Err(ApiError::bad_request(
                    22006,
                    "msg_type 6 needs an input_notify object",
                ));
            }
        }
        7 => {
            let file_info = body
                .pointer("/media/file_info")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::bad_request(22006, "msg_type 7 needs media.file_info"))?;
            let scene = if target.scene == SceneKind::Group {
                "group"
            } else {
                "c2c"
            };
            let valid = inner
                .store
                .files
                .get(file_info)
                .is_some_and(|file| file.app_id == app_id && file.scene == scene);
            if !valid {
                return Err(ApiError::bad_request(
                    304_080,
                    "invalid file_info: upload it through the files API of this scene",
                ));
            }
        }
        other => {
            return Err(ApiError::bad_request(
                340_069,
                format!(
                    "msg_type {other} cannot be sent to a group or C2C target (use 0, 2, 3, 6 or 7)"
                ),
            ));
        }
    }
    if let Some(keyboard) = body.get("keyboard")
        && !keyboard_fits(keyboard)
    {
        return Err(ApiError::bad_request(
            40_034_029,
            "keyboard has more than 5 rows or 5 buttons per row",
        ));
    }

    Ok(())
}

/// Checks a C2C wake-up send: one per period (same day, days 1–3, 3–7, 7–30) after the user's
/// last message.
fn check_wakeup(inner: &mut Inner, app_id: &str, target: &Target) -> Result<(), ApiError> {
    if target.scene != SceneKind::C2c {
        return Err(ApiError::bad_request(
            40_034_123,
            "wake-up messages are only for C2C",
        ));
    }
    let state = c2c_state(inner, app_id, &target.key);
    let Some(last) = state.last_inbound else {
        return Err(ApiError::bad_request(
            40_034_123,
            "the user never wrote to the bot; wake-up is not possible",
        ));
    };
    let days = Instant::now().saturating_duration_since(last).as_secs() / 86_400;
    let period = match days {
        0 => 0,
        1..=3 => 1,
        4..=7 => 2,
        8..=30 => 3,
        _ => {
            return Err(ApiError::bad_request(
                40_034_123,
                "the user's last message is older than 30 days",
            ));
        }
    };
    if !state.wakeups_used.insert(period) {
        return Err(ApiError::bad_request(
            40_034_122,
            "the wake-up message of this period is used up",
        ));
    }

    Ok(())
}

fn send(app: &App, app_id: &str, scene: SceneKind, openid: &str, body: &[u8]) -> ApiResult {
    let body = parse_json(body)?;
    let mut inner = app.lock();
    let target = resolve(&mut inner, app_id, scene, openid)?;

    let msg_type = match body.get("msg_type") {
        Some(value) => value.as_u64().ok_or_else(|| {
            ApiError::bad_request(340_069, format!("msg_type {value} is not an integer"))
        })?,
        None => return Err(ApiError::bad_request(340_069, "msg_type is required")),
    };
    validate_content(&inner, app_id, &target, &body, msg_type)?;

    let handles = ReplyHandles::from_body(&body);
    let wakeup = body
        .get("is_wakeup")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if wakeup && handles.is_passive() {
        return Err(ApiError::invalid_body(
            "is_wakeup cannot be combined with msg_id or event_id",
        ));
    }
    if msg_type == 6 && !handles.is_passive() {
        return Err(ApiError::bad_request(
            22006,
            "a typing notice must reply to a msg_id",
        ));
    }

    // Every group/C2C send, passive or proactive, counts toward the bot's API-wide rate.
    let now = Instant::now();
    let rate_key = format!("send:{app_id}:{scene:?}");
    let per_second = app.config.rate_limits.bot_sends_per_second;
    if !inner.store.windows.allows(
        &rate_key,
        per_second,
        std::time::Duration::from_secs(1),
        now,
    ) {
        tracing::info!(app_id, "bot send rate limited");
        return Err(ApiError::rate_limited(22009, "msg limit exceed"));
    }

    if handles.is_passive() {
        check_passive(
            app,
            &mut inner,
            app_id,
            scene,
            &target.conversation,
            None,
            &handles,
            msg_type != 6,
        )?;
    } else if wakeup {
        check_wakeup(&mut inner, app_id, &target)?;
    } else {
        check_proactive(app, &mut inner, app_id, scene, &target.key, target.opted_in)?;
    }
    inner.store.windows.record(&rate_key, now);

    let id = inner.ids.robot_message_id();
    let ref_idx = inner.ids.ref_idx();
    let timestamp = now_rfc3339();
    let sent = sent_from_body(
        app_id,
        target.conversation.clone(),
        id.clone(),
        timestamp.clone(),
        &body,
        &handles,
    );
    let index = record_sent(app, &mut inner, sent);
    inner.store.robot_messages.insert(
        id.clone(),
        RobotMessage {
            app_id: app_id.to_owned(),
            conversation: target.conversation,
            sent_at: now,
            sent_index: index,
        },
    );

    Ok(ok(
        &json!({"id": id, "timestamp": timestamp, "ext_info": {"ref_idx": ref_idx}}),
    ))
}

async fn recall_group(
    State(app): State<App>,
    caller: crate::auth::Caller,
    Path((openid, message_id)): Path<(String, String)>,
) -> ApiResult {
    recall(&app, &caller.app_id, SceneKind::Group, &openid, &message_id)
}

async fn recall_c2c(
    State(app): State<App>,
    caller: crate::auth::Caller,
    Path((openid, message_id)): Path<(String, String)>,
) -> ApiResult {
    recall(&app, &caller.app_id, SceneKind::C2c, &openid, &message_id)
}

fn recall(app: &App, app_id: &str, scene: SceneKind, openid: &str, message_id: &str) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(app, &mut inner, app_id, "recall")?;
    let target = resolve(&mut inner, app_id, scene, openid)?;
    let record = inner
        .store
        .robot_messages
        .get(message_id)
        .filter(|record| record.app_id == app_id && record.conversation == target.conversation)
        .cloned()
        .ok_or_else(|| {
            ApiError::bad_request(
                40_061_002,
                "msgid is wrong or not a message of this bot here",
            )
        })?;
    if Instant::now().saturating_duration_since(record.sent_at) > app.config.recall_window {
        return Err(ApiError::bad_request(
            40_064_004,
            "message is older than the recall window",
        ));
    }
    if let Some(sent) = inner.store.sent.get_mut(record.sent_index) {
        sent.recalled = true;
    }
    inner.store.robot_messages.remove(message_id);
    tracing::debug!(app_id, message_id, "bot message recalled");

    Ok(empty_ok())
}
