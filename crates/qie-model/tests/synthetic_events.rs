//! Event types without a wire fixture parse from payloads shaped as the platform documents them.

use std::collections::HashSet;

use qie_model::event::{Event, EventType, ForumContent, ReactionTargetType};
use qie_model::id::UserId;

/// One documented payload per event type.
const PAYLOADS: &[(&str, &str)] = &[
    (
        "READY",
        r#"{"version":1,"session_id":"s","user":{"id":"1","username":"b","bot":true},"shard":[0,1]}"#,
    ),
    ("RESUMED", r#""""#),
    (
        "GUILD_CREATE",
        r#"{"id":"7","name":"g","icon":"u","owner_id":"1","owner":false,"member_count":3,"max_members":100,"description":"d","joined_at":"2026-01-01T00:00:00+08:00","op_user_id":"1"}"#,
    ),
    ("GUILD_UPDATE", r#"{"id":"7","name":"g2","op_user_id":"1"}"#),
    ("GUILD_DELETE", r#"{"id":"7","name":"g","op_user_id":"1"}"#),
    (
        "CHANNEL_CREATE",
        r#"{"id":"5","guild_id":"7","name":"c","type":0,"sub_type":0,"owner_id":"1","op_user_id":"1"}"#,
    ),
    (
        "CHANNEL_UPDATE",
        r#"{"id":"5","guild_id":"7","name":"c2","type":10007,"op_user_id":"1"}"#,
    ),
    (
        "CHANNEL_DELETE",
        r#"{"id":"5","guild_id":"7","name":"c","type":4,"op_user_id":"1"}"#,
    ),
    (
        "GUILD_MEMBER_ADD",
        r#"{"guild_id":"7","user":{"id":"2","username":"u"},"nick":"","roles":["1"],"joined_at":"2026-01-01T00:00:00+08:00","op_user_id":"2"}"#,
    ),
    (
        "GUILD_MEMBER_UPDATE",
        r#"{"guild_id":"7","user":{"id":"2"},"nick":"n","roles":null,"op_user_id":"1"}"#,
    ),
    (
        "GUILD_MEMBER_REMOVE",
        r#"{"guild_id":"7","user":{"id":"2"},"op_user_id":"1"}"#,
    ),
    (
        "MESSAGE_CREATE",
        r#"{"id":"m","channel_id":"5","guild_id":"7","content":"hi","author":{"id":"2"}}"#,
    ),
    (
        "MESSAGE_DELETE",
        r#"{"message":{"id":"m","channel_id":"5","guild_id":"7","author":{"id":"2"}},"op_user":{"id":"2"}}"#,
    ),
    (
        "MESSAGE_REACTION_ADD",
        r#"{"user_id":"2","guild_id":"7","channel_id":"5","target":{"id":"m","type":0},"emoji":{"id":"4","type":1}}"#,
    ),
    (
        "MESSAGE_REACTION_REMOVE",
        r#"{"user_id":"2","guild_id":"7","channel_id":"5","target":{"id":"m","type":"ReactionTargetType_COMMNENT"},"emoji":{"id":"😀","type":2}}"#,
    ),
    (
        "DIRECT_MESSAGE_CREATE",
        r#"{"id":"m","channel_id":"5","guild_id":"8","content":"hi","author":{"id":"2"},"direct_message":true,"src_guild_id":"7"}"#,
    ),
    (
        "DIRECT_MESSAGE_DELETE",
        r#"{"message":{"id":"m","direct_message":true,"src_guild_id":"7"},"op_user":{"id":"2"}}"#,
    ),
    (
        "OPEN_FORUM_THREAD_CREATE",
        r#"{"guild_id":7,"channel_id":5,"author_id":2}"#,
    ),
    (
        "OPEN_FORUM_THREAD_UPDATE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2"}"#,
    ),
    (
        "OPEN_FORUM_THREAD_DELETE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2"}"#,
    ),
    (
        "OPEN_FORUM_POST_CREATE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2"}"#,
    ),
    (
        "OPEN_FORUM_POST_DELETE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2"}"#,
    ),
    (
        "OPEN_FORUM_REPLY_CREATE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2"}"#,
    ),
    (
        "OPEN_FORUM_REPLY_DELETE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2"}"#,
    ),
    (
        "AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER",
        r#"{"guild_id":"7","channel_id":"5","channel_type":2,"user_id":"2"}"#,
    ),
    (
        "AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT",
        r#"{"guild_id":"7","channel_id":"5","channel_type":5,"user_id":"2"}"#,
    ),
    (
        "ENTER_AIO",
        r#"{"user_openid":"U","from_source":"profile"}"#,
    ),
    (
        "GROUP_MEMBER_ADD",
        r#"{"timestamp":1767240000,"group_openid":"G","member_openid":"M","user_openid":""}"#,
    ),
    (
        "GROUP_MEMBER_REMOVE",
        r#"{"timestamp":1767240000,"group_openid":"G","member_openid":"M"}"#,
    ),
    (
        "C2C_MESSAGE_CREATE",
        r#"{"id":"m","author":{"user_openid":"U"},"content":"hi","message_type":103,"msg_elements":[{"msg_idx":"REFIDX_1","content":"quoted","author":{"bot":true,"username":"b"}}],"message_scene":{"ext":["msg_idx=REFIDX_2","ref_msg_idx=REFIDX_1"]}}"#,
    ),
    (
        "GROUP_AT_MESSAGE_CREATE",
        r#"{"id":"m","author":{"member_openid":"M"},"content":" hi","group_openid":"G","mentions":null}"#,
    ),
    (
        "GROUP_MESSAGE_CREATE",
        r#"{"id":"m","author":{"member_openid":"M","member_role":"owner","bot":false},"content":"<@B> /help","group_openid":"G","mentions":[{"scope":"single","id":"B","member_openid":"B","nickname":"bot","bot":true,"is_you":true},{"scope":"all","is_you":true}],"message_type":3,"ark_data":{"prompt":"p","ark_type":"tuwen","fields":{"k":"v"}}}"#,
    ),
    (
        "GROUP_ADD_ROBOT",
        r#"{"timestamp":1767240000,"group_openid":"G","op_member_openid":"M"}"#,
    ),
    (
        "GROUP_DEL_ROBOT",
        r#"{"timestamp":1767240000,"group_openid":"G","op_member_openid":"M"}"#,
    ),
    (
        "GROUP_MSG_REJECT",
        r#"{"timestamp":1767240000,"group_openid":"G","op_member_openid":"M"}"#,
    ),
    (
        "GROUP_MSG_RECEIVE",
        r#"{"timestamp":1767240000,"group_openid":"G","op_member_openid":"M"}"#,
    ),
    (
        "GROUP_JOIN_REQUEST",
        r#"{"group_openid":"G","join_request_id":"j","member_openid":"M","username":"u","apply_at":"2026-08-01T10:00:00+08:00","apply_source":"invited","invited_by":"I","bot":false,"risk_tips":"","verify_info":{"method":"admin_review_qa","review_qa_list":[{"question":"q","answer":"a"}]},"auto_approved":{"strategy_id":"s"}}"#,
    ),
    (
        "FRIEND_ADD",
        r#"{"timestamp":1767240000,"openid":"U","scene":2003,"scene_param":"cb","author":{"union_openid":"X"}}"#,
    ),
    ("FRIEND_DEL", r#"{"timestamp":1767240000,"openid":"U"}"#),
    ("C2C_MSG_REJECT", r#"{"timestamp":1767240000,"openid":"U"}"#),
    (
        "C2C_MSG_RECEIVE",
        r#"{"timestamp":1767240000,"openid":"U"}"#,
    ),
    (
        "SUBSCRIBE_MESSAGE_STATUS",
        r#"{"group_openid":"G","openid":"U","result":[{"template_id":1,"custom_template_id":"t","op":1,"subscribe_id":"s","update_ts":1767240000}]}"#,
    ),
    (
        "INTERACTION_CREATE",
        r#"{"id":"i","type":13,"scene":"guild","chat_type":0,"guild_id":"7","channel_id":"5","data":{"type":13,"resolved":{"user_id":"2","message_id":"m","checked":1,"feedback_opt":"LIKE","message_scene":{"ext":["disable_net_search=1"]}}}}"#,
    ),
    (
        "MESSAGE_AUDIT_PASS",
        r#"{"audit_id":"a","message_id":"m","group_openid":"G"}"#,
    ),
    (
        "MESSAGE_AUDIT_REJECT",
        r#"{"audit_id":"a","guild_id":"7","channel_id":"5","audit_time":"2026-01-01T00:00:00+08:00"}"#,
    ),
    (
        "FORUM_THREAD_CREATE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","thread_info":{"thread_id":"t","title":"{\"paragraphs\":[{\"elems\":[{\"type\":1,\"text\":{\"text\":\"Title\"}}]}]}","content":"{\"paragraphs\":[{\"elems\":[{\"type\":1,\"text\":{\"text\":\"a\"}},{\"type\":1,\"text\":{\"text\":\"b\"}}]},{\"elems\":[{\"type\":4,\"url\":{\"url\":\"https://x\",\"desc\":\"x\"}}]}]}","date_time":"2026-01-01T00:00:00+08:00"}}"#,
    ),
    (
        "FORUM_THREAD_UPDATE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","thread_info":{"thread_id":"t","title":{"paragraphs":[]},"content":[{"type":1,"text_info":{"text":"x"}}]}}"#,
    ),
    (
        "FORUM_THREAD_DELETE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","thread_info":{"thread_id":"t"}}"#,
    ),
    (
        "FORUM_POST_CREATE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","post_info":{"thread_id":"t","post_id":"p","content":"plain"}}"#,
    ),
    (
        "FORUM_POST_DELETE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","post_info":{"thread_id":"t","post_id":"p"}}"#,
    ),
    (
        "FORUM_REPLY_CREATE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","reply_info":{"thread_id":"t","post_id":"p","reply_id":"r","content":"x"}}"#,
    ),
    (
        "FORUM_REPLY_DELETE",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","reply_info":{"thread_id":"t","post_id":"p","reply_id":"r"}}"#,
    ),
    (
        "FORUM_PUBLISH_AUDIT_RESULT",
        r#"{"guild_id":"7","channel_id":"5","author_id":"2","thread_id":"t","type":1,"result":1,"err_msg":"rejected"}"#,
    ),
    (
        "AUDIO_START",
        r#"{"guild_id":"7","channel_id":"5","audio_url":"https://a","text":"song"}"#,
    ),
    ("AUDIO_FINISH", r#"{"guild_id":"7","channel_id":"5"}"#),
    ("AUDIO_ON_MIC", r#"{"guild_id":"7","channel_id":"5"}"#),
    ("AUDIO_OFF_MIC", r#"{"guild_id":"7","channel_id":"5"}"#),
    (
        "AT_MESSAGE_CREATE",
        r#"{"id":"m","channel_id":"5","guild_id":"7","content":"<@!1> hi","author":{"id":"2"},"mentions":[{"id":"1","bot":true}]}"#,
    ),
    (
        "PUBLIC_MESSAGE_DELETE",
        r#"{"message":{"id":"m","channel_id":"5","guild_id":"7","author":{"id":"2"}},"op_user":{"id":"2"}}"#,
    ),
];

#[test]
fn every_event_type_parses_typed() {
    let mut covered = HashSet::new();

    for (name, data) in PAYLOADS {
        let event = Event::from_raw(name, data);

        assert_eq!(
            event.kind(),
            EventType::from_name(name),
            "{name}: {event:?}"
        );
        assert_eq!(event.name(), *name);
        covered.insert(*name);

        let serialized = serde_json::to_string(&event).unwrap();
        assert_eq!(
            Event::from_raw(name, &serialized),
            event,
            "{name}: round trip"
        );
    }

    for kind in EventType::ALL {
        assert!(covered.contains(kind.name()), "no payload for {kind}");
    }
}

fn event(name: &str) -> Event {
    let (_, data) = PAYLOADS
        .iter()
        .find(|(candidate, _)| *candidate == name)
        .unwrap_or_else(|| panic!("no payload for {name}"));

    Event::from_raw(name, data)
}

#[test]
fn reaction_target_type_accepts_number_and_string() {
    let Event::MessageReactionAdd(added) = event("MESSAGE_REACTION_ADD") else {
        panic!("expected a reaction");
    };
    let Event::MessageReactionRemove(removed) = event("MESSAGE_REACTION_REMOVE") else {
        panic!("expected a reaction");
    };

    assert_eq!(added.target.target_type, ReactionTargetType::Message);
    assert_eq!(removed.target.target_type, ReactionTargetType::Comment);
}

#[test]
fn forum_content_forms() {
    let Event::ForumThreadCreate(created) = event("FORUM_THREAD_CREATE") else {
        panic!("expected a thread");
    };
    let Event::ForumThreadUpdate(updated) = event("FORUM_THREAD_UPDATE") else {
        panic!("expected a thread");
    };

    assert_eq!(created.thread_info.title.plain_text(), "Title");
    assert_eq!(created.thread_info.content.plain_text(), "ab\n");
    assert_eq!(created.author_id, UserId::new("2"));
    assert!(matches!(
        updated.thread_info.title,
        ForumContent::RichText(_)
    ));
    assert!(matches!(
        updated.thread_info.content,
        ForumContent::Objects(_)
    ));
}

#[test]
fn numeric_ids_parse_as_text() {
    let Event::OpenForumThreadCreate(thread) = event("OPEN_FORUM_THREAD_CREATE") else {
        panic!("expected an open forum event");
    };

    assert_eq!(thread.guild_id.as_str(), "7");
    assert_eq!(thread.author_id.as_str(), "2");
}

#[test]
fn group_message_strips_own_mention() {
    let Event::GroupMessageCreate(message) = event("GROUP_MESSAGE_CREATE") else {
        panic!("expected a group message");
    };

    assert_eq!(message.command_text(), "/help");
    assert_eq!(message.mentions[0].username.as_deref(), Some("bot"));
    assert_eq!(
        message
            .ark_data
            .as_ref()
            .and_then(|ark| ark.ark_type.as_deref()),
        Some("tuwen")
    );
}

#[test]
fn c2c_quote_elements() {
    let Event::C2cMessageCreate(message) = event("C2C_MESSAGE_CREATE") else {
        panic!("expected a C2C message");
    };
    let scene = message.message_scene.as_ref().unwrap();

    assert_eq!(message.msg_elements[0].content.as_deref(), Some("quoted"));
    assert_eq!(
        scene.ref_msg_idx(),
        message.msg_elements[0].msg_idx.as_deref()
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let event = Event::from_raw(
        "GROUP_ADD_ROBOT",
        r#"{"timestamp":1,"group_openid":"G","op_member_openid":"M","new_field":{"nested":[1,2]}}"#,
    );

    assert_eq!(event.kind(), Some(EventType::GroupAddRobot));
}
