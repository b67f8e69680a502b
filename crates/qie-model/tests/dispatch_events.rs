//! Every dispatch fixture parses into its typed event, field by field.

mod common;

use common::{compact_fixture, fixture, fixture_value};
use qie_model::event::{
    ChannelMessage, EmojiType, Event, EventType, InteractionScene, InteractionType, MemberRole,
    MentionScope, ReactionTargetType, ReceivedMessageType, unescape,
};
use qie_model::gateway::{Dispatch, Intents, ServerFrame};
use qie_model::id::{
    AppId, AuditId, ChannelId, EventId, GroupOpenid, GuildId, InteractionId, MemberOpenid,
    MessageId, RoleId, UserId, UserOpenid,
};
use qie_model::timestamp::Timestamp;

const BOT_USER_ID: &str = "11223344556677889900";
const GUILD: &str = "7010203040506070801";
const CHANNEL: &str = "5550001";
const ALICE: &str = "14400000000000001";
const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
const BOB: &str = "0F1E2D3C4B5A69788796A5B4C3D2E1F0";
const C2C_USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";

fn dispatch(name: &str) -> Dispatch {
    let frame =
        ServerFrame::from_slice(&fixture(name)).unwrap_or_else(|error| panic!("{name}: {error}"));
    let ServerFrame::Dispatch(dispatch) = frame else {
        panic!("{name}: expected a dispatch, got {frame:?}");
    };

    // The same bytes in compact form take the one-pass path too; both must agree.
    let compact = ServerFrame::from_slice(&compact_fixture(name)).expect("compact form parses");
    assert_eq!(
        compact,
        ServerFrame::Dispatch(dispatch.clone()),
        "{name}: compact form"
    );

    // Serializing and parsing again keeps the event.
    let serialized =
        serde_json::to_vec(&ServerFrame::Dispatch(dispatch.clone())).expect("frame serializes");
    let reparsed = ServerFrame::from_slice(&serialized).expect("serialized frame parses");
    assert_eq!(
        reparsed,
        ServerFrame::Dispatch(dispatch.clone()),
        "{name}: round trip"
    );

    dispatch
}

fn assert_envelope(dispatch: &Dispatch, name: &str, seq: u64, id: &str) {
    assert_eq!(dispatch.seq, Some(seq), "{name}");
    assert_eq!(dispatch.id, Some(EventId::new(id)), "{name}");
    assert!(
        dispatch.event.kind().is_some(),
        "{name}: parsed as {:?}",
        dispatch.event
    );
}

#[test]
fn at_message_create_fixture() {
    let dispatch = dispatch("dispatch.at_message_create.json");
    assert_envelope(
        &dispatch,
        "at",
        2,
        "AT_MESSAGE_CREATE:1e7a9c52-3b4d-4f60-8a71-92c3d4e5f607",
    );
    let Event::AtMessageCreate(message) = &dispatch.event else {
        panic!("expected AT_MESSAGE_CREATE, got {:?}", dispatch.event);
    };

    assert_eq!(
        message.id,
        MessageId::new("08a1b2c3d4e5f6071829303a4b5c6d7e8f9010203040506070809101112")
    );
    assert_eq!(message.channel_id, ChannelId::new(CHANNEL));
    assert_eq!(message.guild_id, GuildId::new(GUILD));
    assert_eq!(
        message.content,
        "<@!11223344556677889900> /weather Shenzhen"
    );
    assert_eq!(
        message.command_text(&UserId::new(BOT_USER_ID)),
        "/weather Shenzhen"
    );
    assert_eq!(message.author.id, UserId::new(ALICE));
    assert_eq!(message.author.username, "alice_example");
    assert!(!message.author.bot);
    let member = message.member.as_ref().unwrap();
    assert_eq!(member.roles, [RoleId::new("1")]);
    assert_eq!(
        member.joined_at,
        Some(Timestamp::from_rfc3339("2025-06-01T09:30:00+08:00"))
    );
    assert_eq!(message.mentions.len(), 1);
    assert_eq!(message.mentions[0].id, UserId::new(BOT_USER_ID));
    assert!(message.mentions[0].bot);
    assert_eq!(message.seq, Some(101));
    assert_eq!(message.seq_in_channel.as_deref(), Some("101"));
    assert_eq!(
        message.timestamp.as_ref().and_then(Timestamp::unix_seconds),
        Some(1_767_240_000)
    );
    assert!(!message.direct_message);
}

#[test]
fn message_create_fixture() {
    let dispatch = dispatch("dispatch.message_create.json");
    assert_envelope(
        &dispatch,
        "message",
        3,
        "MESSAGE_CREATE:2f8b0d63-4c5e-4071-9b82-a3d4e5f60718",
    );
    let Event::MessageCreate(message) = &dispatch.event else {
        panic!("expected MESSAGE_CREATE, got {:?}", dispatch.event);
    };

    assert_eq!(message.content, "look at this &lt;cat&gt; picture");
    assert_eq!(message.content_text(), "look at this <cat> picture");
    assert_eq!(
        message.command_text(&UserId::new(BOT_USER_ID)),
        "look at this &lt;cat&gt; picture"
    );
    assert_eq!(message.attachments.len(), 1);
    let attachment = &message.attachments[0];
    assert_eq!(attachment.content_type.as_deref(), Some("image/png"));
    assert_eq!(attachment.kind(), Some("image"));
    assert_eq!(attachment.filename.as_deref(), Some("EXAMPLE0001.png"));
    assert_eq!(
        (attachment.width, attachment.height),
        (Some(640), Some(480))
    );
    assert_eq!(attachment.size, Some(52_341));
    assert_eq!(attachment.id.as_deref(), Some("2210001"));
    assert_eq!(attachment.url, "gchat.qpic.cn/qmeetpic/0/0-0-EXAMPLE0001/0");
    assert_eq!(
        attachment.url_with_scheme(),
        "https://gchat.qpic.cn/qmeetpic/0/0-0-EXAMPLE0001/0"
    );
    assert!(message.mentions.is_empty());
    assert_eq!(message.seq_in_channel.as_deref(), Some("102"));
}

#[test]
fn direct_message_create_fixture() {
    let dispatch = dispatch("dispatch.direct_message_create.json");
    assert_envelope(
        &dispatch,
        "dm",
        4,
        "DIRECT_MESSAGE_CREATE:3a9c1e74-5d6f-4182-ac93-b4e5f6071829",
    );
    let Event::DirectMessageCreate(message) = &dispatch.event else {
        panic!("expected DIRECT_MESSAGE_CREATE, got {:?}", dispatch.event);
    };

    assert!(message.direct_message);
    assert_eq!(message.dm_guild_id().as_str(), "7999000000000000001");
    assert_eq!(message.src_guild_id, Some(GuildId::new(GUILD)));
    assert_eq!(message.channel_id, ChannelId::new("5559001"));
    assert_eq!(message.content, "hi bot, private question");
    assert_eq!(message.author.id, UserId::new(ALICE));
    assert!(!message.author.bot);
    assert_eq!(
        message.member.as_ref().map(|member| member.roles.len()),
        Some(0)
    );
}

#[test]
fn group_at_message_create_fixture() {
    let dispatch = dispatch("dispatch.group_at_message_create.json");
    assert_envelope(
        &dispatch,
        "group at",
        5,
        "GROUP_AT_MESSAGE_CREATE:gx7pd1sq2ugi3ejzlc4ftxchdbcvuwyprx6jusrlcb3ifop7ft9skolij8yha",
    );
    let Event::GroupAtMessageCreate(message) = &dispatch.event else {
        panic!("expected GROUP_AT_MESSAGE_CREATE, got {:?}", dispatch.event);
    };

    assert_eq!(
        message.id,
        MessageId::new("ROBOT1.0_Gp7kExampl3GroupMsgId0002IjKlMnOpQrStUvWxYz.AbCd!")
    );
    assert_eq!(message.content, " /roll 20");
    assert_eq!(message.command_text(), "/roll 20");
    assert_eq!(message.group_openid, GroupOpenid::new(GROUP));
    assert_eq!(message.group_id, Some(GroupOpenid::new(GROUP)));
    assert_eq!(message.author.member_openid, MemberOpenid::new(BOB));
    assert_eq!(message.author.id.as_deref(), Some(BOB));
    assert_eq!(message.author.username.as_deref(), Some("bob_example"));
    assert_eq!(message.author.member_role, Some(MemberRole::Member));
    assert!(
        message
            .author
            .union_openid
            .as_ref()
            .is_some_and(qie_model::id::Id::is_empty)
    );
    assert!(!message.author.bot);
    assert!(message.mentions_me());
    let mention = &message.mentions[0];
    assert_eq!(mention.scope, Some(MentionScope::Single));
    assert_eq!(
        mention.member_openid,
        Some(MemberOpenid::new("9E8D7C6B5A4938271605F4E3D2C1B0A9"))
    );
    assert_eq!(mention.username.as_deref(), Some("ExampleBot"));
    assert!(mention.bot);
    let scene = message.message_scene.as_ref().unwrap();
    assert_eq!(scene.source.as_deref(), Some("default"));
    assert_eq!(scene.msg_idx(), Some("REFIDX_EXAMPLEgroupIdx0002=="));
    assert_eq!(scene.ref_msg_idx(), None);
    assert_eq!(message.message_type, Some(ReceivedMessageType::Normal));
    assert!(message.attachments.is_empty());
}

#[test]
fn group_message_create_fixture() {
    let dispatch = dispatch("dispatch.group_message_create.json");
    assert_envelope(
        &dispatch,
        "group",
        6,
        "GROUP_MESSAGE_CREATE:hy8qe2tr3vhj4fkame5guydidecwvxzqsy7kvtsmdc4jgpq8gu0tlpmjk9zib",
    );
    let Event::GroupMessageCreate(message) = &dispatch.event else {
        panic!("expected GROUP_MESSAGE_CREATE, got {:?}", dispatch.event);
    };

    assert_eq!(message.content, "dinner photo, no mention here");
    assert_eq!(message.command_text(), "dinner photo, no mention here");
    assert!(!message.mentions_me());
    assert_eq!(message.author.member_role, Some(MemberRole::Admin));
    let attachment = &message.attachments[0];
    assert_eq!(attachment.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        (attachment.width, attachment.height),
        (Some(1440), Some(1080))
    );
    assert_eq!(attachment.size, Some(204_800));
    assert_eq!(
        message
            .message_scene
            .as_ref()
            .and_then(|scene| scene.msg_idx()),
        Some("REFIDX_EXAMPLEgroupIdx0003==")
    );
}

#[test]
fn c2c_message_create_fixture() {
    let dispatch = dispatch("dispatch.c2c_message_create.json");
    assert_envelope(
        &dispatch,
        "c2c",
        7,
        "C2C_MESSAGE_CREATE:5b2f7c1e-9a44-4f1b-b0d2-3e6a7c8d9f01",
    );
    let Event::C2cMessageCreate(message) = &dispatch.event else {
        panic!("expected C2C_MESSAGE_CREATE, got {:?}", dispatch.event);
    };

    assert_eq!(
        message.id,
        MessageId::new("ROBOT1.0_Xq3vExampl3C2cMsgId0001AbCdEfGhIjKlMnOpQrSt.Uv!")
    );
    assert_eq!(message.author.user_openid, UserOpenid::new(C2C_USER));
    assert_eq!(message.author.id.as_deref(), Some(C2C_USER));
    assert_eq!(message.content, "");
    assert_eq!(message.command_text(), "");
    let attachment = &message.attachments[0];
    assert_eq!(attachment.kind(), Some("voice"));
    assert_eq!(attachment.size, Some(6144));
    assert_eq!(
        attachment.asr_refer_text.as_deref(),
        Some("what time is it")
    );
    assert!(
        attachment
            .voice_wav_url
            .as_deref()
            .is_some_and(|url| url.ends_with("wav"))
    );
    assert_eq!(message.message_type, Some(ReceivedMessageType::Normal));
    assert_eq!(
        message
            .message_scene
            .as_ref()
            .and_then(|scene| scene.msg_idx()),
        Some("REFIDX_EXAMPLEc2cIdx0001==")
    );
}

#[test]
fn interaction_create_fixture() {
    let dispatch = dispatch("dispatch.interaction_create.json");
    assert_envelope(
        &dispatch,
        "interaction",
        8,
        "INTERACTION_CREATE:3c9f2a71-6b4e-4d0a-9e15-7f2b8c4d1a06",
    );
    let Event::InteractionCreate(interaction) = &dispatch.event else {
        panic!("expected INTERACTION_CREATE, got {:?}", dispatch.event);
    };

    assert_eq!(
        interaction.id,
        InteractionId::new("3c9f2a71-6b4e-4d0a-9e15-7f2b8c4d1a06")
    );
    assert_eq!(interaction.application_id, Some(AppId::new("102000001")));
    assert_eq!(interaction.interaction_type, InteractionType::MessageButton);
    assert_eq!(interaction.scene, Some(InteractionScene::Group));
    assert_eq!(
        interaction
            .chat_type
            .map(qie_model::event::ChatType::to_raw),
        Some(1)
    );
    assert_eq!(interaction.group_openid, Some(GroupOpenid::new(GROUP)));
    assert_eq!(
        interaction.group_member_openid,
        Some(MemberOpenid::new(BOB))
    );
    assert_eq!(
        interaction.data.data_type,
        Some(InteractionType::MessageButton)
    );
    assert_eq!(
        interaction.data.resolved.button_data.as_deref(),
        Some("vote:yes")
    );
    assert_eq!(
        interaction.data.resolved.button_id.as_deref(),
        Some("btn-yes")
    );
    assert_eq!(interaction.version, Some(1));
}

#[test]
fn guild_member_add_fixture() {
    let dispatch = dispatch("dispatch.guild_member_add.json");
    assert_envelope(
        &dispatch,
        "member",
        9,
        "GUILD_MEMBER_ADD:4d0a3b82-7c5f-4e1b-8f26-1a3b5c7d9e02",
    );
    let Event::GuildMemberAdd(member) = &dispatch.event else {
        panic!("expected GUILD_MEMBER_ADD, got {:?}", dispatch.event);
    };

    assert_eq!(member.guild_id, GuildId::new(GUILD));
    assert_eq!(member.user.id, UserId::new("14400000000000002"));
    assert_eq!(member.user.username, "carol_example");
    assert_eq!(member.nick.as_deref(), Some(""));
    assert_eq!(member.roles, [RoleId::new("1")]);
    assert_eq!(member.op_user_id, Some(UserId::new("14400000000000002")));
    assert_eq!(
        member.joined_at,
        Some(Timestamp::from_rfc3339("2026-01-01T12:05:00+08:00"))
    );
}

#[test]
fn group_add_robot_fixture() {
    let dispatch = dispatch("dispatch.group_add_robot.json");
    assert_envelope(
        &dispatch,
        "add robot",
        10,
        "GROUP_ADD_ROBOT:7d1e0c44-2f1a-4d9b-8a55-3c9e0b1f2a6d",
    );
    let Event::GroupAddRobot(event) = &dispatch.event else {
        panic!("expected GROUP_ADD_ROBOT, got {:?}", dispatch.event);
    };

    assert_eq!(event.group_openid, GroupOpenid::new(GROUP));
    assert_eq!(event.op_member_openid, MemberOpenid::new(BOB));
    assert_eq!(event.timestamp, Timestamp::Unix(1_767_240_360));
}

#[test]
fn friend_add_fixture() {
    let dispatch = dispatch("dispatch.friend_add.json");
    assert_envelope(
        &dispatch,
        "friend",
        11,
        "FRIEND_ADD:8e2f1d55-3a2b-4eac-9b66-4daf1c2e3b7e",
    );
    let Event::FriendAdd(event) = &dispatch.event else {
        panic!("expected FRIEND_ADD, got {:?}", dispatch.event);
    };

    assert_eq!(event.openid, UserOpenid::new(C2C_USER));
    assert_eq!(event.timestamp.unix_seconds(), Some(1_767_240_420));
    assert_eq!(event.scene, None);
}

#[test]
fn message_reaction_add_fixture() {
    let dispatch = dispatch("dispatch.message_reaction_add.json");
    assert_envelope(
        &dispatch,
        "reaction",
        12,
        "MESSAGE_REACTION_ADD:9f3a2e66-4b3c-4fbd-ac77-5eb02d3f4c8f",
    );
    let Event::MessageReactionAdd(reaction) = &dispatch.event else {
        panic!("expected MESSAGE_REACTION_ADD, got {:?}", dispatch.event);
    };

    assert_eq!(reaction.user_id, UserId::new(ALICE));
    assert_eq!(reaction.guild_id, GuildId::new(GUILD));
    assert_eq!(reaction.channel_id, ChannelId::new(CHANNEL));
    assert_eq!(
        reaction.target.id,
        "08a1b2c3d4e5f6071829303a4b5c6d7e8f9010203040506070809101112"
    );
    assert_eq!(reaction.target.target_type, ReactionTargetType::Message);
    assert_eq!(reaction.emoji.id, "76");
    assert_eq!(reaction.emoji.emoji_type, EmojiType::System);
}

#[test]
fn message_audit_pass_fixture() {
    let dispatch = dispatch("dispatch.message_audit_pass.json");
    assert_envelope(
        &dispatch,
        "audit",
        13,
        "MESSAGE_AUDIT_PASS:a04b3f77-5c4d-40ce-bd88-6fc13e4a5d90",
    );
    let Event::MessageAuditPass(audit) = &dispatch.event else {
        panic!("expected MESSAGE_AUDIT_PASS, got {:?}", dispatch.event);
    };

    assert_eq!(
        audit.audit_id,
        AuditId::new("0e5c3a1b-7d2f-4b8a-9c61-2f4e6a8b0c13")
    );
    assert_eq!(
        audit.message_id,
        Some(MessageId::new(
            "08a1b2c3d4e5f6071829303a4b5c6d7e8f9010203040506070809101120"
        ))
    );
    assert_eq!(audit.guild_id, Some(GuildId::new(GUILD)));
    assert_eq!(audit.channel_id, Some(ChannelId::new(CHANNEL)));
    assert_eq!(audit.seq_in_channel.as_deref(), Some("120"));
    assert_eq!(
        audit.audit_time,
        Some(Timestamp::from_rfc3339("2026-01-01T12:06:10+08:00"))
    );
    assert_eq!(
        audit.create_time,
        Some(Timestamp::from_rfc3339("2026-01-01T12:06:00+08:00"))
    );
}

#[test]
fn webhook_dispatch_body_parses() {
    let wrapper = fixture_value("webhook.dispatch.request.json");
    let body = wrapper["body_raw"].as_str().unwrap();
    let frame = ServerFrame::from_slice(body.as_bytes()).unwrap();
    let ServerFrame::Dispatch(dispatch) = frame else {
        panic!("expected a dispatch");
    };

    assert_eq!(dispatch.seq, None);
    assert_eq!(
        dispatch.id,
        Some(EventId::new(
            "C2C_MESSAGE_CREATE:0f3c2a9e-1b7d-4c55-9a1e-6d2f8b4c7e10"
        ))
    );
    let Event::C2cMessageCreate(message) = &dispatch.event else {
        panic!("expected C2C_MESSAGE_CREATE, got {:?}", dispatch.event);
    };
    assert_eq!(message.content, "hello bot");
    assert_eq!(
        message.author.user_openid,
        UserOpenid::new("A1B2C3D4E5F60718293A4B5C6D7E8F90")
    );
}

#[test]
fn webhook_validation_body_parses() {
    let wrapper = fixture_value("webhook.validation.request.json");
    let body = wrapper["body_raw"].as_str().unwrap();

    let ServerFrame::CallbackValidation(request) =
        ServerFrame::from_slice(body.as_bytes()).unwrap()
    else {
        panic!("expected op 13");
    };
    assert_eq!(request.plain_token, "Yk3PqR8vL2mN5tW9xA1c");
    assert_eq!(request.event_ts, "1767240001");
}

#[test]
fn channel_send_response_parses_as_message() {
    let message: ChannelMessage =
        serde_json::from_slice(&fixture("rest.post_channel_message.response.json")).unwrap();

    assert_eq!(
        message.id,
        MessageId::new("08a1b2c3d4e5f6071829303a4b5c6d7e8f9010203040506070809101121")
    );
    assert_eq!(message.author.id, UserId::new(BOT_USER_ID));
    assert!(message.author.bot);
    assert_eq!(message.author.avatar.as_deref(), Some(""));
    assert_eq!(
        message.content,
        "<@!14400000000000001> Shenzhen: 24°C, light rain"
    );
    assert_eq!(message.embeds.len(), 1);
    assert_eq!(message.seq_in_channel.as_deref(), Some("121"));
    assert_eq!(unescape(&message.content), message.content);
}

#[test]
fn event_types_are_unique_and_mapped_to_intents() {
    let names: std::collections::HashSet<&str> =
        EventType::ALL.iter().map(|kind| kind.name()).collect();
    assert_eq!(names.len(), EventType::ALL.len());
    // 57 documented dispatch types plus READY and RESUMED.
    assert_eq!(EventType::ALL.len(), 59);

    let table = [
        ("READY", Intents::empty()),
        ("RESUMED", Intents::empty()),
        ("GUILD_CREATE", Intents::GUILDS),
        ("CHANNEL_DELETE", Intents::GUILDS),
        ("GUILD_MEMBER_UPDATE", Intents::GUILD_MEMBERS),
        ("MESSAGE_CREATE", Intents::GUILD_MESSAGES),
        ("MESSAGE_DELETE", Intents::GUILD_MESSAGES),
        ("MESSAGE_REACTION_REMOVE", Intents::GUILD_MESSAGE_REACTIONS),
        ("DIRECT_MESSAGE_DELETE", Intents::DIRECT_MESSAGE),
        ("OPEN_FORUM_REPLY_DELETE", Intents::OPEN_FORUMS_EVENT),
        (
            "AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT",
            Intents::AUDIO_OR_LIVE_CHANNEL_MEMBER,
        ),
        ("ENTER_AIO", Intents::ENTER_AIO),
        ("GROUP_MEMBER_REMOVE", Intents::GROUP_MEMBERS),
        ("GROUP_MESSAGE_CREATE", Intents::GROUP_AND_C2C_EVENT),
        ("GROUP_JOIN_REQUEST", Intents::GROUP_AND_C2C_EVENT),
        ("C2C_MSG_RECEIVE", Intents::GROUP_AND_C2C_EVENT),
        ("INTERACTION_CREATE", Intents::INTERACTION),
        ("MESSAGE_AUDIT_REJECT", Intents::MESSAGE_AUDIT),
        ("FORUM_PUBLISH_AUDIT_RESULT", Intents::FORUMS_EVENT),
        ("AUDIO_OFF_MIC", Intents::AUDIO_ACTION),
        ("AT_MESSAGE_CREATE", Intents::PUBLIC_GUILD_MESSAGES),
        ("PUBLIC_MESSAGE_DELETE", Intents::PUBLIC_GUILD_MESSAGES),
    ];
    for (name, intents) in table {
        let kind = EventType::from_name(name).unwrap_or_else(|| panic!("{name} is not typed"));
        assert_eq!(kind.intents(), intents, "{name}");
    }
}
