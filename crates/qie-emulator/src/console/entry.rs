//! User entries of the timeline, read from the dispatches the emulator delivers.

use serde::Serialize;
use serde_json::Value;

use crate::gateway::DispatchFrame;

/// Kind of a user entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum UserEntryKind {
    /// A message a user sent.
    Message,
    /// A button click (INTERACTION_CREATE).
    Click,
    /// An event about the conversation: members, the bot joining or leaving, friends.
    Notice,
}

/// The sender as the dispatch names them. The page resolves the display name from the world
/// when the dispatch carries none (C2C).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Author {
    /// Guild user id (guild and DM scenes) or openid (group and C2C scenes).
    pub(crate) id: String,
    /// `username`, when the dispatch has one.
    pub(crate) username: String,
}

/// A user's message, click or an event of one conversation, as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct UserEntry {
    /// Position in the timeline.
    pub(crate) seq: u64,
    /// Always `"user"`; bot entries have `"bot"` in this field.
    pub(crate) from: &'static str,
    /// Receiving bot.
    pub(crate) app_id: String,
    /// The conversation in the control API's form (`group:OPENID` …).
    pub(crate) conversation: String,
    /// Message, click or notice.
    pub(crate) kind: UserEntryKind,
    /// Message id (`d.id`), interaction id, or event id for notices.
    pub(crate) id: String,
    /// Event types the bot received it as, in delivery order.
    pub(crate) event_types: Vec<String>,
    /// Unix time in milliseconds.
    pub(crate) at_ms: u64,
    /// Sender, or the member an event is about.
    pub(crate) author: Author,
    /// Message text as delivered (guild text keeps the platform's `&lt;` escapes).
    pub(crate) content: String,
    /// Attachments as delivered.
    pub(crate) attachments: Vec<Value>,
    /// Whether the message @-mentioned the bot.
    pub(crate) mentions_bot: bool,
    /// `msg_idx` of a group or C2C message (`REFIDX_…`), which bots quote it by.
    pub(crate) ref_idx: Option<String>,
    /// `button_id` of a click.
    pub(crate) button_id: Option<String>,
    /// `button_data` of a click.
    pub(crate) button_data: Option<String>,
}

fn text(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn optional_text(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// Reads `msg_idx=…` from `message_scene.ext`.
fn ref_idx(d: &Value) -> Option<String> {
    d.pointer("/message_scene/ext")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .find_map(|item| item.strip_prefix("msg_idx="))
        .map(str::to_owned)
}

/// Returns whether the event type is delivered only for messages that @-mention the bot.
pub(crate) fn is_mention_event(t: &str) -> bool {
    t == "GROUP_AT_MESSAGE_CREATE" || t == "AT_MESSAGE_CREATE"
}

impl UserEntry {
    /// Reads a dispatch; returns `None` for events that belong to no conversation the console
    /// shows, or that lack the conversation's id.
    pub(crate) fn from_dispatch(
        seq: u64,
        app_id: &str,
        frame: &DispatchFrame,
        at_ms: u64,
    ) -> Option<Self> {
        let d = &frame.d;
        let (kind, conversation, author) = match frame.t.as_str() {
            "GROUP_AT_MESSAGE_CREATE" | "GROUP_MESSAGE_CREATE" => (
                UserEntryKind::Message,
                format!("group:{}", optional_text(d, "/group_openid")?),
                Author {
                    id: text(d, "/author/member_openid"),
                    username: text(d, "/author/username"),
                },
            ),
            "C2C_MESSAGE_CREATE" => (
                UserEntryKind::Message,
                format!("c2c:{}", optional_text(d, "/author/user_openid")?),
                Author {
                    id: text(d, "/author/user_openid"),
                    username: String::new(),
                },
            ),
            "AT_MESSAGE_CREATE" | "MESSAGE_CREATE" => (
                UserEntryKind::Message,
                format!("channel:{}", optional_text(d, "/channel_id")?),
                Author {
                    id: text(d, "/author/id"),
                    username: text(d, "/author/username"),
                },
            ),
            "DIRECT_MESSAGE_CREATE" => (
                UserEntryKind::Message,
                format!("dm:{}", optional_text(d, "/guild_id")?),
                Author {
                    id: text(d, "/author/id"),
                    username: text(d, "/author/username"),
                },
            ),
            "INTERACTION_CREATE" => {
                let (conversation, user) = match d.get("chat_type").and_then(Value::as_u64) {
                    Some(1) => (
                        format!("group:{}", optional_text(d, "/group_openid")?),
                        text(d, "/group_member_openid"),
                    ),
                    Some(2) => (
                        format!("c2c:{}", optional_text(d, "/user_openid")?),
                        text(d, "/user_openid"),
                    ),
                    _ => (
                        format!("channel:{}", optional_text(d, "/channel_id")?),
                        text(d, "/data/resolved/user_id"),
                    ),
                };
                (
                    UserEntryKind::Click,
                    conversation,
                    Author {
                        id: user,
                        username: String::new(),
                    },
                )
            }
            "GROUP_ADD_ROBOT" | "GROUP_DEL_ROBOT" | "GROUP_MSG_RECEIVE" | "GROUP_MSG_REJECT" => (
                UserEntryKind::Notice,
                format!("group:{}", optional_text(d, "/group_openid")?),
                Author {
                    id: text(d, "/op_member_openid"),
                    username: String::new(),
                },
            ),
            "GROUP_MEMBER_ADD" | "GROUP_MEMBER_REMOVE" => (
                UserEntryKind::Notice,
                format!("group:{}", optional_text(d, "/group_openid")?),
                Author {
                    id: text(d, "/member_openid"),
                    username: String::new(),
                },
            ),
            "FRIEND_ADD" | "FRIEND_DEL" | "C2C_MSG_RECEIVE" | "C2C_MSG_REJECT" => (
                UserEntryKind::Notice,
                format!("c2c:{}", optional_text(d, "/openid")?),
                Author {
                    id: text(d, "/openid"),
                    username: String::new(),
                },
            ),
            _ => return None,
        };

        let id = match kind {
            UserEntryKind::Notice => frame.id.clone(),
            UserEntryKind::Message | UserEntryKind::Click => text(d, "/id"),
        };
        let mentions_bot = is_mention_event(&frame.t)
            || d.get("mentions")
                .and_then(Value::as_array)
                .is_some_and(|mentions| {
                    mentions.iter().any(|mention| {
                        mention.get("is_you").and_then(Value::as_bool) == Some(true)
                            || mention.get("bot").and_then(Value::as_bool) == Some(true)
                    })
                });

        Some(Self {
            seq,
            from: "user",
            app_id: app_id.to_owned(),
            conversation,
            kind,
            id,
            event_types: vec![frame.t.clone()],
            at_ms,
            author,
            content: text(d, "/content"),
            attachments: d
                .get("attachments")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            mentions_bot,
            ref_idx: ref_idx(d),
            button_id: optional_text(d, "/data/resolved/button_id"),
            button_data: optional_text(d, "/data/resolved/button_data"),
        })
    }

    /// Returns whether `frame` delivers this same message again under another event type.
    pub(crate) fn is_same_message(&self, app_id: &str, frame: &DispatchFrame) -> bool {
        self.kind == UserEntryKind::Message
            && self.app_id == app_id
            && !self.event_types.contains(&frame.t)
            && frame.d.get("id").and_then(Value::as_str) == Some(self.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn dispatch(t: &str, d: Value) -> DispatchFrame {
        DispatchFrame {
            t: t.to_owned(),
            id: format!("{t}:e1"),
            d,
        }
    }

    fn fixture_d(name: &str) -> Value {
        let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("fixture exists");
        let frame: Value = serde_json::from_str(&text).expect("fixture is JSON");
        frame["d"].clone()
    }

    #[test]
    fn group_message_from_fixture() {
        let d = fixture_d("dispatch.group_message_create.json");
        let entry =
            UserEntry::from_dispatch(1, "102000001", &dispatch("GROUP_MESSAGE_CREATE", d), 0)
                .expect("an entry");

        assert_eq!(entry.conversation, "group:6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4");
        assert_eq!(entry.author.id, "0F1E2D3C4B5A69788796A5B4C3D2E1F0");
        assert_eq!(entry.author.username, "bob_example");
        assert_eq!(entry.attachments.len(), 1);
        assert!(!entry.mentions_bot);
        assert_eq!(
            entry.ref_idx.as_deref(),
            Some("REFIDX_EXAMPLEgroupIdx0003==")
        );
    }

    #[test]
    fn c2c_and_guild_messages_from_fixtures() {
        let c2c = UserEntry::from_dispatch(
            1,
            "102000001",
            &dispatch(
                "C2C_MESSAGE_CREATE",
                fixture_d("dispatch.c2c_message_create.json"),
            ),
            0,
        )
        .expect("a C2C entry");
        assert!(c2c.conversation.starts_with("c2c:"));
        assert_eq!(c2c.conversation, format!("c2c:{}", c2c.author.id));

        let guild = UserEntry::from_dispatch(
            2,
            "102000001",
            &dispatch(
                "AT_MESSAGE_CREATE",
                fixture_d("dispatch.at_message_create.json"),
            ),
            0,
        )
        .expect("a guild entry");
        assert!(guild.conversation.starts_with("channel:"));
        assert!(guild.mentions_bot);
    }

    #[test]
    fn click_in_group() {
        let d = json!({
            "id": "i1",
            "chat_type": 1,
            "group_openid": "G1",
            "group_member_openid": "M1",
            "data": {"resolved": {"button_id": "yes", "button_data": "vote:yes"}},
        });
        let entry = UserEntry::from_dispatch(1, "a", &dispatch("INTERACTION_CREATE", d), 0)
            .expect("an entry");

        assert_eq!(entry.kind, UserEntryKind::Click);
        assert_eq!(entry.conversation, "group:G1");
        assert_eq!(entry.author.id, "M1");
        assert_eq!(entry.button_data.as_deref(), Some("vote:yes"));
    }

    #[test]
    fn unrelated_or_malformed_events_are_skipped() {
        assert!(
            UserEntry::from_dispatch(1, "a", &dispatch("GUILD_CREATE", json!({})), 0).is_none()
        );
        assert!(
            UserEntry::from_dispatch(
                1,
                "a",
                &dispatch("GROUP_AT_MESSAGE_CREATE", json!({"id": 1})),
                0
            )
            .is_none()
        );
        assert!(
            UserEntry::from_dispatch(1, "a", &dispatch("C2C_MESSAGE_CREATE", json!("x")), 0)
                .is_none()
        );
    }
}
