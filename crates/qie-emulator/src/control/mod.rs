//! The control API: inject user activity, read back what bots sent, wait, age messages,
//! expire tokens and inject faults.
//!
//! [`Control`] is the in-process form (reached through [`crate::EmulatorHandle`]); the HTTP form
//! under `/_emulator` mirrors it (see `docs/emulator.md`).

mod http;
mod inject;

use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

pub(crate) use self::http::router;
use self::inject::undelivered_note;
pub use self::inject::{Change, Click, Injected, Scene, UserMessage};
use crate::clock::{now_rfc3339, unix_now};
use crate::faults::RestFailure;
use crate::gateway::{
    Firehose, GatewayFault, MAX_FIREHOSE_COUNT, Published, SessionInfo, SessionTarget, apply_fault,
    publish, start_firehose,
};
use crate::rest::c2c_state;
use crate::state::{App, Inner};
use crate::store::{Anchor, AnchorScope, Conversation, GuildMessage, SentMessage};
use crate::world::{Bot, GroupBot, GroupMember, GuildMember, World};
use crate::{Error, ErrorKind};

/// The in-process control API. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Control {
    pub(crate) app: App,
}

fn add_anchor(inner: &mut Inner, app_id: &str, id: &str, anchor: Anchor) {
    inner
        .store
        .anchors
        .insert((app_id.to_owned(), id.to_owned()), anchor);
}

impl Control {
    fn bot_id(inner: &Inner, app_id: Option<&str>) -> Result<String, Error> {
        match app_id {
            Some(app_id) => inner
                .world
                .bot(app_id)
                .map(|bot| bot.app_id.clone())
                .ok_or_else(|| Error::not_found(format!("no bot with AppID {app_id}"))),
            None => inner
                .world
                .bots
                .first()
                .map(|bot| bot.app_id.clone())
                .ok_or_else(|| Error::not_found("the world has no bot")),
        }
    }

    /// Returns a copy of the current world (including changes made through the API).
    pub fn world(&self) -> World {
        self.app.lock().world.clone()
    }

    /// Returns the first bot of the world.
    pub fn bot(&self) -> Bot {
        self.app
            .lock()
            .world
            .bots
            .first()
            .cloned()
            .unwrap_or_default()
    }

    /// Publishes a dispatch and records an event anchor for passive replies.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is one fact of the dispatch"
    )]
    fn dispatch(
        &self,
        inner: &mut Inner,
        app_id: &str,
        t: &str,
        d: &Value,
        guild_id: Option<&str>,
        anchor: Option<(AnchorScope, bool)>,
        injected: &mut Injected,
    ) {
        let Published {
            event_id,
            deliveries,
        } = publish(&self.app, inner, app_id, t, d, guild_id);
        injected.deliveries += deliveries;
        if let Some((scope, replyable)) = anchor {
            add_anchor(
                inner,
                app_id,
                &event_id,
                Anchor::new(scope, Some(t.to_owned()), replyable),
            );
        }
        injected.event_ids.push(event_id);
        injected.event_types.push(t.to_owned());
    }

    /// Injects a user message in any scene and delivers the matching dispatches.
    pub fn inject_message(&self, message: &UserMessage) -> Result<Injected, Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, message.app_id.as_deref())?;
        let injected = match message.scene {
            Scene::GuildAt | Scene::Guild => {
                self.inject_guild_message(&mut inner, &app_id, message)
            }
            Scene::Dm => self.inject_dm(&mut inner, &app_id, message),
            Scene::GroupAt | Scene::Group => {
                self.inject_group_message(&mut inner, &app_id, message)
            }
            Scene::C2c => self.inject_c2c(&mut inner, &app_id, message),
        }?;
        tracing::info!(app_id, scene = ?message.scene, target = %message.target, events = ?injected.event_types, "user message injected");

        Ok(undelivered_note(&app_id, injected))
    }

    fn inject_guild_message(
        &self,
        inner: &mut Inner,
        app_id: &str,
        message: &UserMessage,
    ) -> Result<Injected, Error> {
        let (guild, channel) = inner
            .world
            .channel_for(app_id, &message.target)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "channel {} is unknown to bot {app_id}",
                    message.target
                ))
            })?;
        let bot = inner.world.bot(app_id).cloned().unwrap_or_default();
        let author_id = match &message.author {
            Some(author) => author.clone(),
            None => guild
                .members
                .iter()
                .find(|member| {
                    member.user_id != bot.user_id && inner.world.user(&member.user_id).is_some()
                })
                .map(|member| member.user_id.clone())
                .ok_or_else(|| {
                    Error::not_found(format!("guild {} has no human member", guild.id))
                })?,
        };
        let member = guild
            .member(&author_id)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "user {author_id} is not a member of guild {}",
                    guild.id
                ))
            })?
            .clone();
        let user = inner.world.user(&author_id).cloned().unwrap_or_default();
        let guild_id = guild.id.clone();
        let channel_id = channel.id.clone();

        let id = inner.ids.guild_message_id();
        let seq = {
            let next = inner
                .store
                .channel_seq
                .entry(channel_id.clone())
                .or_insert(100);
            *next += 1;
            *next
        };
        let at = message.scene == Scene::GuildAt;
        let content = if at {
            format!("<@!{}> {}", bot.user_id, message.content)
        } else {
            message.content.clone()
        };
        let mut d = json!({
            "author": {"id": author_id, "username": user.username, "avatar": user.avatar, "bot": false},
            "channel_id": channel_id,
            "content": escape_guild_text(&content),
            "guild_id": guild_id,
            "id": id,
            "member": {"joined_at": member.joined_at, "roles": member.roles},
            "seq": seq,
            "seq_in_channel": seq.to_string(),
            "timestamp": now_rfc3339(),
        });
        if at {
            d["mentions"] = json!([{"id": bot.user_id, "username": bot.username, "avatar": bot.avatar, "bot": true}]);
        }
        if !message.attachments.is_empty() {
            d["attachments"] = json!(message.attachments);
        }
        inner.store.guild_messages.insert(
            id.clone(),
            GuildMessage {
                channel_id: channel_id.clone(),
                guild_id: guild_id.clone(),
                author_id,
                by_bot: None,
                object: d.clone(),
                deleted: false,
            },
        );
        add_anchor(
            inner,
            app_id,
            &id,
            Anchor::new(
                AnchorScope::Conversation(Conversation::Channel(channel_id)),
                None,
                true,
            ),
        );

        let mut injected = Injected {
            msg_id: Some(id),
            ..Injected::default()
        };
        if at {
            self.dispatch(
                inner,
                app_id,
                "AT_MESSAGE_CREATE",
                &d,
                Some(&guild_id),
                None,
                &mut injected,
            );
        }
        self.dispatch(
            inner,
            app_id,
            "MESSAGE_CREATE",
            &d,
            Some(&guild_id),
            None,
            &mut injected,
        );

        Ok(injected)
    }

    fn inject_dm(
        &self,
        inner: &mut Inner,
        app_id: &str,
        message: &UserMessage,
    ) -> Result<Injected, Error> {
        let dm = inner
            .world
            .dm_for(app_id, &message.target)
            .cloned()
            .ok_or_else(|| {
                Error::not_found(format!(
                    "DM guild {} is unknown to bot {app_id}",
                    message.target
                ))
            })?;
        let user = inner.world.user(&dm.user_id).cloned().unwrap_or_default();
        let joined_at = inner
            .world
            .guilds
            .iter()
            .find(|guild| guild.id == dm.src_guild_id)
            .and_then(|guild| guild.member(&dm.user_id))
            .map(|member| member.joined_at.clone())
            .unwrap_or_default();
        let id = inner.ids.guild_message_id();
        let seq = {
            let next = inner
                .store
                .channel_seq
                .entry(dm.channel_id.clone())
                .or_insert(0);
            *next += 1;
            *next
        };
        let mut d = json!({
            "author": {"id": dm.user_id, "username": user.username, "avatar": user.avatar},
            "channel_id": dm.channel_id,
            "content": escape_guild_text(&message.content),
            "direct_message": true,
            "guild_id": dm.guild_id,
            "id": id,
            "member": {"joined_at": joined_at},
            "seq": seq,
            "seq_in_channel": seq.to_string(),
            "src_guild_id": dm.src_guild_id,
            "timestamp": now_rfc3339(),
        });
        if !message.attachments.is_empty() {
            d["attachments"] = json!(message.attachments);
        }
        inner.store.guild_messages.insert(
            id.clone(),
            GuildMessage {
                channel_id: dm.channel_id.clone(),
                guild_id: dm.guild_id.clone(),
                author_id: dm.user_id.clone(),
                by_bot: None,
                object: d.clone(),
                deleted: false,
            },
        );
        add_anchor(
            inner,
            app_id,
            &id,
            Anchor::new(
                AnchorScope::Conversation(Conversation::Dm(dm.guild_id.clone())),
                None,
                true,
            ),
        );
        let mut injected = Injected {
            msg_id: Some(id),
            ..Injected::default()
        };
        self.dispatch(
            inner,
            app_id,
            "DIRECT_MESSAGE_CREATE",
            &d,
            Some(&dm.guild_id),
            None,
            &mut injected,
        );

        Ok(injected)
    }

    /// Finds a group by the bot's openid or by key; returns (index, openid).
    fn find_group(inner: &Inner, app_id: &str, target: &str) -> Result<(usize, String), Error> {
        let index = inner
            .world
            .groups
            .iter()
            .position(|group| group.key == target || group.openid_for(app_id) == Some(target))
            .ok_or_else(|| Error::not_found(format!("no group with openid or key {target}")))?;
        let openid = inner.world.groups[index]
            .openid_for(app_id)
            .unwrap_or_default()
            .to_owned();

        Ok((index, openid))
    }

    fn inject_group_message(
        &self,
        inner: &mut Inner,
        app_id: &str,
        message: &UserMessage,
    ) -> Result<Injected, Error> {
        let (index, openid) = Self::find_group(inner, app_id, &message.target)?;
        let group = &inner.world.groups[index];
        let membership = group.bot(app_id).cloned().ok_or_else(|| {
            Error::not_found(format!("bot {app_id} is not in group {}", group.key))
        })?;
        let member = match &message.author {
            Some(author) => group.member_by_any(app_id, author),
            None => group.members.first(),
        }
        .cloned()
        .ok_or_else(|| {
            Error::not_found(format!(
                "author {:?} is not a member of group {}",
                message.author, group.key
            ))
        })?;
        let member_openid = member.openids.get(app_id).cloned().unwrap_or_default();
        let user = inner
            .world
            .user(&member.user_id)
            .cloned()
            .unwrap_or_default();
        let bot = inner.world.bot(app_id).cloned().unwrap_or_default();

        let at = message.scene == Scene::GroupAt;
        let full = membership.recv_msg_setting == "all";
        let mut types = Vec::new();
        if full {
            types.push("GROUP_MESSAGE_CREATE");
            if at && self.app.config.dual_delivery_on_mention {
                types.push("GROUP_AT_MESSAGE_CREATE");
            }
        } else if at {
            types.push("GROUP_AT_MESSAGE_CREATE");
        }
        let id = inner.ids.robot_message_id();
        let mut injected = Injected {
            msg_id: Some(id.clone()),
            ..Injected::default()
        };
        if types.is_empty() {
            tracing::info!(app_id, group = %openid, "group message not delivered: the group only sends @-mentions to the bot");
            injected.msg_id = None;
            injected.note = Some(format!(
                "not delivered: group {openid} sends only @-mentions to bot {app_id} \
                 (recv_msg_setting), so inject the message with the group_at scene"
            ));
            return Ok(injected);
        }

        let content = if at {
            format!(" {}", message.content)
        } else {
            message.content.clone()
        };
        let ref_idx = inner.ids.ref_idx();
        let mut d = json!({
            "author": {
                "bot": false,
                "id": member_openid,
                "member_openid": member_openid,
                "member_role": member.role,
                "union_openid": user.union_openid,
                "username": user.username,
            },
            "content": content,
            "group_id": openid,
            "group_openid": openid,
            "id": id,
            "message_scene": {"ext": [format!("msg_idx={ref_idx}")], "source": "default"},
            "message_type": 0,
            "timestamp": now_rfc3339(),
        });
        if at {
            d["mentions"] = json!([{
                "bot": true,
                "id": membership.member_openid,
                "is_you": true,
                "member_openid": membership.member_openid,
                "scope": "single",
                "username": bot.username,
            }]);
        }
        if !message.attachments.is_empty() {
            d["attachments"] = json!(message.attachments);
        }
        add_anchor(
            inner,
            app_id,
            &id,
            Anchor::new(
                AnchorScope::Conversation(Conversation::Group(openid)),
                None,
                true,
            ),
        );
        for t in types {
            self.dispatch(inner, app_id, t, &d, None, None, &mut injected);
        }

        Ok(injected)
    }

    /// Finds a user by the bot's openid or by user id; returns (user id, openid).
    fn find_user(inner: &Inner, app_id: &str, target: &str) -> Result<(String, String), Error> {
        let user = inner
            .world
            .users
            .iter()
            .find(|user| {
                user.id == target
                    || user
                        .openids
                        .get(app_id)
                        .is_some_and(|openid| openid == target)
            })
            .ok_or_else(|| Error::not_found(format!("no user with id or openid {target}")))?;

        Ok((
            user.id.clone(),
            user.openids.get(app_id).cloned().unwrap_or_default(),
        ))
    }

    fn inject_c2c(
        &self,
        inner: &mut Inner,
        app_id: &str,
        message: &UserMessage,
    ) -> Result<Injected, Error> {
        let (user_id, openid) = Self::find_user(inner, app_id, &message.target)?;
        let union_openid = inner
            .world
            .user(&user_id)
            .map(|user| user.union_openid.clone())
            .unwrap_or_default();
        let state = c2c_state(inner, app_id, &user_id);
        if !state.friend {
            return Err(Error::invalid(format!(
                "user {user_id} has not added bot {app_id}; inject a friend add first"
            )));
        }
        state.last_inbound = Some(Instant::now());
        state.wakeups_used.clear();

        let id = inner.ids.robot_message_id();
        let ref_idx = inner.ids.ref_idx();
        let mut d = json!({
            "author": {"id": openid, "union_openid": union_openid, "user_openid": openid},
            "content": message.content,
            "id": id,
            "message_scene": {"ext": [format!("msg_idx={ref_idx}")], "source": "default"},
            "message_type": 0,
            "timestamp": now_rfc3339(),
        });
        if !message.attachments.is_empty() {
            d["attachments"] = json!(message.attachments);
        }
        add_anchor(
            inner,
            app_id,
            &id,
            Anchor::new(
                AnchorScope::Conversation(Conversation::C2c(openid)),
                None,
                true,
            ),
        );
        let mut injected = Injected {
            msg_id: Some(id),
            ..Injected::default()
        };
        self.dispatch(
            inner,
            app_id,
            "C2C_MESSAGE_CREATE",
            &d,
            None,
            None,
            &mut injected,
        );

        Ok(injected)
    }

    /// Adds, removes or updates a guild member (GUILD_MEMBER_ADD/REMOVE/UPDATE).
    pub fn inject_guild_member(
        &self,
        app_id: Option<&str>,
        guild_id: &str,
        user_id: &str,
        change: Change,
    ) -> Result<Injected, Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        let index = inner
            .world
            .guilds
            .iter()
            .position(|guild| guild.id == guild_id && guild.has_bot(&app_id))
            .ok_or_else(|| {
                Error::not_found(format!("guild {guild_id} is unknown to bot {app_id}"))
            })?;
        if inner.world.user(user_id).is_none() {
            return Err(Error::not_found(format!(
                "user {user_id} is not in the world"
            )));
        }
        let guild = &mut inner.world.guilds[index];
        let (t, member) = match change {
            Change::Add => {
                if guild.member(user_id).is_some() {
                    return Err(Error::invalid(format!(
                        "user {user_id} is already a member of guild {guild_id}"
                    )));
                }
                let member = GuildMember {
                    user_id: user_id.to_owned(),
                    nick: String::new(),
                    roles: vec!["1".to_owned()],
                    joined_at: now_rfc3339(),
                };
                guild.members.push(member.clone());
                ("GUILD_MEMBER_ADD", member)
            }
            Change::Remove => {
                let position = guild
                    .members
                    .iter()
                    .position(|member| member.user_id == user_id)
                    .ok_or_else(|| {
                        Error::not_found(format!(
                            "user {user_id} is not a member of guild {guild_id}"
                        ))
                    })?;
                ("GUILD_MEMBER_REMOVE", guild.members.remove(position))
            }
            Change::Update => {
                let member = guild.member(user_id).cloned().ok_or_else(|| {
                    Error::not_found(format!(
                        "user {user_id} is not a member of guild {guild_id}"
                    ))
                })?;
                ("GUILD_MEMBER_UPDATE", member)
            }
            Change::MsgReceive | Change::MsgReject => {
                return Err(Error::invalid(
                    "guild members support add, remove and update",
                ));
            }
        };
        let user = inner.world.user(user_id).cloned().unwrap_or_default();
        let d = json!({
            "guild_id": guild_id,
            "joined_at": member.joined_at,
            "nick": member.nick,
            "op_user_id": user_id,
            "roles": member.roles,
            "user": {"avatar": user.avatar, "bot": false, "id": user_id, "username": user.username},
        });
        let mut injected = Injected::default();
        self.dispatch(
            &mut inner,
            &app_id,
            t,
            &d,
            Some(guild_id),
            Some((AnchorScope::Guild(guild_id.to_owned()), true)),
            &mut injected,
        );

        Ok(undelivered_note(&app_id, injected))
    }

    /// Adds or removes a group member (GROUP_MEMBER_ADD/REMOVE).
    pub fn inject_group_member(
        &self,
        app_id: Option<&str>,
        group: &str,
        user_id: &str,
        change: Change,
    ) -> Result<Injected, Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        let (index, openid) = Self::find_group(&inner, &app_id, group)?;
        if inner.world.user(user_id).is_none() {
            return Err(Error::not_found(format!(
                "user {user_id} is not in the world"
            )));
        }
        let (t, replyable) = match change {
            Change::Add => {
                if inner.world.groups[index]
                    .member_by_any(&app_id, user_id)
                    .is_some()
                {
                    return Err(Error::invalid(format!(
                        "user {user_id} is already in group {group}"
                    )));
                }
                inner.world.groups[index].members.push(GroupMember {
                    user_id: user_id.to_owned(),
                    role: "member".to_owned(),
                    openids: std::collections::BTreeMap::new(),
                    joined_at: now_rfc3339(),
                });
                inner.world.complete();
                ("GROUP_MEMBER_ADD", true)
            }
            Change::Remove => ("GROUP_MEMBER_REMOVE", false),
            _ => return Err(Error::invalid("group members support add and remove")),
        };
        let member = inner.world.groups[index]
            .member_by_any(&app_id, user_id)
            .cloned()
            .ok_or_else(|| Error::not_found(format!("user {user_id} is not in group {group}")))?;
        let member_openid = member.openids.get(&app_id).cloned().unwrap_or_default();
        if change == Change::Remove {
            inner.world.groups[index]
                .members
                .retain(|candidate| candidate.user_id != user_id);
        }
        let d = json!({"group_openid": openid, "member_openid": member_openid, "timestamp": unix_now()});
        let mut injected = Injected::default();
        let scope = AnchorScope::Conversation(Conversation::Group(openid));
        self.dispatch(
            &mut inner,
            &app_id,
            t,
            &d,
            None,
            Some((scope, replyable)),
            &mut injected,
        );

        Ok(undelivered_note(&app_id, injected))
    }

    /// Adds the bot to a group, removes it, or switches its proactive messages
    /// (GROUP_ADD_ROBOT, GROUP_DEL_ROBOT, GROUP_MSG_RECEIVE, GROUP_MSG_REJECT).
    pub fn inject_group_robot(
        &self,
        app_id: Option<&str>,
        group: &str,
        operator: Option<&str>,
        change: Change,
    ) -> Result<Injected, Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        let index = inner
            .world
            .groups
            .iter()
            .position(|candidate| {
                candidate.key == group || candidate.openid_for(&app_id) == Some(group)
            })
            .ok_or_else(|| Error::not_found(format!("no group with openid or key {group}")))?;
        let in_group = inner.world.groups[index].bot(&app_id).is_some();
        let t = match change {
            Change::Add if in_group => {
                return Err(Error::invalid(format!(
                    "bot {app_id} is already in group {group}"
                )));
            }
            Change::Add => {
                inner.world.groups[index].bots.push(GroupBot {
                    app_id: app_id.clone(),
                    member_openid: String::new(),
                    role: "member".to_owned(),
                    recv_msg_setting: "only_mention".to_owned(),
                    allow_proactive_msg: false,
                    joined_at: now_rfc3339(),
                });
                inner.world.complete();
                "GROUP_ADD_ROBOT"
            }
            _ if !in_group => {
                return Err(Error::invalid(format!(
                    "bot {app_id} is not in group {group}"
                )));
            }
            Change::Remove => "GROUP_DEL_ROBOT",
            Change::MsgReceive | Change::MsgReject => {
                let allow = change == Change::MsgReceive;
                if let Some(bot) = inner.world.groups[index]
                    .bots
                    .iter_mut()
                    .find(|bot| bot.app_id == app_id)
                {
                    bot.allow_proactive_msg = allow;
                }
                if allow {
                    "GROUP_MSG_RECEIVE"
                } else {
                    "GROUP_MSG_REJECT"
                }
            }
            Change::Update => {
                return Err(Error::invalid(
                    "group robot changes are add, remove, msg_receive and msg_reject",
                ));
            }
        };
        let group_ref = &inner.world.groups[index];
        let openid = group_ref.openid_for(&app_id).unwrap_or_default().to_owned();
        let operator = match operator {
            Some(operator) => group_ref
                .member_by_any(&app_id, operator)
                .and_then(|member| member.openids.get(&app_id).cloned())
                .ok_or_else(|| {
                    Error::not_found(format!("operator {operator} is not in group {group}"))
                })?,
            None => group_ref
                .members
                .iter()
                .find(|member| member.role == "owner")
                .or(group_ref.members.first())
                .and_then(|member| member.openids.get(&app_id).cloned())
                .unwrap_or_default(),
        };
        let d =
            json!({"group_openid": openid, "op_member_openid": operator, "timestamp": unix_now()});
        let replyable = matches!(change, Change::Add | Change::MsgReceive);
        let mut injected = Injected::default();
        let scope = AnchorScope::Conversation(Conversation::Group(openid));
        self.dispatch(
            &mut inner,
            &app_id,
            t,
            &d,
            None,
            Some((scope, replyable)),
            &mut injected,
        );
        if change == Change::Remove {
            inner.world.groups[index]
                .bots
                .retain(|bot| bot.app_id != app_id);
        }

        Ok(undelivered_note(&app_id, injected))
    }

    /// Changes a user's relationship with the bot (FRIEND_ADD, FRIEND_DEL, C2C_MSG_RECEIVE,
    /// C2C_MSG_REJECT).
    pub fn inject_friend(
        &self,
        app_id: Option<&str>,
        user: &str,
        change: Change,
    ) -> Result<Injected, Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        let (user_id, openid) = Self::find_user(&inner, &app_id, user)?;
        let state = c2c_state(&mut inner, &app_id, &user_id);
        let t = match change {
            Change::Add => {
                state.friend = true;
                "FRIEND_ADD"
            }
            Change::Remove => {
                state.friend = false;
                "FRIEND_DEL"
            }
            Change::MsgReceive => {
                state.allow_proactive = true;
                "C2C_MSG_RECEIVE"
            }
            Change::MsgReject => {
                state.allow_proactive = false;
                "C2C_MSG_REJECT"
            }
            Change::Update => {
                return Err(Error::invalid(
                    "friend changes are add, remove, msg_receive and msg_reject",
                ));
            }
        };
        let d = json!({"openid": openid, "timestamp": unix_now()});
        let replyable = matches!(change, Change::Add | Change::MsgReceive);
        let mut injected = Injected::default();
        let scope = AnchorScope::Conversation(Conversation::C2c(openid));
        self.dispatch(
            &mut inner,
            &app_id,
            t,
            &d,
            None,
            Some((scope, replyable)),
            &mut injected,
        );

        Ok(undelivered_note(&app_id, injected))
    }

    /// Injects a button click (INTERACTION_CREATE).
    pub fn inject_click(&self, click: &Click) -> Result<Injected, Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, click.app_id.as_deref())?;
        let interaction_id = inner.ids.uuid();
        let mut d = json!({
            "application_id": app_id,
            "data": {"resolved": {"button_data": click.button_data, "button_id": click.button_id}, "type": click.kind},
            "id": interaction_id,
            "scene": click.scene,
            "timestamp": now_rfc3339(),
            "type": click.kind,
            "version": 1,
        });
        let (conversation, guild_id) = match click.scene.as_str() {
            "group" => {
                let (index, openid) = Self::find_group(&inner, &app_id, &click.target)?;
                let group = &inner.world.groups[index];
                let member = match &click.user {
                    Some(user) => group.member_by_any(&app_id, user),
                    None => group.members.first(),
                }
                .ok_or_else(|| {
                    Error::not_found(format!(
                        "clicking user is not a member of group {}",
                        group.key
                    ))
                })?;
                d["chat_type"] = json!(1);
                d["group_openid"] = json!(openid);
                d["group_member_openid"] = json!(member.openids.get(&app_id));
                (Conversation::Group(openid), None)
            }
            "c2c" => {
                let (_, openid) = Self::find_user(&inner, &app_id, &click.target)?;
                d["chat_type"] = json!(2);
                d["user_openid"] = json!(openid);
                (Conversation::C2c(openid), None)
            }
            "guild" => {
                let (guild, channel) =
                    inner
                        .world
                        .channel_for(&app_id, &click.target)
                        .ok_or_else(|| {
                            Error::not_found(format!(
                                "channel {} is unknown to bot {app_id}",
                                click.target
                            ))
                        })?;
                let user = click
                    .user
                    .clone()
                    .or_else(|| inner.world.users.first().map(|user| user.id.clone()))
                    .unwrap_or_default();
                d["chat_type"] = json!(0);
                d["guild_id"] = json!(guild.id);
                d["channel_id"] = json!(channel.id);
                d["data"]["resolved"]["user_id"] = json!(user);
                if let Some(message_id) = &click.message_id {
                    d["data"]["resolved"]["message_id"] = json!(message_id);
                }
                (
                    Conversation::Channel(channel.id.clone()),
                    Some(guild.id.clone()),
                )
            }
            other => {
                return Err(Error::invalid(format!(
                    "click scene {other:?} is not group, c2c or guild"
                )));
            }
        };
        inner
            .store
            .interactions
            .insert((app_id.clone(), interaction_id.clone()), None);
        let mut injected = Injected {
            interaction_id: Some(interaction_id.clone()),
            ..Injected::default()
        };
        let scope = AnchorScope::Conversation(conversation);
        self.dispatch(
            &mut inner,
            &app_id,
            "INTERACTION_CREATE",
            &d,
            guild_id.as_deref(),
            Some((scope.clone(), true)),
            &mut injected,
        );
        // The interaction's own id is accepted as event_id too.
        add_anchor(
            &mut inner,
            &app_id,
            &interaction_id,
            Anchor::new(scope, Some("INTERACTION_CREATE".to_owned()), true),
        );

        Ok(undelivered_note(&app_id, injected))
    }

    /// Returns the acknowledgement code of an interaction, `None` while unacknowledged.
    pub fn interaction_ack(
        &self,
        app_id: Option<&str>,
        interaction_id: &str,
    ) -> Result<Option<u64>, Error> {
        let inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        inner
            .store
            .interactions
            .get(&(app_id, interaction_id.to_owned()))
            .copied()
            .ok_or_else(|| {
                Error::not_found(format!("interaction {interaction_id} was never injected"))
            })
    }

    /// Adds (or with `remove`, removes) a user's reaction to a channel message
    /// (MESSAGE_REACTION_ADD/REMOVE).
    pub fn inject_reaction(
        &self,
        app_id: Option<&str>,
        channel_id: &str,
        message_id: &str,
        user_id: &str,
        emoji: (u32, &str),
        remove: bool,
    ) -> Result<Injected, Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        let (guild, _) = inner
            .world
            .channel_for(&app_id, channel_id)
            .ok_or_else(|| {
                Error::not_found(format!("channel {channel_id} is unknown to bot {app_id}"))
            })?;
        let guild_id = guild.id.clone();
        let users = inner
            .store
            .reactions
            .entry((
                channel_id.to_owned(),
                message_id.to_owned(),
                emoji.0,
                emoji.1.to_owned(),
            ))
            .or_default();
        if remove {
            users.retain(|user| user != user_id);
        } else if !users.iter().any(|user| user == user_id) {
            users.push(user_id.to_owned());
        }
        let d = json!({
            "channel_id": channel_id,
            "emoji": {"id": emoji.1, "type": emoji.0},
            "guild_id": guild_id,
            "target": {"id": message_id, "type": "ReactionTargetType_MSG"},
            "user_id": user_id,
        });
        let t = if remove {
            "MESSAGE_REACTION_REMOVE"
        } else {
            "MESSAGE_REACTION_ADD"
        };
        let mut injected = Injected::default();
        self.dispatch(
            &mut inner,
            &app_id,
            t,
            &d,
            Some(&guild_id),
            Some((AnchorScope::Guild(guild_id.clone()), true)),
            &mut injected,
        );

        Ok(undelivered_note(&app_id, injected))
    }

    /// Publishes any dispatch as given; returns its event id. `guild_id` selects the shard.
    pub fn inject_event(
        &self,
        app_id: Option<&str>,
        t: &str,
        d: &Value,
        guild_id: Option<&str>,
    ) -> Result<String, Error> {
        if t.is_empty() {
            return Err(Error::invalid("event type t is empty"));
        }
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;

        Ok(publish(&self.app, &mut inner, &app_id, t, d, guild_id).event_id)
    }

    /// Returns the messages bots sent, optionally filtered by bot and conversation, oldest
    /// first.
    pub fn sent(
        &self,
        app_id: Option<&str>,
        conversation: Option<&Conversation>,
    ) -> Vec<SentMessage> {
        self.app
            .lock()
            .store
            .sent
            .iter()
            .filter(|sent| app_id.is_none_or(|app_id| sent.app_id == app_id))
            .filter(|sent| {
                conversation.is_none_or(|conversation| &sent.conversation == conversation)
            })
            .cloned()
            .collect()
    }

    /// Waits until at least `count` messages were sent to `conversation`; returns all of them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Timeout`] when fewer arrived within `timeout`.
    pub async fn wait_for_sent(
        &self,
        conversation: &Conversation,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<SentMessage>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.app.sent_notify.notified();
            let sent = self.sent(None, Some(conversation));
            if sent.len() >= count {
                return Ok(sent);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{} of {count} messages to {conversation} after {timeout:?}",
                        sent.len()
                    ),
                ));
            }
        }
    }

    /// Expires every token of a bot (or of every bot) now; returns how many were valid.
    pub fn expire_tokens(&self, app_id: Option<&str>) -> usize {
        let count = self.app.lock().tokens.expire(app_id, None, Instant::now());
        tracing::info!(app_id, count, "access tokens expired");

        count
    }

    /// Expires one token now; returns whether it was valid.
    pub fn expire_token(&self, token: &str) -> bool {
        self.app
            .lock()
            .tokens
            .expire(None, Some(token), Instant::now())
            > 0
    }

    /// Makes a received message or event older by `by` (to test reply windows).
    pub fn age(&self, app_id: Option<&str>, id: &str, by: Duration) -> Result<(), Error> {
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        let anchor = inner
            .store
            .anchors
            .get_mut(&(app_id, id.to_owned()))
            .ok_or_else(|| {
                Error::not_found(format!("no received message or event with id {id}"))
            })?;
        anchor.aged += by;

        Ok(())
    }

    /// Returns every gateway session.
    pub fn sessions(&self) -> Vec<SessionInfo> {
        self.app
            .lock()
            .gateway
            .session_infos(self.app.config.resume_window)
    }

    /// Waits until `count` sessions of a bot (default: any bot) are connected; returns them.
    pub async fn wait_for_sessions(
        &self,
        app_id: Option<&str>,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<SessionInfo>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.app.session_notify.notified();
            let connected: Vec<SessionInfo> = self
                .sessions()
                .into_iter()
                .filter(|session| {
                    session.connected && app_id.is_none_or(|app_id| session.app_id == app_id)
                })
                .collect();
            if connected.len() >= count {
                return Ok(connected);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{} of {count} gateway sessions connected after {timeout:?}",
                        connected.len()
                    ),
                ));
            }
        }
    }

    /// Waits for one connected session of a bot.
    pub async fn wait_for_session(
        &self,
        app_id: Option<&str>,
        timeout: Duration,
    ) -> Result<SessionInfo, Error> {
        let mut sessions = self.wait_for_sessions(app_id, 1, timeout).await?;

        Ok(sessions.remove(0))
    }

    /// Applies a gateway fault; returns how many sessions it reached.
    pub fn gateway_fault(&self, target: &SessionTarget, fault: &GatewayFault) -> usize {
        apply_fault(&self.app, target, fault)
    }

    /// Makes REST calls fail.
    pub fn fail_rest(&self, failure: RestFailure) {
        tracing::info!(?failure, "REST failure armed");
        self.app.lock().rest_faults.failures.push(failure);
    }

    /// Adds latency to every REST and token call.
    pub fn set_rest_latency(&self, latency: Duration) {
        self.app.lock().rest_faults.latency = latency;
    }

    /// Removes REST failures and latency, and resumes heartbeat ACKs everywhere.
    pub fn clear_faults(&self) {
        let mut inner = self.app.lock();
        inner.rest_faults.failures.clear();
        inner.rest_faults.latency = Duration::ZERO;
        drop(inner);
        apply_fault(&self.app, &SessionTarget::All, &GatewayFault::ResumeAcks);
    }

    /// Starts a firehose burst on connected sessions now; returns how many.
    pub fn firehose(&self, target: &SessionTarget, firehose: &Firehose) -> Result<usize, Error> {
        validate_firehose(firehose)?;
        let mut inner = self.app.lock();

        Ok(start_firehose(&mut inner, target, firehose))
    }

    /// Arms a firehose burst for the next READY of a bot.
    pub fn arm_firehose(&self, app_id: Option<&str>, firehose: Firehose) -> Result<(), Error> {
        validate_firehose(&firehose)?;
        let mut inner = self.app.lock();
        let app_id = Self::bot_id(&inner, app_id)?;
        inner.gateway.armed_firehose.insert(app_id, firehose);

        Ok(())
    }
}

fn validate_firehose(firehose: &Firehose) -> Result<(), Error> {
    if firehose.frames.is_empty() {
        return Err(Error::invalid("firehose needs at least one frame"));
    }
    if firehose.count > MAX_FIREHOSE_COUNT {
        return Err(Error::invalid(format!(
            "invalid firehose count {}: the maximum is {MAX_FIREHOSE_COUNT}",
            firehose.count
        )));
    }
    for frame in &firehose.frames {
        if frame.t.is_empty()
            || !frame
                .t
                .bytes()
                .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'_')
        {
            return Err(Error::invalid(format!(
                "firehose event type {:?} must match [A-Z0-9_]+",
                frame.t
            )));
        }
    }

    Ok(())
}

/// Escapes user text the way the platform delivers guild content, keeping embedded tags.
fn escape_guild_text(text: &str) -> String {
    // Tags such as <@!id> stay; other `&`, `<`, `>` become entities.
    let mut escaped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['<', '>', '&']) {
        escaped.push_str(&rest[..start]);
        let tail = &rest[start..];
        let tag_end = tail.find('>').filter(|_| tail.starts_with('<'));
        let is_tag = tag_end.is_some_and(|end| {
            let inner = &tail[1..end];
            inner.starts_with('@') || inner.starts_with('#') || inner.starts_with("emoji:")
        });
        if let (true, Some(end)) = (is_tag, tag_end) {
            escaped.push_str(&tail[..=end]);
            rest = &tail[end + 1..];
            continue;
        }
        escaped.push_str(match tail.as_bytes()[0] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&amp;",
        });
        rest = &tail[1..];
    }
    escaped.push_str(rest);

    escaped
}

#[cfg(test)]
mod tests {
    use super::escape_guild_text;

    #[test]
    fn guild_text_escaping_keeps_tags() {
        assert_eq!(
            escape_guild_text("<@!1> a <cat> & b"),
            "<@!1> a &lt;cat&gt; &amp; b"
        );
        assert_eq!(
            escape_guild_text("<#5550001> <emoji:4>"),
            "<#5550001> <emoji:4>"
        );
    }
}
