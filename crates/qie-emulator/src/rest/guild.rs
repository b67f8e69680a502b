//! Guilds, channels, members, roles, channel permissions, mute, message settings and API
//! permissions.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, patch, post, put};
use serde_json::{Value, json};

use super::objects::{channel_json, channel_permissions, guild_json, member_json, role_json};
use super::{channel_of, check_call_rate, guild_of, query_u64, require_admin, require_private};
use crate::auth::Caller;
use crate::gateway::publish;
use crate::respond::{ApiError, ApiResult, empty_ok, no_content, ok, parse_json};
use crate::state::{App, Inner};
use crate::world::{Channel, GuildMember, Role};

pub(super) fn router() -> Router<App> {
    Router::new()
        .route("/guilds/{guild_id}", get(get_guild))
        .route(
            "/guilds/{guild_id}/channels",
            get(list_channels).post(create_channel),
        )
        .route(
            "/channels/{channel_id}",
            get(get_channel).patch(patch_channel).delete(delete_channel),
        )
        .route("/channels/{channel_id}/online_nums", get(online_nums))
        .route("/guilds/{guild_id}/members", get(list_members))
        .route(
            "/guilds/{guild_id}/members/{user_id}",
            get(get_member).delete(kick_member),
        )
        .route(
            "/guilds/{guild_id}/roles/{role_id}/members",
            get(role_members),
        )
        .route(
            "/guilds/{guild_id}/roles",
            get(list_roles).post(create_role),
        )
        .route(
            "/guilds/{guild_id}/roles/{role_id}",
            patch(patch_role).delete(delete_role),
        )
        .route(
            "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            put(add_member_role).delete(remove_member_role),
        )
        .route(
            "/channels/{channel_id}/members/{user_id}/permissions",
            get(get_member_permissions).put(put_member_permissions),
        )
        .route(
            "/channels/{channel_id}/roles/{role_id}/permissions",
            get(get_role_permissions).put(put_role_permissions),
        )
        .route("/guilds/{guild_id}/mute", patch(mute_guild))
        .route(
            "/guilds/{guild_id}/members/{user_id}/mute",
            patch(mute_member),
        )
        .route("/guilds/{guild_id}/message/setting", get(message_setting))
        .route("/guilds/{guild_id}/api_permission", get(api_permission))
        .route(
            "/guilds/{guild_id}/api_permission/demand",
            post(api_permission_demand),
        )
}

fn bot_user(inner: &Inner, app_id: &str) -> String {
    inner
        .world
        .bot(app_id)
        .map(|bot| bot.user_id.clone())
        .unwrap_or_default()
}

fn guild_index(inner: &Inner, app_id: &str, guild_id: &str) -> Result<usize, ApiError> {
    guild_of(inner, app_id, guild_id)?;
    inner
        .world
        .guilds
        .iter()
        .position(|guild| guild.id == guild_id)
        .ok_or_else(ApiError::guild_auth)
}

async fn get_guild(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(&app, &mut inner, &caller.app_id, "/guilds/{guild_id}")?;
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;

    Ok(ok(&guild_json(guild, &bot_user(&inner, &caller.app_id))))
}

async fn list_channels(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(
        &app,
        &mut inner,
        &caller.app_id,
        "/guilds/{guild_id}/channels",
    )?;
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    let channels: Vec<Value> = guild
        .channels
        .iter()
        .map(|channel| channel_json(guild, channel, None))
        .collect();

    Ok(ok(&Value::Array(channels)))
}

async fn get_channel(
    State(app): State<App>,
    caller: Caller,
    Path(channel_id): Path<String>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(&app, &mut inner, &caller.app_id, "/channels/{channel_id}")?;
    let (guild, channel) = channel_of(&inner, &caller.app_id, &channel_id)?;
    let permissions = channel_permissions(
        &inner.store,
        guild,
        channel,
        &bot_user(&inner, &caller.app_id),
    );

    Ok(ok(&channel_json(guild, channel, Some(permissions))))
}

fn text_field(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn int_field(body: &Value, key: &str) -> Result<Option<u32>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .or_else(|| value.as_str().and_then(|text| text.parse().ok()))
            .and_then(|number| u32::try_from(number).ok())
            .map(Some)
            .ok_or_else(|| {
                ApiError::invalid_body(format!("{key} must be an integer, got {value}"))
            }),
    }
}

fn channel_event(
    app: &App,
    inner: &mut Inner,
    app_id: &str,
    t: &str,
    guild_id: &str,
    channel: &Channel,
) {
    let op_user = bot_user(inner, app_id);
    let d = json!({
        "id": channel.id,
        "guild_id": guild_id,
        "name": channel.name,
        "type": channel.kind,
        "sub_type": channel.sub_type,
        "owner_id": channel.owner_id,
        "op_user_id": op_user,
    });
    publish(app, inner, app_id, t, &d, Some(guild_id));
}

async fn create_channel(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    require_private(&inner, &caller.app_id)?;
    let index = guild_index(&inner, &caller.app_id, &guild_id)?;
    require_admin(&inner, &caller.app_id, &inner.world.guilds[index])?;

    let name = text_field(&body, "name")
        .filter(|name| !name.is_empty())
        .ok_or_else(|| ApiError::invalid_body("name is required"))?;
    let kind =
        int_field(&body, "type")?.ok_or_else(|| ApiError::invalid_body("type is required"))?;
    if ![0, 2, 4, 10005, 10006, 10007].contains(&kind) {
        return Err(ApiError::invalid_body(format!(
            "type {kind} is not a creatable channel type"
        )));
    }
    let position = int_field(&body, "position")?
        .ok_or_else(|| ApiError::invalid_body("position is required"))?;
    if kind == 4 && position < 2 {
        return Err(ApiError::invalid_body(
            "a category (type 4) needs position >= 2",
        ));
    }
    let parent_id = text_field(&body, "parent_id").unwrap_or_default();
    if !parent_id.is_empty()
        && !inner.world.guilds[index]
            .channels
            .iter()
            .any(|channel| channel.id == parent_id && channel.kind == 4)
    {
        return Err(ApiError::invalid_body(format!(
            "parent_id {parent_id} is not a category of this guild"
        )));
    }

    let channel = Channel {
        id: inner.ids.snowflake(),
        name,
        kind,
        sub_type: int_field(&body, "sub_type")?.unwrap_or(0),
        position,
        parent_id,
        owner_id: bot_user(&inner, &caller.app_id),
        private_type: int_field(&body, "private_type")?.unwrap_or(0),
        speak_permission: int_field(&body, "speak_permission")?.unwrap_or(1),
        application_id: text_field(&body, "application_id"),
        online_nums: 0,
    };
    inner.world.guilds[index].channels.push(channel.clone());
    channel_event(
        &app,
        &mut inner,
        &caller.app_id,
        "CHANNEL_CREATE",
        &guild_id,
        &channel,
    );
    let guild = &inner.world.guilds[index];

    Ok(ok(&channel_json(guild, &channel, None)))
}

fn channel_position(
    inner: &Inner,
    app_id: &str,
    channel_id: &str,
) -> Result<(usize, usize), ApiError> {
    let (guild, _) = channel_of(inner, app_id, channel_id)?;
    let guild_index = inner
        .world
        .guilds
        .iter()
        .position(|candidate| candidate.id == guild.id)
        .ok_or_else(ApiError::unknown_channel)?;
    let channel_index = inner.world.guilds[guild_index]
        .channels
        .iter()
        .position(|channel| channel.id == channel_id)
        .ok_or_else(ApiError::unknown_channel)?;

    Ok((guild_index, channel_index))
}

async fn patch_channel(
    State(app): State<App>,
    caller: Caller,
    Path(channel_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    require_private(&inner, &caller.app_id)?;
    let (guild_index, channel_index) = channel_position(&inner, &caller.app_id, &channel_id)?;
    require_admin(&inner, &caller.app_id, &inner.world.guilds[guild_index])?;

    let name = text_field(&body, "name");
    let position = int_field(&body, "position")?;
    let parent_id = text_field(&body, "parent_id");
    let private_type = int_field(&body, "private_type")?;
    let speak_permission = int_field(&body, "speak_permission")?;
    let channel = &mut inner.world.guilds[guild_index].channels[channel_index];
    if let Some(name) = name {
        channel.name = name;
    }
    if let Some(position) = position {
        channel.position = position;
    }
    if let Some(parent_id) = parent_id {
        channel.parent_id = parent_id;
    }
    if let Some(private_type) = private_type {
        channel.private_type = private_type;
    }
    if let Some(speak_permission) = speak_permission {
        channel.speak_permission = speak_permission;
    }
    let channel = channel.clone();
    let guild_id = inner.world.guilds[guild_index].id.clone();
    channel_event(
        &app,
        &mut inner,
        &caller.app_id,
        "CHANNEL_UPDATE",
        &guild_id,
        &channel,
    );

    Ok(ok(&channel_json(
        &inner.world.guilds[guild_index],
        &channel,
        None,
    )))
}

async fn delete_channel(
    State(app): State<App>,
    caller: Caller,
    Path(channel_id): Path<String>,
) -> ApiResult {
    let mut inner = app.lock();
    require_private(&inner, &caller.app_id)?;
    let (guild_index, channel_index) = channel_position(&inner, &caller.app_id, &channel_id)?;
    require_admin(&inner, &caller.app_id, &inner.world.guilds[guild_index])?;
    let channel = inner.world.guilds[guild_index]
        .channels
        .remove(channel_index);
    let guild_id = inner.world.guilds[guild_index].id.clone();
    channel_event(
        &app,
        &mut inner,
        &caller.app_id,
        "CHANNEL_DELETE",
        &guild_id,
        &channel,
    );

    Ok(empty_ok())
}

async fn online_nums(
    State(app): State<App>,
    caller: Caller,
    Path(channel_id): Path<String>,
) -> ApiResult {
    let inner = app.lock();
    let (_, channel) = channel_of(&inner, &caller.app_id, &channel_id)?;

    Ok(ok(&json!({"online_nums": channel.online_nums})))
}

fn page_limit(query: &HashMap<String, String>, default: u64) -> Result<usize, ApiError> {
    let limit = query_u64(query.get("limit"), "limit")?.unwrap_or(default);
    if !(1..=400).contains(&limit) {
        return Err(ApiError::invalid_body(format!(
            "limit={limit} is outside 1..=400"
        )));
    }

    Ok(usize::try_from(limit).unwrap_or(400))
}

fn numeric(id: &str) -> u128 {
    id.parse().unwrap_or(0)
}

async fn list_members(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(
        &app,
        &mut inner,
        &caller.app_id,
        "/guilds/{guild_id}/members",
    )?;
    require_private(&inner, &caller.app_id)?;
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    let limit = page_limit(&query, 1)?;
    let after = query.get("after").map_or(0, |after| numeric(after));

    let mut members: Vec<&GuildMember> = guild
        .members
        .iter()
        .filter(|member| numeric(&member.user_id) > after)
        .collect();
    members.sort_by_key(|member| numeric(&member.user_id));
    let page: Vec<Value> = members
        .iter()
        .take(limit)
        .map(|member| member_json(&inner.world, member))
        .collect();

    Ok(ok(&Value::Array(page)))
}

async fn role_members(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, role_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(
        &app,
        &mut inner,
        &caller.app_id,
        "/guilds/{guild_id}/roles/{role_id}/members",
    )?;
    require_private(&inner, &caller.app_id)?;
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    if !guild.roles.iter().any(|role| role.id == role_id) {
        return Err(ApiError::invalid_body(format!(
            "role {role_id} does not exist in this guild"
        )));
    }
    let limit = page_limit(&query, 400)?;
    let start = usize::try_from(query_u64(query.get("start_index"), "start_index")?.unwrap_or(0))
        .unwrap_or(usize::MAX);

    let members: Vec<&GuildMember> = guild
        .members
        .iter()
        .filter(|member| member.roles.contains(&role_id))
        .collect();
    let page: Vec<Value> = members
        .iter()
        .skip(start)
        .take(limit)
        .map(|member| member_json(&inner.world, member))
        .collect();
    let next = (start + page.len()).to_string();

    Ok(ok(&json!({"data": page, "next": next})))
}

async fn get_member(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, user_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(
        &app,
        &mut inner,
        &caller.app_id,
        "/guilds/{guild_id}/members/{user_id}",
    )?;
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    let member = guild
        .member(&user_id)
        .ok_or_else(ApiError::unknown_member)?;

    Ok(ok(&member_json(&inner.world, member)))
}

fn member_event(
    app: &App,
    inner: &mut Inner,
    app_id: &str,
    t: &str,
    guild_id: &str,
    member: &GuildMember,
    op_user: &str,
) {
    let mut d = member_json(&inner.world, member);
    d["guild_id"] = json!(guild_id);
    d["op_user_id"] = json!(op_user);
    publish(app, inner, app_id, t, &d, Some(guild_id));
}

async fn kick_member(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, user_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    require_private(&inner, &caller.app_id)?;
    let index = guild_index(&inner, &caller.app_id, &guild_id)?;
    require_admin(&inner, &caller.app_id, &inner.world.guilds[index])?;
    if let Some(days) = body.get("delete_history_msg_days") {
        let days = days.as_i64().unwrap_or(i64::MIN);
        if ![0, 3, 7, 15, 30, -1].contains(&days) {
            return Err(ApiError::invalid_body(
                "delete_history_msg_days must be 0, 3, 7, 15, 30 or -1",
            ));
        }
    }
    let guild = &mut inner.world.guilds[index];
    let position = guild
        .members
        .iter()
        .position(|member| member.user_id == user_id)
        .ok_or_else(ApiError::unknown_member)?;
    if guild.members[position]
        .roles
        .iter()
        .any(|role| matches!(role.as_str(), "2" | "4" | "5"))
    {
        return Err(ApiError::not_admin());
    }
    let member = guild.members.remove(position);
    let op_user = bot_user(&inner, &caller.app_id);
    member_event(
        &app,
        &mut inner,
        &caller.app_id,
        "GUILD_MEMBER_REMOVE",
        &guild_id,
        &member,
        &op_user,
    );

    Ok(no_content())
}

async fn list_roles(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
) -> ApiResult {
    let mut inner = app.lock();
    check_call_rate(&app, &mut inner, &caller.app_id, "/guilds/{guild_id}/roles")?;
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    let roles: Vec<Value> = guild
        .roles
        .iter()
        .map(|role| role_json(guild, role))
        .collect();

    Ok(ok(
        &json!({"guild_id": guild.id, "roles": roles, "role_num_limit": "32"}),
    ))
}

fn apply_role_fields(role: &mut Role, body: &Value) -> Result<bool, ApiError> {
    let mut changed = false;
    if let Some(name) = text_field(body, "name") {
        role.name = name;
        changed = true;
    }
    if let Some(color) = int_field(body, "color")? {
        role.color = color;
        changed = true;
    }
    if let Some(hoist) = int_field(body, "hoist")? {
        if hoist > 1 {
            return Err(ApiError::invalid_body("hoist must be 0 or 1"));
        }
        role.hoist = hoist;
        changed = true;
    }

    Ok(changed)
}

async fn create_role(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    let index = guild_index(&inner, &caller.app_id, &guild_id)?;
    require_admin(&inner, &caller.app_id, &inner.world.guilds[index])?;
    if inner.world.guilds[index].roles.len() >= 32 {
        return Err(ApiError::invalid_body("the guild already has 32 roles"));
    }
    let mut role = Role {
        id: (10_000_000 + inner.ids.next_u64() % 90_000_000).to_string(),
        name: String::new(),
        color: 0,
        hoist: 0,
        member_limit: 1000,
    };
    if !apply_role_fields(&mut role, &body)? {
        return Err(ApiError::invalid_body(
            "set at least one of name, color, hoist",
        ));
    }
    inner.world.guilds[index].roles.push(role.clone());
    let guild = &inner.world.guilds[index];

    Ok(ok(
        &json!({"role_id": role.id, "role": role_json(guild, &role)}),
    ))
}

async fn patch_role(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, role_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    let index = guild_index(&inner, &caller.app_id, &guild_id)?;
    require_admin(&inner, &caller.app_id, &inner.world.guilds[index])?;
    let guild = &mut inner.world.guilds[index];
    let role = guild
        .roles
        .iter_mut()
        .find(|role| role.id == role_id)
        .ok_or_else(|| ApiError::invalid_body(format!("role {role_id} does not exist")))?;
    if !apply_role_fields(role, &body)? {
        return Err(ApiError::invalid_body(
            "set at least one of name, color, hoist",
        ));
    }
    let role = role.clone();
    let guild = &inner.world.guilds[index];

    Ok(ok(
        &json!({"guild_id": guild.id, "role_id": role.id, "role": role_json(guild, &role)}),
    ))
}

async fn delete_role(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, role_id)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = app.lock();
    let index = guild_index(&inner, &caller.app_id, &guild_id)?;
    require_admin(&inner, &caller.app_id, &inner.world.guilds[index])?;
    if matches!(role_id.as_str(), "1" | "2" | "4" | "5") {
        return Err(ApiError::invalid_body(format!(
            "default role {role_id} cannot be deleted"
        )));
    }
    let guild = &mut inner.world.guilds[index];
    let before = guild.roles.len();
    guild.roles.retain(|role| role.id != role_id);
    if guild.roles.len() == before {
        return Err(ApiError::invalid_body(format!(
            "role {role_id} does not exist"
        )));
    }
    for member in &mut guild.members {
        member.roles.retain(|role| role != &role_id);
    }

    Ok(no_content())
}

fn change_member_role(
    app: &App,
    app_id: &str,
    guild_id: &str,
    user_id: &str,
    role_id: &str,
    body: &[u8],
    add: bool,
) -> ApiResult {
    let body = parse_json(body)?;
    let mut inner = app.lock();
    let index = guild_index(&inner, app_id, guild_id)?;
    require_admin(&inner, app_id, &inner.world.guilds[index])?;
    if role_id == "5" {
        let channel_id = body
            .pointer("/channel/id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if channel_of(&inner, app_id, channel_id).is_err() {
            return Err(ApiError::invalid_body(
                "role 5 (channel admin) needs {\"channel\": {\"id\": …}} naming a channel of this guild",
            ));
        }
    }
    let guild = &mut inner.world.guilds[index];
    if !guild.roles.iter().any(|role| role.id == role_id) {
        return Err(ApiError::invalid_body(format!(
            "role {role_id} does not exist"
        )));
    }
    let member = guild
        .members
        .iter_mut()
        .find(|member| member.user_id == user_id)
        .ok_or_else(ApiError::unknown_member)?;
    if add {
        if !member.roles.iter().any(|role| role == role_id) {
            member.roles.push(role_id.to_owned());
        }
    } else {
        member.roles.retain(|role| role != role_id);
    }
    let member = member.clone();
    let op_user = bot_user(&inner, app_id);
    member_event(
        app,
        &mut inner,
        app_id,
        "GUILD_MEMBER_UPDATE",
        guild_id,
        &member,
        &op_user,
    );

    Ok(no_content())
}

async fn add_member_role(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, user_id, role_id)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult {
    change_member_role(
        &app,
        &caller.app_id,
        &guild_id,
        &user_id,
        &role_id,
        &body,
        true,
    )
}

async fn remove_member_role(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, user_id, role_id)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult {
    change_member_role(
        &app,
        &caller.app_id,
        &guild_id,
        &user_id,
        &role_id,
        &body,
        false,
    )
}

fn permissions_response(channel_id: &str, subject: (&str, &str), bits: u64) -> Value {
    json!({"channel_id": channel_id, subject.0: subject.1, "permissions": bits.to_string()})
}

async fn get_member_permissions(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, user_id)): Path<(String, String)>,
) -> ApiResult {
    let inner = app.lock();
    let (guild, channel) = channel_of(&inner, &caller.app_id, &channel_id)?;
    require_admin(&inner, &caller.app_id, guild)?;
    guild
        .member(&user_id)
        .ok_or_else(ApiError::unknown_member)?;
    let bits = channel_permissions(&inner.store, guild, channel, &user_id);

    Ok(ok(&permissions_response(
        &channel_id,
        ("user_id", &user_id),
        bits,
    )))
}

async fn get_role_permissions(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, role_id)): Path<(String, String)>,
) -> ApiResult {
    let inner = app.lock();
    let (guild, _) = channel_of(&inner, &caller.app_id, &channel_id)?;
    require_admin(&inner, &caller.app_id, guild)?;
    if !guild.roles.iter().any(|role| role.id == role_id) {
        return Err(ApiError::bad_request(
            301_000,
            format!("role {role_id} does not exist"),
        ));
    }
    let bits = inner
        .store
        .permissions
        .get(&(channel_id.clone(), format!("role:{role_id}")))
        .copied()
        .unwrap_or(if matches!(role_id.as_str(), "2" | "4" | "5") {
            0b111
        } else {
            0b101
        });

    Ok(ok(&permissions_response(
        &channel_id,
        ("role_id", &role_id),
        bits,
    )))
}

fn parse_bits(body: &Value, key: &str) -> Result<u64, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(value) => value
            .as_str()
            .and_then(|text| {
                if text.is_empty() {
                    Some(0)
                } else {
                    text.parse().ok()
                }
            })
            .ok_or_else(|| {
                ApiError::bad_request(301_000, format!("{key} must be a decimal string bitmask"))
            }),
    }
}

fn put_permissions(
    app: &App,
    app_id: &str,
    channel_id: &str,
    subject: String,
    body: &[u8],
) -> ApiResult {
    let body = parse_json(body)?;
    let add = parse_bits(&body, "add")?;
    let remove = parse_bits(&body, "remove")?;
    let mut inner = app.lock();
    let (guild, channel) = channel_of(&inner, app_id, channel_id)?;
    require_admin(&inner, app_id, guild)?;
    let current = match subject.split_once(':') {
        Some(("user", user_id)) => {
            guild.member(user_id).ok_or_else(ApiError::unknown_member)?;
            channel_permissions(&inner.store, guild, channel, user_id)
        }
        Some((_, role_id)) => {
            if !guild.roles.iter().any(|role| role.id == role_id) {
                return Err(ApiError::bad_request(
                    301_000,
                    format!("role {role_id} does not exist"),
                ));
            }
            inner
                .store
                .permissions
                .get(&(channel_id.to_owned(), subject.clone()))
                .copied()
                .unwrap_or(0b101)
        }
        None => 0,
    };
    // The "manage" bit (1 << 1) cannot be changed; a bit set in both lists is removed.
    let manage = 0b10;
    let updated = ((current | (add & !manage)) & !(remove & !manage)) & 0b1111;
    inner
        .store
        .permissions
        .insert((channel_id.to_owned(), subject), updated);

    Ok(no_content())
}

async fn put_member_permissions(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, user_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    put_permissions(
        &app,
        &caller.app_id,
        &channel_id,
        format!("user:{user_id}"),
        &body,
    )
}

async fn put_role_permissions(
    State(app): State<App>,
    caller: Caller,
    Path((channel_id, role_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    put_permissions(
        &app,
        &caller.app_id,
        &channel_id,
        format!("role:{role_id}"),
        &body,
    )
}

/// Reads the mute end from `mute_end_timestamp` (absolute, wins) or `mute_seconds`.
fn mute_end(body: &Value) -> Result<i64, ApiError> {
    let read = |key: &str| -> Result<Option<i64>, ApiError> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_str()
                .and_then(|text| text.parse::<i64>().ok())
                .or_else(|| value.as_i64())
                .filter(|number| *number >= 0)
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        502_006,
                        format!("{key} must be a string of non-negative seconds"),
                    )
                }),
        }
    };
    if let Some(end) = read("mute_end_timestamp")? {
        return Ok(end);
    }
    match read("mute_seconds")? {
        Some(0) => Ok(0),
        Some(seconds) => Ok(crate::clock::unix_now() + seconds),
        None => Err(ApiError::bad_request(
            502_005,
            "set mute_end_timestamp or mute_seconds",
        )),
    }
}

async fn mute_guild(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let end = mute_end(&body)?;
    let mut inner = app.lock();
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    require_admin(&inner, &caller.app_id, guild)?;

    let Some(user_ids) = body.get("user_ids") else {
        inner.store.mutes.insert((guild_id, String::new()), end);
        return Ok(no_content());
    };
    let user_ids = user_ids
        .as_array()
        .ok_or_else(|| ApiError::bad_request(502_003, "user_ids must be an array of strings"))?;
    let mut muted = Vec::new();
    for user_id in user_ids {
        let user_id = user_id
            .as_str()
            .ok_or_else(|| ApiError::bad_request(502_003, "user_ids must be strings"))?;
        if guild.member(user_id).is_some() {
            muted.push(user_id.to_owned());
        }
    }
    for user_id in &muted {
        inner
            .store
            .mutes
            .insert((guild_id.clone(), user_id.clone()), end);
    }

    Ok(ok(&json!({"user_ids": muted})))
}

async fn mute_member(
    State(app): State<App>,
    caller: Caller,
    Path((guild_id, user_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let end = mute_end(&body)?;
    let mut inner = app.lock();
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    require_admin(&inner, &caller.app_id, guild)?;
    if guild.member(&user_id).is_none() {
        return Err(ApiError::bad_request(
            502_003,
            format!("user {user_id} is not a member of this guild"),
        ));
    }
    inner.store.mutes.insert((guild_id, user_id), end);

    Ok(no_content())
}

async fn message_setting(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
) -> ApiResult {
    let inner = app.lock();
    let guild = guild_of(&inner, &caller.app_id, &guild_id)?;
    let text_channels: Vec<&str> = guild
        .channels
        .iter()
        .filter(|channel| channel.kind == 0)
        .map(|channel| channel.id.as_str())
        .collect();

    Ok(ok(&json!({
        "disable_create_dm": false,
        "disable_push_msg": false,
        "channel_ids": text_channels,
        "channel_push_max_num": 2,
    })))
}

/// APIs listed by `GET /guilds/{guild_id}/api_permission`.
const API_LIST: &[(&str, &str, &str)] = &[
    ("/guilds/{guild_id}", "GET", "获取频道详情"),
    ("/guilds/{guild_id}/channels", "GET", "获取子频道列表"),
    ("/guilds/{guild_id}/channels", "POST", "创建子频道"),
    ("/channels/{channel_id}", "PATCH", "修改子频道"),
    ("/channels/{channel_id}", "DELETE", "删除子频道"),
    ("/guilds/{guild_id}/members", "GET", "获取频道成员列表"),
    (
        "/guilds/{guild_id}/members/{user_id}",
        "DELETE",
        "删除频道成员",
    ),
    ("/guilds/{guild_id}/roles", "GET", "获取频道身份组列表"),
    ("/guilds/{guild_id}/roles", "POST", "创建频道身份组"),
    ("/guilds/{guild_id}/mute", "PATCH", "频道禁言"),
    ("/channels/{channel_id}/messages", "POST", "发送消息"),
    (
        "/channels/{channel_id}/pins/{message_id}",
        "PUT",
        "添加精华消息",
    ),
    ("/guilds/{guild_id}/announces", "POST", "创建频道公告"),
];

async fn api_permission(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
) -> ApiResult {
    let inner = app.lock();
    guild_of(&inner, &caller.app_id, &guild_id)?;
    let apis: Vec<Value> = API_LIST
        .iter()
        .map(|(path, method, desc)| json!({"path": path, "method": method, "desc": desc, "auth_status": 1}))
        .collect();

    Ok(ok(&json!({"apis": apis})))
}

async fn api_permission_demand(
    State(app): State<App>,
    caller: Caller,
    Path(guild_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let mut inner = app.lock();
    guild_of(&inner, &caller.app_id, &guild_id)?;
    let channel_id = text_field(&body, "channel_id").unwrap_or_default();
    let (guild, _) = channel_of(&inner, &caller.app_id, &channel_id)?;
    if guild.id != guild_id {
        return Err(ApiError::bad_request(
            610_008,
            "channel_id is not a channel of this guild",
        ));
    }
    let path = body
        .pointer("/api_identify/path")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let method = body
        .pointer("/api_identify/method")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if path.is_empty() || method.is_empty() {
        return Err(ApiError::bad_request(
            610_008,
            "api_identify needs path and method",
        ));
    }
    let now = tokio::time::Instant::now();
    if !inner
        .store
        .demands
        .hit(&guild_id, 3, std::time::Duration::from_secs(86_400), now)
    {
        return Err(ApiError::bad_request(
            610_013,
            "only 3 permission demands per guild per day",
        ));
    }
    let desc = text_field(&body, "desc").unwrap_or_default();

    Ok(ok(&json!({
        "guild_id": guild_id,
        "channel_id": channel_id,
        "api_identify": {"path": path, "method": method},
        "title": format!("机器人申请使用 {method} {path}"),
        "desc": desc,
    })))
}
