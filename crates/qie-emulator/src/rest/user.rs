//! `/users/@me…` and gateway discovery.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::objects::guild_json;
use super::{check_call_rate, query_u64};
use crate::auth::Caller;
use crate::respond::{ApiError, ApiResult, ok, parse_json};
use crate::state::App;
use crate::world::DmSession;

pub(super) fn router() -> Router<App> {
    Router::new()
        .route("/users/@me", get(me))
        .route("/users/@me/guilds", get(my_guilds))
        .route("/users/@me/dms", post(create_dm))
        .route("/gateway", get(gateway))
        .route("/gateway/bot", get(gateway_bot))
}

async fn me(State(app): State<App>, caller: Caller) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(&app, &mut inner, &caller.app_id, "/users/@me")?;
    let bot = inner
        .world
        .bot(&caller.app_id)
        .ok_or_else(ApiError::unknown_member)?;

    Ok(ok(&json!({
        "id": bot.user_id,
        "username": bot.username,
        "avatar": bot.avatar,
        "bot": true,
        "union_openid": "",
        "union_user_account": "",
        "share_url": bot.share_url,
        "welcome_msg": bot.welcome_msg,
    })))
}

async fn my_guilds(
    State(app): State<App>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(&app, &mut inner, &caller.app_id, "/users/@me/guilds")?;
    let limit = query_u64(query.get("limit"), "limit")?.unwrap_or(100);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid_body(format!(
            "limit={limit} is outside 1..=100"
        )));
    }
    let limit = usize::try_from(limit).unwrap_or(100);
    let bot_user = inner
        .world
        .bot(&caller.app_id)
        .map(|bot| bot.user_id.clone())
        .unwrap_or_default();

    let mut guilds: Vec<_> = inner
        .world
        .guilds
        .iter()
        .filter(|guild| guild.has_bot(&caller.app_id))
        .collect();
    guilds.sort_by_key(|guild| guild.id.parse::<u64>().unwrap_or(0));
    let id_of = |text: &String| text.parse::<u64>().unwrap_or(0);
    let page: Vec<Value> = if let Some(before) = query.get("before").filter(|text| !text.is_empty())
    {
        // `before` reads the guilds before the id, nearest first, then restores ascending order.
        let before = id_of(before);
        let mut page: Vec<_> = guilds
            .iter()
            .rev()
            .filter(|guild| id_of(&guild.id) < before)
            .take(limit)
            .collect();
        page.reverse();
        page.iter()
            .map(|guild| guild_json(guild, &bot_user))
            .collect()
    } else {
        let after = query.get("after").map_or(0, id_of);
        guilds
            .iter()
            .filter(|guild| id_of(&guild.id) > after)
            .take(limit)
            .map(|guild| guild_json(guild, &bot_user))
            .collect()
    };

    Ok(ok(&Value::Array(page)))
}

async fn create_dm(State(app): State<App>, caller: Caller, body: Bytes) -> ApiResult {
    let body = parse_json(&body)?;
    let recipient = body
        .get("recipient_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let source_guild = body
        .get("source_guild_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if recipient.is_empty() || source_guild.is_empty() {
        return Err(ApiError::invalid_body(
            "recipient_id and source_guild_id are required strings",
        ));
    }

    let mut inner = app.lock();
    check_call_rate(&app, &mut inner, &caller.app_id, "/users/@me/dms")?;
    let guild = inner
        .world
        .guild_for(&caller.app_id, &source_guild)
        .ok_or_else(ApiError::guild_auth)?;
    if guild.member(&recipient).is_none() {
        return Err(ApiError::bad_request(
            304_034,
            "recipient is not a member of the source guild",
        ));
    }

    let existing = inner
        .world
        .dms
        .iter()
        .find(|dm| dm.app_id == caller.app_id && dm.user_id == recipient)
        .cloned();
    let dm = match existing {
        Some(dm) => dm,
        None => {
            let dm = DmSession {
                guild_id: inner.ids.snowflake(),
                channel_id: inner.ids.snowflake(),
                user_id: recipient,
                src_guild_id: source_guild,
                app_id: caller.app_id.clone(),
                create_time: crate::clock::unix_now(),
            };
            inner.world.dms.push(dm.clone());
            tracing::debug!(app_id = %caller.app_id, guild_id = %dm.guild_id, "DM session created");
            dm
        }
    };

    Ok(ok(&json!({
        "guild_id": dm.guild_id,
        "channel_id": dm.channel_id,
        "create_time": dm.create_time.to_string(),
    })))
}

/// The WebSocket URL on the host the request came in on.
fn websocket_url(app: &App, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| !host.is_empty())
        .map_or_else(|| app.local_addr.to_string(), str::to_owned);

    format!("ws://{host}/websocket/")
}

async fn gateway(State(app): State<App>, _caller: Caller, headers: HeaderMap) -> ApiResult {
    Ok(ok(&json!({"url": websocket_url(&app, &headers)})))
}

async fn gateway_bot(State(app): State<App>, _caller: Caller, headers: HeaderMap) -> ApiResult {
    let limit = app.config.session_start_limit;
    let (remaining, reset_after) = app.lock().gateway.start_limit_now(&limit);

    Ok(ok(&json!({
        "url": websocket_url(&app, &headers),
        "shards": app.config.shards,
        "session_start_limit": {
            "total": limit.total,
            "remaining": remaining,
            "reset_after": reset_after,
            "max_concurrency": limit.max_concurrency,
        },
    })))
}
