//! Passive replies: msg_seq numbering, re-sequencing on 40054005, windows and reply counts.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Log, error_response, fixture, json_response, platform};
use qie_http::ErrorKind;
use qie_http::reply::{ReplyContext, ReplyTarget, Scene};
use qie_model::id::{ChannelId, EventId, GroupOpenid, MessageId, UserOpenid};

const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
const USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";
const MSG_ID: &str = "ROBOT1.0_Gp7kExampl3GroupMsgId0002IjKlMnOpQrStUvWxYz.AbCd!";

fn group_context() -> ReplyContext {
    ReplyContext::group(GroupOpenid::new(GROUP), MessageId::new(MSG_ID))
}

fn c2c_context() -> ReplyContext {
    ReplyContext::c2c(UserOpenid::new(USER), MessageId::new(MSG_ID))
}

fn seqs(log: &Log, path: &str) -> Vec<u64> {
    log.with_path(path)
        .iter()
        .map(|seen| seen.json()["msg_seq"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn three_replies_use_seq_one_two_three() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_group_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = group_context();

    for text in ["one", "two", "three"] {
        let sent = client.reply(&context).content(text).await.unwrap();
        assert_eq!(
            sent.message.id.as_str(),
            "ROBOT1.0_Bt9wExampl3BotGroupReply0006AbCdEfGhIjKlMnOp.Qr!"
        );
    }

    let path = format!("/v2/groups/{GROUP}/messages");
    assert_eq!(seqs(&log, &path), [1, 2, 3]);
    let bodies: Vec<_> = log
        .with_path(&path)
        .iter()
        .map(common::Seen::json)
        .collect();
    assert_eq!(bodies[0]["msg_id"], MSG_ID);
    assert_eq!(bodies[0]["msg_type"], 0);
    assert_eq!(bodies[2]["content"], "three");
    assert_eq!(context.replies(), 3);
}

#[tokio::test]
async fn duplicate_seq_is_resent_with_next() {
    let log = Log::default();
    let base = platform(log.clone(), |seen| {
        if seen.json()["msg_seq"] == 1 {
            return json_response(400, fixture("rest.error.msg_seq_duplicate.response.json"));
        }
        json_response(200, fixture("rest.post_c2c_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = c2c_context();

    let sent = client.reply(&context).content("hello").await.unwrap();

    assert_eq!(sent.msg_seq, Some(2));
    let path = format!("/v2/users/{USER}/messages");
    assert_eq!(seqs(&log, &path), [1, 2]);

    client.reply(&context).content("again").await.unwrap();
    assert_eq!(seqs(&log, &path), [1, 2, 3]);
    assert_eq!(context.replies(), 2);
}

#[tokio::test]
async fn second_duplicate_is_returned() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(400, fixture("rest.error.msg_seq_duplicate.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = group_context();

    let error = client.reply(&context).content("hello").await.unwrap_err();

    assert_eq!(error.code(), Some(40_054_005));
    assert_eq!(
        seqs(&log, &format!("/v2/groups/{GROUP}/messages")),
        [1, 2],
        "one re-sequenced attempt only"
    );
    assert_eq!(context.replies(), 0, "a rejected reply is given back");
}

#[tokio::test(start_paused = true)]
async fn window_rejects_old_group_message() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_group_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = group_context();

    tokio::time::advance(Duration::from_secs(301)).await;
    let error = client.reply(&context).content("late").await.unwrap_err();

    let ErrorKind::ReplyWindowExpired { scene, age, window } = error.kind() else {
        panic!("expected an expired window, got {error:?}");
    };
    assert_eq!(*scene, Scene::Group);
    assert_eq!(*window, Duration::from_secs(300));
    assert!(*age >= Duration::from_secs(301));
    assert!(log.all().is_empty(), "nothing may be sent after the window");
}

#[tokio::test(start_paused = true)]
async fn c2c_window_is_an_hour() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_c2c_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = c2c_context();

    tokio::time::advance(Duration::from_secs(30 * 60)).await;
    client.reply(&context).content("still fine").await.unwrap();

    tokio::time::advance(Duration::from_secs(30 * 60 + 1)).await;
    let error = client
        .reply(&context)
        .content("too late")
        .await
        .unwrap_err();

    assert!(
        matches!(
            error.kind(),
            ErrorKind::ReplyWindowExpired {
                scene: Scene::C2c,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(log.all().len(), 1);
}

#[tokio::test]
async fn c2c_reply_count_is_four() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_c2c_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = c2c_context();

    for index in 0..4 {
        client
            .reply(&context)
            .content(&format!("reply {index}"))
            .await
            .unwrap();
    }
    let error = client.reply(&context).content("fifth").await.unwrap_err();

    assert!(
        matches!(
            error.kind(),
            ErrorKind::ReplyLimitReached {
                scene: Scene::C2c,
                limit: 4
            }
        ),
        "{error:?}"
    );
    assert_eq!(log.all().len(), 4, "the fifth reply is not sent");
}

#[tokio::test]
async fn typing_notice_takes_seq_not_budget() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_c2c_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = c2c_context();

    client.reply(&context).typing(30).await.unwrap();
    client.reply(&context).content("answer").await.unwrap();

    let bodies: Vec<_> = log.all().iter().map(common::Seen::json).collect();
    assert_eq!(bodies[0]["msg_type"], 6);
    assert_eq!(bodies[0]["input_notify"]["input_second"], 30);
    assert_eq!(bodies[0]["msg_seq"], 1);
    assert_eq!(bodies[1]["msg_seq"], 2);
    assert_eq!(context.replies(), 1);
}

#[tokio::test]
async fn event_anchor_sends_event_id() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_group_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = ReplyContext::event(
        ReplyTarget::Group(GroupOpenid::new(GROUP)),
        EventId::new("GROUP_ADD_ROBOT:abc"),
    );

    client
        .reply(&context)
        .content("thanks for adding me")
        .await
        .unwrap();

    let body = log.all()[0].json();
    assert_eq!(body["event_id"], "GROUP_ADD_ROBOT:abc");
    assert!(body.get("msg_id").is_none());
    assert_eq!(body["msg_seq"], 1);
}

#[tokio::test]
async fn channel_reply_has_msg_id_without_seq() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        json_response(200, fixture("rest.post_channel_message.response.json"))
    })
    .await;
    let client = common::client(&base);
    let context = ReplyContext::channel(
        ChannelId::new("5550001"),
        MessageId::new("08a1b2c3d4e5f6071829303a4b5c6d7e8f9010203040506070809101112"),
    );

    let sent = client
        .reply(&context)
        .content("<@!14400000000000001> Shenzhen: 24°C, light rain")
        .await
        .unwrap();

    assert_eq!(sent.msg_seq, None);
    assert_eq!(
        sent.message.id.as_str(),
        "08a1b2c3d4e5f6071829303a4b5c6d7e8f9010203040506070809101121"
    );
    let seen = &log.all()[0];
    assert_eq!(seen.path, "/channels/5550001/messages");
    let expected: serde_json::Value =
        serde_json::from_str(&fixture("rest.post_channel_message.request.json")).unwrap();
    assert_eq!(seen.json(), expected);
}

#[tokio::test]
async fn scene_mismatch_is_a_validation_error() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(200, "{}")).await;
    let client = common::client(&base);

    let error = client
        .reply(&group_context())
        .image("https://example.com/a.png")
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Validation { .. }),
        "{error:?}"
    );

    let error = client
        .reply(&ReplyContext::channel(
            ChannelId::new("1"),
            MessageId::new("m"),
        ))
        .media("FILEINFO")
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Validation { .. }),
        "{error:?}"
    );

    let error = client.reply(&group_context()).await.unwrap_err();
    assert!(error.to_string().contains("empty"), "{error}");

    assert!(log.all().is_empty());
}

#[tokio::test]
async fn expired_anchor_error_is_typed() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        error_response(400, 40_034_005, "回复消息msg_id已过期")
    })
    .await;
    let client = common::client(&base);
    let context = group_context();

    let error = client.reply(&context).content("hi").await.unwrap_err();

    assert_eq!(error.code(), Some(40_034_005));
    assert_eq!(
        error.api().unwrap().class(),
        qie_http::codes::CodeClass::ReplyExpired
    );
    assert_eq!(
        log.all().len(),
        1,
        "no automatic fallback to a proactive send"
    );
    assert!(log.all()[0].json().get("msg_id").is_some());
}
