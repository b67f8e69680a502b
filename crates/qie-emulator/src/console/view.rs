//! Views the page reads: the bots and their conversations, timeline entries and sessions.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Console, Entry, MediaSource, StampedEvent};
use crate::rest::c2c_state;
use crate::state::Inner;

/// A bot, without its secret or token.
#[derive(Debug, Serialize)]
pub(crate) struct BotView {
    app_id: String,
    username: String,
    user_id: String,
}

/// A person who can speak in a conversation.
#[derive(Debug, Serialize)]
pub(crate) struct Speaker {
    /// Guild user id; the control API accepts it as `author` in every scene.
    user_id: String,
    name: String,
    /// The bot's openid of this person (group `member_openid` or `user_openid`); empty in guilds.
    openid: String,
    /// Group role (`owner`, `admin`, `member`) or guild role names.
    role: String,
}

/// A conversation of one bot and how the page talks in it.
#[derive(Debug, Serialize)]
pub(crate) struct ConversationView {
    app_id: String,
    /// Control API form, e.g. `group:OPENID`.
    key: String,
    /// `group`, `c2c`, `channel` or `dm`.
    kind: &'static str,
    name: String,
    /// Guild name of channels and DMs.
    guild: Option<String>,
    /// `target` of `POST /_emulator/inject/message`.
    target: String,
    /// Scene of a message that @-mentions the bot, where the scene has mentions.
    scene_at: Option<&'static str>,
    /// Scene of a message without a mention.
    scene_plain: &'static str,
    /// Whether a message without a mention reaches the bot (groups: `recv_msg_setting = all`).
    plain_delivered: bool,
    /// `scene` of `POST /_emulator/inject/interaction`, where buttons can be clicked.
    click_scene: Option<&'static str>,
    /// For C2C: whether the user added the bot (messages are refused until then).
    friend: bool,
    speakers: Vec<Speaker>,
}

/// Builds the list of bots and of every conversation they have in the current world.
pub(crate) fn world_view(inner: &mut Inner) -> Value {
    let bots: Vec<BotView> = inner
        .world
        .bots
        .iter()
        .map(|bot| BotView {
            app_id: bot.app_id.clone(),
            username: bot.username.clone(),
            user_id: bot.user_id.clone(),
        })
        .collect();
    let app_ids: Vec<String> = bots.iter().map(|bot| bot.app_id.clone()).collect();
    let mut conversations = Vec::new();
    for app_id in &app_ids {
        groups(inner, app_id, &mut conversations);
        c2c_users(inner, app_id, &mut conversations);
        channels(inner, app_id, &mut conversations);
        dms(inner, app_id, &mut conversations);
    }

    json!({"bots": bots, "conversations": conversations})
}

fn user_name(inner: &Inner, user_id: &str) -> String {
    inner
        .world
        .user(user_id)
        .map_or_else(|| user_id.to_owned(), |user| user.username.clone())
}

fn groups(inner: &Inner, app_id: &str, out: &mut Vec<ConversationView>) {
    for group in &inner.world.groups {
        let (Some(membership), Some(openid)) = (group.bot(app_id), group.openid_for(app_id)) else {
            continue;
        };
        let speakers = group
            .members
            .iter()
            .map(|member| Speaker {
                user_id: member.user_id.clone(),
                name: user_name(inner, &member.user_id),
                openid: member.openids.get(app_id).cloned().unwrap_or_default(),
                role: member.role.clone(),
            })
            .collect();
        out.push(ConversationView {
            app_id: app_id.to_owned(),
            key: format!("group:{openid}"),
            kind: "group",
            name: if group.name.is_empty() {
                group.key.clone()
            } else {
                group.name.clone()
            },
            guild: None,
            target: openid.to_owned(),
            scene_at: Some("group_at"),
            scene_plain: "group",
            plain_delivered: membership.recv_msg_setting == "all",
            click_scene: Some("group"),
            friend: false,
            speakers,
        });
    }
}

fn c2c_users(inner: &mut Inner, app_id: &str, out: &mut Vec<ConversationView>) {
    let users: Vec<(String, String, String)> = inner
        .world
        .users
        .iter()
        .filter_map(|user| {
            let openid = user.openids.get(app_id)?;
            Some((user.id.clone(), user.username.clone(), openid.clone()))
        })
        .collect();
    for (user_id, username, openid) in users {
        let friend = c2c_state(inner, app_id, &user_id).friend;
        out.push(ConversationView {
            app_id: app_id.to_owned(),
            key: format!("c2c:{openid}"),
            kind: "c2c",
            name: username.clone(),
            guild: None,
            target: openid.clone(),
            scene_at: None,
            scene_plain: "c2c",
            plain_delivered: true,
            click_scene: Some("c2c"),
            friend,
            speakers: vec![Speaker {
                user_id,
                name: username,
                openid,
                role: String::new(),
            }],
        });
    }
}

fn channels(inner: &Inner, app_id: &str, out: &mut Vec<ConversationView>) {
    let bot_user = inner
        .world
        .bot(app_id)
        .map(|bot| bot.user_id.clone())
        .unwrap_or_default();
    for guild in inner
        .world
        .guilds
        .iter()
        .filter(|guild| guild.has_bot(app_id))
    {
        let speakers: Vec<Speaker> = guild
            .members
            .iter()
            .filter(|member| {
                member.user_id != bot_user && inner.world.user(&member.user_id).is_some()
            })
            .map(|member| Speaker {
                user_id: member.user_id.clone(),
                name: user_name(inner, &member.user_id),
                openid: String::new(),
                role: member
                    .roles
                    .iter()
                    .filter_map(|id| guild.roles.iter().find(|role| &role.id == id))
                    .map(|role| role.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect();
        // Only text channels (type 0) carry messages.
        for channel in guild.channels.iter().filter(|channel| channel.kind == 0) {
            out.push(ConversationView {
                app_id: app_id.to_owned(),
                key: format!("channel:{}", channel.id),
                kind: "channel",
                name: channel.name.clone(),
                guild: Some(guild.name.clone()),
                target: channel.id.clone(),
                scene_at: Some("guild_at"),
                scene_plain: "guild",
                plain_delivered: true,
                click_scene: Some("guild"),
                friend: false,
                speakers: speakers
                    .iter()
                    .map(|speaker| Speaker {
                        user_id: speaker.user_id.clone(),
                        name: speaker.name.clone(),
                        openid: String::new(),
                        role: speaker.role.clone(),
                    })
                    .collect(),
            });
        }
    }
}

fn dms(inner: &Inner, app_id: &str, out: &mut Vec<ConversationView>) {
    for dm in inner.world.dms.iter().filter(|dm| dm.app_id == app_id) {
        let name = user_name(inner, &dm.user_id);
        let guild = inner
            .world
            .guilds
            .iter()
            .find(|guild| guild.id == dm.src_guild_id)
            .map(|guild| guild.name.clone());
        out.push(ConversationView {
            app_id: app_id.to_owned(),
            key: format!("dm:{}", dm.guild_id),
            kind: "dm",
            name: name.clone(),
            guild,
            target: dm.guild_id.clone(),
            scene_at: None,
            scene_plain: "dm",
            plain_delivered: true,
            click_scene: None,
            friend: false,
            speakers: vec![Speaker {
                user_id: dm.user_id.clone(),
                name,
                openid: String::new(),
                role: String::new(),
            }],
        });
    }
}

/// Renders a timeline entry; a bot entry is read from the store so it shows recalls.
pub(crate) fn entry_json(inner: &Inner, console: &Console, entry: &Entry) -> Option<Value> {
    match entry {
        Entry::User(user) => serde_json::to_value(user.as_ref()).ok(),
        Entry::Bot { seq, index } => {
            let sent = inner.store.sent.get(*index)?;
            let mut value = serde_json::to_value(sent).ok()?;
            value["seq"] = json!(seq);
            value["from"] = json!("bot");
            if let Some(file_info) = sent
                .media
                .as_ref()
                .and_then(|media| media.get("file_info"))
                .and_then(Value::as_str)
            {
                value["media_view"] = media_view(console, file_info);
            }
            Some(value)
        }
    }
}

/// Describes a bot's upload: its type and where the page can show it from.
fn media_view(console: &Console, file_info: &str) -> Value {
    let Some(media) = console.media(file_info) else {
        return json!({"kept": false});
    };
    match media.source {
        MediaSource::Bytes(_) => json!({
            "kept": true,
            "file_type": media.file_type,
            "path": format!(
                "{}/console/media/{}",
                crate::CONTROL_PREFIX,
                percent_encode(file_info)
            ),
        }),
        MediaSource::Url(url) => json!({"kept": true, "file_type": media.file_type, "url": url}),
        MediaSource::Omitted => json!({"kept": false, "file_type": media.file_type}),
    }
}

/// Percent-encodes everything but unreserved characters, for one path segment.
fn percent_encode(text: &str) -> String {
    use std::fmt::Write as _;

    text.bytes()
        .fold(String::with_capacity(text.len()), |mut out, byte| {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
                out.push(char::from(byte));
            } else {
                let _ = write!(out, "%{byte:02X}");
            }
            out
        })
}

/// Renders a stamped inspector event for the feed.
pub(crate) fn inspect_json(event: &StampedEvent) -> Value {
    json!({"type": "inspect", "at_ms": event.at_ms, "event": event.event})
}

/// Builds the `sessions` feed message: every session with the console's heartbeat timing.
pub(crate) fn sessions_json(
    inner: &Inner,
    console: &Console,
    resume_window: std::time::Duration,
) -> Value {
    let sessions = inner.gateway.session_infos(resume_window);
    let ids: Vec<&str> = sessions
        .iter()
        .map(|session| session.session_id.as_str())
        .collect();
    let timings = console.timings(&ids);
    let views: Vec<Value> = sessions
        .iter()
        .map(|session| {
            let mut value = serde_json::to_value(session).unwrap_or(Value::Null);
            if let Some(timing) = timings.get(&session.session_id)
                && let Ok(timing) = serde_json::to_value(timing)
                && let (Some(object), Value::Object(extra)) = (value.as_object_mut(), timing)
            {
                object.extend(extra);
            }
            value
        })
        .collect();

    json!({"type": "sessions", "sessions": views})
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn percent_encoding_of_file_info() {
        assert_eq!(percent_encode("Ab9==/x y"), "Ab9%3D%3D%2Fx%20y");
    }
}
