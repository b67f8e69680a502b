//! Guild channel and DM messages, reactions, pins and announcements.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header;
use axum::routing::{delete, get, post, put};
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::objects::user_json;
use super::reply::{
    ReplyHandles, SceneKind, check_passive, check_proactive, keyboard_fits, record_sent,
    sent_from_body,
};
use super::{channel_of, check_call_rate, guild_of, query_u64, require_admin, require_private};
use crate::auth::Caller;
use crate::clock::now_rfc3339;
use crate::gateway::publish;
use crate::respond::{ApiError, ApiResult, empty_ok, no_content, ok, parse_json};
use crate::state::{App, Inner};
use crate::store::{Conversation, GuildMessage};

pub(super) fn router() -> Router<App> {
    Router::new()
        .route("/channels/{channel_id}/messages", post(send_channel))
        .route(
            "/channels/{channel_id}/messages/{message_id}",
            get(get_message).delete(recall_channel).patch(edit_message),
        )
        .route("/dms/{guild_id}/messages", post(send_dm))
        .route("/dms/{guild_id}/messages/{message_id}", delete(recall_dm))
        .route(
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_type}/{emoji_id}",
            put(add_reaction)
                .delete(remove_reaction)
                .get(reaction_users),
        )
        .route("/channels/{channel_id}/pins", get(list_pins))
        .route(
            "/channels/{channel_id}/pins/{message_id}",
            put(add_pin).delete(remove_pin),
        )
        .route("/guilds/{guild_id}/announces", post(create_guild_announce))
        .route(
            "/guilds/{guild_id}/announces/{message_id}",
            delete(delete_guild_announce),
        )
        .route(
            "/channels/{channel_id}/announces",
            post(create_channel_announce),
        )
        .route(
            "/channels/{channel_id}/announces/{message_id}",
            delete(delete_channel_announce),
        )
}

/// A parsed send body: JSON, or multipart with JSON-encoded object fields and `file_image`.
struct SendBody {
    fields: Value,
    file_image_len: Option<usize>,
}

async fn read_send_body(app: &App, request: Request) -> Result<SendBody, ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    if !is_multipart {
        let bytes = Bytes::from_request(request, app)
            .await
            .map_err(|error| ApiError::invalid_body(error.to_string()))?;
        return Ok(SendBody {
            fields: parse_json(&bytes)?,
            file_image_len: None,
        });
    }

    let mut multipart = Multipart::from_request(request, app)
        .await
        .map_err(|error| ApiError::bad_request(50035, format!("invalid form-data: {error}")))?;
    let mut fields = Map::new();
    let mut file_image_len = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| ApiError::bad_request(50035, format!("invalid form-data: {error}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|error| ApiError::bad_request(50035, format!("invalid form-data: {error}")))?;
        if name == "file_image" {
            file_image_len = Some(bytes.len());
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // Object and array fields arrive JSON-encoded; plain text stays a string.
        let value = match serde_json::from_str::<Value>(&text) {
            Ok(value @ (Value::Object(_) | Value::Array(_) | Value::Bool(_))) => value,
            _ => Value::String(text),
        };
        fields.insert(name, value);
    }

    Ok(SendBody {
        fields: Value::Object(fields),
        file_image_len,
    })
}

fn has_text(body: &Value, key: &str) -> bool {
    body.get(key)
        .and_then(Value::as_str)
        .is_some_and(|text| !text.is_empty())
}

/// Validates a guild send body.
fn validate_guild_body(body: &SendBody) -> Result<(), ApiError> {
    let fields = &body.fields;
    let has_markdown = fields.get("markdown").is_some_and(Value::is_object);
    let has_other = has_text(fields, "content")
        || fields.get("embed").is_some_and(Value::is_object)
        || fields.get("ark").is_some_and(Value::is_object)
        || has_text(fields, "image")
        || body.file_image_len.is_some();
    if !has_markdown && !has_other {
        return Err(ApiError::bad_request(
            50006,
            "message is empty: set content, embed, ark, image, file_image or markdown",
        ));
    }
    if has_markdown && has_other {
        return Err(ApiError::bad_request(
            50037,
            "a markdown message may only carry markdown and keyboard",
        ));
    }
    if let Some(markdown) = fields.get("markdown")
        && has_text(markdown, "content")
        && (markdown.get("custom_template_id").is_some() || markdown.get("template_id").is_some())
    {
        return Err(ApiError::bad_request(
            50057,
            "markdown takes either content or a template, not both",
        ));
    }
    if let Some(keyboard) = fields.get("keyboard")
        && !keyboard_fits(keyboard)
    {
        return Err(ApiError::bad_request(
            304_039,
            "keyboard has more than 5 rows or 5 buttons per row",
        ));
    }
    if let Some(embed) = fields.get("embed")
        && embed.to_string().len() > 4096
    {
        return Err(ApiError::bad_request(304_005, "embed too long"));
    }

    Ok(())
}

/// Where a guild send goes.
struct GuildTarget {
    scene: SceneKind,
    conversation: Conversation,
    guild_id: String,
    channel_id: String,
    /// Channel id, or the DM user id, for proactive accounting.
    proactive_key: String,
    dm_source: Option<String>,
}

async fn send_channel(
    State(app): State<App>,
    caller: Caller,
    Path(channel_id): Path<String>,
    request: Request,
) -> ApiResult {
    let body = read_send_body(&app, request).await?;
    let target = {
        let inner = app.lock();
        let (guild, channel) = channel_of(&inner, &caller.app_id, &channel_id)?;
        if channel.kind != 0 {
            return Err(ApiError::bad_request(
                304_009,
                format!(
                    "channel {channel_id} of type {} does not take messages",
                    channel.kind
                ),
            ));
        }
        GuildTarget {
            scene: SceneKind::Channel,
            conversation: Conversation::Channel(channel_id.clone()),
            guild_id: guild.id.clone(),
            channel_id: channel_id.clone(),
            proactive_key: channel_id,
            dm_source: None,
        }
    };

    send_guild(&app, &caller.app_id, &target, &body)
}

async fn send_dm(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
    request: Request,
) -> ApiResult {
    let body = read_send_body(&app, request).await?;
    let target = {
        let inner = app.lock();
        let dm = inner
            .world
            .dm_for(&caller.app_id, &guild_id)
            .ok_or_else(|| {
                ApiError::bad_request(304_032, format!("DM session {guild_id} does not exist"))
            })?;
        GuildTarget {
            scene: SceneKind::Dm,
            conversation: Conversation::Dm(guild_id.clone()),
            guild_id: guild_id.clone(),
            channel_id: dm.channel_id.clone(),
            proactive_key: dm.user_id.clone(),
            dm_source: Some(dm.src_guild_id.clone()),
        }
    };

    send_guild(&app, &caller.app_id, &target, &body)
}

fn send_guild(app: &App, app_id: &str, target: &GuildTarget, body: &SendBody) -> ApiResult {
    validate_guild_body(body)?;
    let fields = &body.fields;
    let mut inner = app.lock();

    if app.config.require_gateway_for_guild_sends
        && !inner
            .gateway
            .sessions
            .values()
            .any(|session| session.app_id == app_id && session.link.is_some())
    {
        return Err(ApiError::bad_request(
            304_018,
            "bot is not connected to the gateway",
        ));
    }
    if let Some(reference) = fields
        .pointer("/message_reference/message_id")
        .and_then(Value::as_str)
    {
        let ignore = fields
            .pointer("/message_reference/ignore_get_message_error")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let known = inner
            .store
            .guild_messages
            .get(reference)
            .is_some_and(|message| message.channel_id == target.channel_id);
        if !known && !ignore {
            return Err(ApiError::bad_request(
                50039,
                format!("referenced message {reference} was not found in this channel"),
            ));
        }
    }

    let now = Instant::now();
    let rate_key = format!("channel:{}", target.channel_id);
    let per_second = app.config.rate_limits.channel_per_second;
    if !inner.store.windows.allows(
        &rate_key,
        per_second,
        std::time::Duration::from_secs(1),
        now,
    ) {
        tracing::info!(app_id, channel_id = %target.channel_id, "channel send rate limited");
        return Err(ApiError::rate_limited(
            20028,
            "channel message write rate limit hit",
        ));
    }

    let handles = ReplyHandles::from_body(fields);
    if handles.is_passive() {
        check_passive(
            app,
            &mut inner,
            app_id,
            target.scene,
            &target.conversation,
            Some(&target.guild_id),
            &handles,
            true,
        )?;
    } else {
        check_proactive(
            app,
            &mut inner,
            app_id,
            target.scene,
            &target.proactive_key,
            true,
        )?;
    }
    inner.store.windows.record(&rate_key, now);

    let id = inner.ids.guild_message_id();
    let timestamp = now_rfc3339();
    let seq = {
        let next = inner
            .store
            .channel_seq
            .entry(target.channel_id.clone())
            .or_insert(100);
        *next += 1;
        *next
    };
    let bot_user = inner
        .world
        .bot(app_id)
        .map(|bot| bot.user_id.clone())
        .unwrap_or_default();
    let mut author = user_json(&inner.world, &bot_user);
    author["avatar"] = json!("");
    let mut message = json!({
        "id": id,
        "channel_id": target.channel_id,
        "guild_id": target.guild_id,
        "content": fields.get("content").and_then(Value::as_str).unwrap_or_default(),
        "timestamp": timestamp,
        "tts": false,
        "mention_everyone": false,
        "author": author,
        "embeds": [fields.get("embed").cloned().unwrap_or_else(|| json!({}))],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "seq_in_channel": seq.to_string(),
    });
    for key in ["ark", "markdown", "keyboard", "message_reference"] {
        if let Some(value) = fields.get(key) {
            message[key] = value.clone();
        }
    }
    if let Some(source) = &target.dm_source {
        message["direct_message"] = json!(true);
        message["src_guild_id"] = json!(source);
    }
    inner.store.guild_messages.insert(
        id.clone(),
        GuildMessage {
            channel_id: target.channel_id.clone(),
            guild_id: target.guild_id.clone(),
            author_id: bot_user,
            by_bot: Some(app_id.to_owned()),
            object: message.clone(),
            deleted: false,
        },
    );
    let mut sent = sent_from_body(
        app_id,
        target.conversation.clone(),
        id,
        timestamp,
        fields,
        &handles,
    );
    sent.file_image_len = body.file_image_len;
    record_sent(app, &mut inner, sent);

    Ok(ok(&message))
}

async fn get_message(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(
        &app,
        &mut inner,
        &caller.app_id,
        "/channels/{channel_id}/messages/{message_id}",
    )?;
    channel_of(&inner, &caller.app_id, &channel_id)?;
    let message = inner
        .store
        .guild_messages
        .get(&message_id)
        .filter(|message| message.channel_id == channel_id && !message.deleted)
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                50039,
                "failed to fetch the message",
            )
        })?;

    Ok(ok(&json!({"message": message.object})))
}

fn mark_recalled(inner: &mut Inner, message_id: &str) {
    if let Some(sent) = inner
        .store
        .sent
        .iter_mut()
        .rev()
        .find(|sent| sent.id == message_id)
    {
        sent.recalled = true;
    }
}

async fn recall_channel(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    require_private(&inner, &caller.app_id)?;
    let (guild, _) = channel_of(&inner, &caller.app_id, &channel_id)?;
    let guild = guild.clone();
    let message = inner
        .store
        .guild_messages
        .get(&message_id)
        .filter(|message| message.channel_id == channel_id && !message.deleted)
        .cloned()
        .ok_or_else(|| ApiError::bad_request(306_002, "wrong message id"))?;
    if message.by_bot.as_deref() != Some(caller.app_id.as_str()) {
        require_admin(&inner, &caller.app_id, &guild)
            .map_err(|_| ApiError::bad_request(306_004, "no permission to recall this message"))?;
    }
    if let Some(stored) = inner.store.guild_messages.get_mut(&message_id) {
        stored.deleted = true;
    }
    mark_recalled(&mut inner, &message_id);
    let op_user = inner
        .world
        .bot(&caller.app_id)
        .map(|bot| bot.user_id.clone())
        .unwrap_or_default();
    let d = json!({
        "message": {"id": message_id, "channel_id": channel_id, "guild_id": guild.id, "author": {"id": message.author_id}},
        "op_user": {"id": op_user},
    });
    publish(
        &app,
        &mut inner,
        &caller.app_id,
        "MESSAGE_DELETE",
        &d,
        Some(&guild.id),
    );

    Ok(empty_ok())
}

async fn recall_dm(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, message_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    require_private(&inner, &caller.app_id)?;
    inner
        .world
        .dm_for(&caller.app_id, &guild_id)
        .ok_or_else(|| {
            ApiError::bad_request(304_032, format!("DM session {guild_id} does not exist"))
        })?;
    let valid = inner
        .store
        .guild_messages
        .get(&message_id)
        .is_some_and(|message| {
            message.guild_id == guild_id
                && !message.deleted
                && message.by_bot.as_deref() == Some(caller.app_id.as_str())
        });
    if !valid {
        return Err(ApiError::bad_request(306_002, "wrong message id"));
    }
    if let Some(stored) = inner.store.guild_messages.get_mut(&message_id) {
        stored.deleted = true;
    }
    mark_recalled(&mut inner, &message_id);

    Ok(empty_ok())
}

async fn edit_message(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    channel_of(&inner, &caller.app_id, &channel_id)?;
    let message = inner
        .store
        .guild_messages
        .get_mut(&message_id)
        .filter(|message| message.channel_id == channel_id && !message.deleted)
        .ok_or_else(|| ApiError::bad_request(50039, "failed to fetch the message"))?;
    if message.by_bot.as_deref() != Some(caller.app_id.as_str()) {
        return Err(ApiError::bad_request(
            50051,
            "only the bot's own messages can be edited",
        ));
    }
    if message.object.get("keyboard").is_none() {
        return Err(ApiError::bad_request(
            50049,
            "only messages with a keyboard can be edited",
        ));
    }
    let keyboard = body
        .get("keyboard")
        .filter(|keyboard| {
            keyboard
                .as_object()
                .is_some_and(|object| !object.is_empty())
        })
        .ok_or_else(|| ApiError::bad_request(50050, "keyboard must not be empty"))?;
    message.object["keyboard"] = keyboard.clone();
    if let Some(markdown) = body.get("markdown") {
        message.object["markdown"] = markdown.clone();
    }

    Ok(ok(&message.object.clone()))
}

/// Checks that a message exists in the channel and returns the guild id.
fn message_in_channel(
    inner: &Inner,
    app_id: &str,
    channel_id: &str,
    message_id: &str,
    missing_code: u64,
) -> Result<String, ApiError> {
    let (guild, _) = channel_of(inner, app_id, channel_id)?;
    let exists = inner
        .store
        .guild_messages
        .get(message_id)
        .is_some_and(|message| message.channel_id == channel_id && !message.deleted);
    if !exists {
        return Err(ApiError::bad_request(
            missing_code,
            format!("message {message_id} does not exist in channel {channel_id}"),
        ));
    }

    Ok(guild.id.clone())
}

fn emoji_type(text: &str) -> Result<u32, ApiError> {
    match text {
        "1" => Ok(1),
        "2" => Ok(2),
        other => Err(ApiError::bad_request(
            620_001,
            format!("emoji type {other} is not 1 (system) or 2 (emoji)"),
        )),
    }
}

async fn add_reaction(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id, kind, emoji)): Path<(String, String, String, String)>,
) -> ApiResult {
    let kind = emoji_type(&kind)?;
    let mut inner = app.lock();
    message_in_channel(&inner, &caller.app_id, &channel_id, &message_id, 620_001)?;
    let bot_user = inner
        .world
        .bot(&caller.app_id)
        .map(|bot| bot.user_id.clone())
        .unwrap_or_default();
    let users = inner
        .store
        .reactions
        .entry((channel_id, message_id, kind, emoji))
        .or_default();
    if users.contains(&bot_user) {
        return Err(ApiError::bad_request(620_003, "reaction already set"));
    }
    users.push(bot_user);

    Ok(no_content())
}

async fn remove_reaction(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id, kind, emoji)): Path<(String, String, String, String)>,
) -> ApiResult {
    let kind = emoji_type(&kind)?;
    let mut inner = app.lock();
    message_in_channel(&inner, &caller.app_id, &channel_id, &message_id, 620_001)?;
    let bot_user = inner
        .world
        .bot(&caller.app_id)
        .map(|bot| bot.user_id.clone())
        .unwrap_or_default();
    let users = inner
        .store
        .reactions
        .entry((channel_id, message_id, kind, emoji))
        .or_default();
    let before = users.len();
    users.retain(|user| user != &bot_user);
    if users.len() == before {
        return Err(ApiError::bad_request(620_004, "reaction not set"));
    }

    Ok(no_content())
}

async fn reaction_users(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id, kind, emoji)): Path<(String, String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let kind = emoji_type(&kind)?;
    let inner = app.lock();
    message_in_channel(&inner, &caller.app_id, &channel_id, &message_id, 620_001)?;
    let limit = query_u64(query.get("limit"), "limit")?.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::bad_request(
            620_001,
            format!("limit={limit} is outside 1..=50"),
        ));
    }
    // The cookie is the position of the next user.
    let start: usize = match query.get("cookie").filter(|cookie| !cookie.is_empty()) {
        Some(cookie) => cookie
            .parse()
            .map_err(|_| ApiError::bad_request(620_001, format!("cookie {cookie:?} is invalid")))?,
        None => 0,
    };
    let empty = Vec::new();
    let users = inner
        .store
        .reactions
        .get(&(channel_id, message_id, kind, emoji))
        .unwrap_or(&empty);
    let end = (start + usize::try_from(limit).unwrap_or(20)).min(users.len());
    let page: Vec<Value> = users
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|user| {
            let user = user_json(&inner.world, user);
            json!({"id": user["id"], "username": user["username"], "avatar": user["avatar"]})
        })
        .collect();

    Ok(ok(
        &json!({"users": page, "cookie": end.to_string(), "is_end": end >= users.len()}),
    ))
}

fn pins_json(inner: &Inner, guild_id: &str, channel_id: &str) -> Value {
    let pins = inner
        .store
        .pins
        .get(channel_id)
        .cloned()
        .unwrap_or_default();
    json!({"guild_id": guild_id, "channel_id": channel_id, "message_ids": pins})
}

async fn list_pins(
    State(app): State<App>,
    caller: Caller,
    Path(channel_id): Path<String>,
) -> ApiResult {
    let inner = app.lock();
    let (guild, _) = channel_of(&inner, &caller.app_id, &channel_id)?;

    Ok(ok(&pins_json(&inner, &guild.id, &channel_id)))
}

async fn add_pin(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    let guild_id = message_in_channel(&inner, &caller.app_id, &channel_id, &message_id, 501_008)?;
    let pins = inner.store.pins.entry(channel_id.clone()).or_default();
    if !pins.contains(&message_id) {
        if pins.len() >= 20 {
            return Err(ApiError::bad_request(
                501_013,
                "too many pins (at most 20 per channel)",
            ));
        }
        pins.push(message_id);
    }

    Ok(ok(&pins_json(&inner, &guild_id, &channel_id)))
}

async fn remove_pin(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    channel_of(&inner, &caller.app_id, &channel_id)?;
    let pins = inner.store.pins.entry(channel_id).or_default();
    if message_id == "all" {
        pins.clear();
    } else if pins.contains(&message_id) {
        pins.retain(|pinned| pinned != &message_id);
    } else {
        return Err(ApiError::bad_request(
            501_008,
            format!("message {message_id} is not pinned"),
        ));
    }

    Ok(no_content())
}

async fn create_guild_announce(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?.clone();
    require_admin(&inner, &caller.app_id, &guild)
        .map_err(|_| ApiError::bad_request(501_017, "not guild owner or admin"))?;
    let announces_type = body
        .get("announces_type")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if announces_type > 1 {
        return Err(ApiError::bad_request(
            501_019,
            "announces_type must be 0 or 1",
        ));
    }

    let message_id = body
        .get("message_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty());
    let announce = if let Some(message_id) = message_id {
        let channel_id = body
            .get("channel_id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                ApiError::bad_request(501_001, "channel_id is required with message_id")
            })?;
        message_in_channel(&inner, &caller.app_id, channel_id, message_id, 501_008)?;
        json!({"guild_id": guild_id, "channel_id": channel_id, "message_id": message_id, "announces_type": announces_type, "recommend_channels": []})
    } else {
        let channels = body
            .get("recommend_channels")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if channels.len() > 3 {
            return Err(ApiError::bad_request(
                501_016,
                "at most 3 recommended channels",
            ));
        }
        for channel in &channels {
            let id = channel
                .get("channel_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !guild.channels.iter().any(|candidate| candidate.id == id) {
                return Err(ApiError::bad_request(
                    501_018,
                    format!("recommended channel {id:?} is not a channel of this guild"),
                ));
            }
        }
        json!({"guild_id": guild_id, "channel_id": "", "message_id": "", "announces_type": announces_type, "recommend_channels": channels})
    };
    inner.store.announces.insert(guild_id, announce.clone());

    Ok(ok(&announce))
}

async fn delete_guild_announce(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, message_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    guild_of(&inner, &caller.app_id, &guild_id)?;
    let matches = inner
        .store
        .announces
        .get(&guild_id)
        .is_some_and(|announce| {
            message_id == "all"
                || announce.get("message_id").and_then(Value::as_str) == Some(message_id.as_str())
        });
    if !matches {
        return Err(ApiError::bad_request(
            501_008,
            format!("announcement {message_id} does not exist"),
        ));
    }
    inner.store.announces.remove(&guild_id);

    Ok(no_content())
}

async fn create_channel_announce(
    State(app): State<App>,
    caller: Caller,
    Path(channel_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    let message_id = body
        .get("message_id")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request(501_001, "message_id is required"))?
        .to_owned();
    let guild_id = message_in_channel(&inner, &caller.app_id, &channel_id, &message_id, 501_008)?;
    let announce = json!({"guild_id": guild_id, "channel_id": channel_id, "message_id": message_id, "announces_type": 0, "recommend_channels": []});
    inner
        .store
        .channel_announces
        .insert(channel_id, announce.clone());

    Ok(ok(&announce))
}

async fn delete_channel_announce(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    channel_of(&inner, &caller.app_id, &channel_id)?;
    let matches = inner
        .store
        .channel_announces
        .get(&channel_id)
        .is_some_and(|announce| {
            message_id == "all"
                || announce.get("message_id").and_then(Value::as_str) == Some(message_id.as_str())
        });
    if !matches {
        return Err(ApiError::bad_request(
            501_008,
            format!("announcement {message_id} does not exist"),
        ));
    }
    inner.store.channel_announces.remove(&channel_id);

    Ok(no_content())
}
