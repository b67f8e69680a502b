//! JSON renderings of world objects, shaped like the platform's responses.

use serde_json::{Value, json};

use crate::store::Store;
use crate::world::{Channel, Guild, GuildMember, Role, World};

/// The caller's permissions in a channel: view, manage and speak for admins, view and speak
/// otherwise, adjusted by overrides.
pub(super) fn channel_permissions(
    store: &Store,
    guild: &Guild,
    channel: &Channel,
    user_id: &str,
) -> u64 {
    let member = guild.member(user_id);
    let roles: Vec<&str> = member
        .map(|member| member.roles.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let is_admin = roles.iter().any(|role| matches!(*role, "2" | "4" | "5"));
    let mut permissions = if is_admin { 0b111 } else { 0b101 };
    for role in &roles {
        if let Some(bits) = store
            .permissions
            .get(&(channel.id.clone(), format!("role:{role}")))
        {
            permissions |= bits;
        }
    }
    if let Some(bits) = store
        .permissions
        .get(&(channel.id.clone(), format!("user:{user_id}")))
    {
        permissions = *bits;
    }

    permissions
}

pub(super) fn guild_json(guild: &Guild, bot_user_id: &str) -> Value {
    json!({
        "id": guild.id,
        "name": guild.name,
        "icon": guild.icon,
        "owner_id": guild.owner_id,
        "owner": guild.owner_id == bot_user_id,
        "member_count": guild.members.len(),
        "max_members": guild.max_members,
        "description": guild.description,
        "joined_at": guild.joined_at,
    })
}

pub(super) fn channel_json(guild: &Guild, channel: &Channel, permissions: Option<u64>) -> Value {
    let mut value = json!({
        "id": channel.id,
        "guild_id": guild.id,
        "name": channel.name,
        "type": channel.kind,
        "sub_type": channel.sub_type,
        "position": channel.position,
        "parent_id": channel.parent_id,
        "owner_id": channel.owner_id,
        "private_type": channel.private_type,
        "speak_permission": channel.speak_permission,
    });
    if let Some(application_id) = &channel.application_id {
        value["application_id"] = json!(application_id);
    }
    if let Some(permissions) = permissions {
        value["permissions"] = json!(permissions.to_string());
    }

    value
}

/// A guild-scope user object; bots are found by their user id too.
pub(super) fn user_json(world: &World, user_id: &str) -> Value {
    if let Some(user) = world.user(user_id) {
        return json!({"id": user.id, "username": user.username, "avatar": user.avatar, "bot": false});
    }
    if let Some(bot) = world.bots.iter().find(|bot| bot.user_id == user_id) {
        return json!({"id": bot.user_id, "username": bot.username, "avatar": bot.avatar, "bot": true});
    }

    json!({"id": user_id, "username": "", "avatar": "", "bot": false})
}

pub(super) fn member_json(world: &World, member: &GuildMember) -> Value {
    json!({
        "user": user_json(world, &member.user_id),
        "nick": member.nick,
        "roles": member.roles,
        "joined_at": member.joined_at,
    })
}

pub(super) fn role_json(guild: &Guild, role: &Role) -> Value {
    let number = guild
        .members
        .iter()
        .filter(|member| member.roles.iter().any(|id| id == &role.id))
        .count();
    json!({
        "id": role.id,
        "name": role.name,
        "color": role.color,
        "hoist": role.hoist,
        "number": number,
        "member_limit": role.member_limit,
    })
}
