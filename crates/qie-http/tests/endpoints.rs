//! Wire shapes of a sample of endpoints: method, path, query, headers, body and response.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Log, fixture, json_response, platform};
use qie_http::ErrorKind;
use qie_http::model::{Panel, PanelItem, PanelScope};
use qie_model::event::{Emoji, EmojiType};
use qie_model::id::{
    ChannelId, GroupOpenid, GuildId, InteractionId, MessageId, RoleId, UserId, UserOpenid,
};
use qie_model::media::{FileType, UploadMediaRequest};
use qie_model::message::OpenMessage;
use reqwest::Method;

fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

#[tokio::test]
async fn headers_carry_token_appid_and_agent() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, r#"{"id":"11223344556677889900","username":"ExampleBot","bot":true,"share_url":"https://qun.qq.com/x"}"#)
    })
    .await;
    let client = common::client(&base);

    let me = client.get_current_user().await.unwrap();

    assert_eq!(me.username, "ExampleBot");
    assert_eq!(me.share_url.as_deref(), Some("https://qun.qq.com/x"));
    let seen = &log.all()[0];
    assert_eq!(seen.method, Method::GET);
    assert_eq!(seen.path, "/users/@me");
    assert_eq!(seen.header("authorization"), Some("QQBot token-1"));
    assert_eq!(seen.header("x-union-appid"), Some("102000001"));
    assert!(seen.header("user-agent").unwrap().starts_with("qie-http/"));
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(200, "[]")).await;
    let client = common::client(&format!("{base}/proxy/qq"));

    let guilds = client
        .get_current_user_guilds()
        .after(GuildId::new("7010203040506070801"))
        .limit(50)
        .await
        .unwrap();

    assert!(guilds.is_empty());
    let seen = &log.all()[0];
    assert_eq!(seen.path, "/proxy/qq/users/@me/guilds");
    assert_eq!(
        seen.query.as_deref(),
        Some("after=7010203040506070801&limit=50")
    );
}

#[tokio::test]
async fn group_message_body_matches_fixture() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_group_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let prepared: OpenMessage =
        serde_json::from_str(&fixture("rest.post_group_message.request.json")).unwrap();

    let sent = client
        .create_group_message(GroupOpenid::new("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4"))
        .message(prepared)
        .await
        .unwrap();

    assert_eq!(
        sent.ext_info.unwrap().ref_idx.as_deref(),
        Some("REFIDX_EXAMPLEbotIdx0006==")
    );
    let seen = &log.all()[0];
    assert_eq!(
        seen.path,
        "/v2/groups/6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4/messages"
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        fixture_json("rest.post_group_message.request.json")
    );
}

#[tokio::test]
async fn c2c_reply_body_matches_fixture() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_c2c_message.response.json"))
    })
    .await;
    let client = common::client(&base);

    client
        .create_c2c_message(UserOpenid::new("3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C"))
        .content("It is 12:03.")
        .reply_to(
            MessageId::new("ROBOT1.0_Xq3vExampl3C2cMsgId0001AbCdEfGhIjKlMnOpQrSt.Uv!"),
            1,
        )
        .await
        .unwrap();

    assert_eq!(
        log.all()[0].json(),
        fixture_json("rest.post_c2c_message.request.json")
    );
}

#[tokio::test]
async fn media_message_and_file_upload_match_fixtures() {
    let log = Log::default();
    let base = platform(log.clone(), |seen| {
        if seen.path.ends_with("/files") {
            return json_response(200, fixture("rest.post_group_files.response.json"));
        }
        json_response(200, fixture("rest.post_group_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let group = GroupOpenid::new("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4");

    let uploaded = client
        .create_group_file(
            group.clone(),
            UploadMediaRequest::from_url(
                FileType::Image,
                "https://static.example.com/images/dice-17.png",
            ),
        )
        .await
        .unwrap();
    assert_eq!(uploaded.ttl, 86400);

    let prepared: OpenMessage =
        serde_json::from_str(&fixture("rest.post_group_media_message.request.json")).unwrap();
    assert_eq!(
        prepared.media.as_ref().unwrap().file_info,
        uploaded.file_info
    );
    client
        .create_group_message(group)
        .message(prepared)
        .await
        .unwrap();

    let seen = log.all();
    assert_eq!(
        seen[0].json(),
        fixture_json("rest.post_group_files.request.json")
    );
    assert_eq!(
        seen[1].json(),
        fixture_json("rest.post_group_media_message.request.json")
    );
}

#[tokio::test]
async fn base64_upload_sends_file_data() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_group_files.response.json"))
    })
    .await;
    let client = common::client(&base);

    client
        .create_c2c_file(
            UserOpenid::new("U"),
            qie_http::request::file::file_data_request(FileType::Voice, b"silk-bytes"),
        )
        .await
        .unwrap();

    let body = log.all()[0].json();
    assert_eq!(body["file_type"], 3);
    assert_eq!(body["file_data"], "c2lsay1ieXRlcw==");
    assert_eq!(body["srv_send_msg"], false);
    assert!(body.get("url").is_none());
}

#[tokio::test]
async fn interaction_ack_matches_fixture() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(200, "")).await;
    let client = common::client(&base);

    client
        .acknowledge_interaction(InteractionId::new("e7b7e0a6-1111"))
        .await
        .unwrap();

    let seen = &log.all()[0];
    assert_eq!(seen.method, Method::PUT);
    assert_eq!(seen.path, "/interactions/e7b7e0a6-1111");
    assert_eq!(
        seen.json(),
        fixture_json("rest.put_interaction.request.json")
    );
}

#[tokio::test]
async fn unicode_reaction_is_percent_encoded() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(204, "")).await;
    let client = common::client(&base);
    let emoji: Emoji = serde_json::from_str(r#"{"id":"🔥","type":2}"#).unwrap();
    assert_eq!(emoji.emoji_type, EmojiType::Unicode);

    client
        .create_reaction(ChannelId::new("5550001"), MessageId::new("08a1"), emoji)
        .await
        .unwrap();

    assert_eq!(
        log.all()[0].path,
        "/channels/5550001/messages/08a1/reactions/2/%F0%9F%94%A5"
    );
}

#[tokio::test]
async fn channel_image_upload_is_multipart() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_channel_message.response.json"))
    })
    .await;
    let client = common::client(&base);

    client
        .create_message(ChannelId::new("5550001"))
        .content("dice")
        .file_image(b"\x89PNG-bytes".to_vec(), "dice.png")
        .reply_to(MessageId::new("08a1"))
        .await
        .unwrap();

    let seen = &log.all()[0];
    assert!(
        seen.header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let body = String::from_utf8_lossy(&seen.body);
    assert!(body.contains("name=\"content\""), "{body}");
    assert!(body.contains("dice"));
    assert!(body.contains("name=\"msg_id\""));
    assert!(body.contains("name=\"file_image\"; filename=\"dice.png\""));
    assert!(body.contains("Content-Type: image/png"));
    assert!(body.contains("PNG-bytes"));
}

#[tokio::test]
async fn mute_and_role_bodies() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(204, "")).await;
    let client = common::client(&base);
    let guild = GuildId::new("7010203040506070801");

    client.mute_guild(guild.clone()).duration(60).await.unwrap();
    client
        .mute_guild_member(guild.clone(), UserId::new("144"))
        .until(1_800_000_000)
        .await
        .unwrap();
    client
        .add_guild_member_role(guild.clone(), UserId::new("144"), RoleId::new("5"))
        .channel(ChannelId::new("5550001"))
        .await
        .unwrap();
    let error = client
        .add_guild_member_role(guild, UserId::new("144"), RoleId::new("5"))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Validation { .. }),
        "{error:?}"
    );

    let seen = log.all();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].method, Method::PATCH);
    assert_eq!(seen[0].json(), serde_json::json!({"mute_seconds": "60"}));
    assert_eq!(seen[1].path, "/guilds/7010203040506070801/members/144/mute");
    assert_eq!(
        seen[1].json(),
        serde_json::json!({"mute_end_timestamp": "1800000000"})
    );
    assert_eq!(
        seen[2].json(),
        serde_json::json!({"channel": {"id": "5550001"}})
    );
}

#[tokio::test]
async fn get_message_accepts_wrapped_and_bare() {
    let bare = fixture("rest.post_channel_message.response.json");
    let wrapped = format!(r#"{{"message":{bare}}}"#);
    let log = Log::default();
    let base = platform(log.clone(), move |seen| {
        if seen.path.ends_with("/wrapped") {
            return json_response(200, wrapped.clone());
        }
        json_response(200, bare.clone())
    })
    .await;
    let client = common::client(&base);

    for id in ["wrapped", "bare"] {
        let message = client
            .get_message(ChannelId::new("5550001"), MessageId::new(id))
            .await
            .unwrap();
        assert_eq!(message.author.username, "ExampleBot", "{id}");
    }
}

#[tokio::test]
async fn raw_request_goes_through_the_client() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(200, r#"{"answer":42}"#)).await;
    let client = common::client(&base);

    let response = client
        .request(Method::POST, "/v2/new_api/abc?mode=fast")
        .route("/v2/new_api/{id}")
        .query("page", "2")
        .json(&serde_json::json!({"hello": "world"}))
        .await
        .unwrap();

    let answer: serde_json::Value = response.json().unwrap();
    assert_eq!(answer["answer"], 42);
    assert_eq!(
        response.trace_id.as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
    let seen = &log.all()[0];
    assert_eq!(seen.path, "/v2/new_api/abc");
    assert_eq!(seen.query.as_deref(), Some("mode=fast&page=2"));
    assert_eq!(seen.header("authorization"), Some("QQBot token-1"));
    assert_eq!(seen.json(), serde_json::json!({"hello": "world"}));
}

#[tokio::test]
async fn stream_chunks_carry_stream_fields() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(
            200,
            r#"{"id":"STREAM1","timestamp":"2026-01-01T12:00:00+08:00","remain_msg_len":1990}"#,
        )
    })
    .await;
    let client = common::client(&base);
    let user = UserOpenid::new("U");
    let msg_id = MessageId::new("ROBOT1.0_x");

    let first = client
        .create_c2c_stream_message(
            user.clone(),
            0,
            "Think",
            qie_http::model::StreamInputState::Generating,
        )
        .reply_to(msg_id.clone(), 3)
        .await
        .unwrap();
    assert_eq!(first.remain_msg_len, Some(1990));

    let error = client
        .create_c2c_stream_message(
            user.clone(),
            1,
            "Thinking",
            qie_http::model::StreamInputState::Finished,
        )
        .reply_to(msg_id, 3)
        .await
        .unwrap_err();
    assert!(error.to_string().contains(".stream(id)"), "{error}");

    let body = log.all()[0].json();
    assert_eq!(
        body,
        serde_json::json!({
            "input_mode": "replace",
            "input_state": 1,
            "index": 0,
            "content_type": "markdown",
            "content_raw": "Think",
            "msg_id": "ROBOT1.0_x",
            "msg_seq": 3
        })
    );
    assert_eq!(log.all().len(), 1);
}

#[tokio::test]
async fn panel_limits_are_checked_before_sending() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(200, r#"{"panel_id":"P1"}"#)).await;
    let client = common::client(&base);

    let created = client
        .create_panel(PanelScope::Group, Panel::new([PanelItem::command("/help")]))
        .groups(vec![GroupOpenid::new("G1")])
        .await
        .unwrap();
    assert_eq!(created.panel_id, "P1");

    let error = client
        .create_panel(
            PanelScope::Channel,
            Panel::new([PanelItem::command("/help")]),
        )
        .groups(vec![GroupOpenid::new("G1")])
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("only c2c and group panels"),
        "{error}"
    );

    let body = log.all()[0].json();
    assert_eq!(body["scope"], "group");
    assert_eq!(body["target_type"], "specific");
    assert_eq!(body["group_openids"], serde_json::json!(["G1"]));
    assert_eq!(body["panel"]["items"][0]["type"], "command");
    assert_eq!(log.all().len(), 1);
}

#[tokio::test]
async fn schedules_send_since_as_body() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(200, "[]")).await;
    let client = common::client(&base);

    client
        .get_schedules(ChannelId::new("1"))
        .since(1_700_000_000_000)
        .await
        .unwrap();
    client.get_schedules(ChannelId::new("1")).await.unwrap();

    let seen = log.all();
    assert_eq!(
        seen[0].json(),
        serde_json::json!({"since": 1_700_000_000_000_u64})
    );
    assert!(seen[1].body.is_empty());
}
