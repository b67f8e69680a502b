//! End-to-end runs against the qie emulator, an independent implementation of the platform.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use bytes::Bytes;
use qie_emulator::control::UserMessage;
use qie_emulator::{Conversation, Emulator, EmulatorHandle};
use qie_http::reply::ReplyContext;
use qie_http::{Client, HttpConfig};
use qie_model::id::{AppId, ChannelId, GroupOpenid, MessageId};
use qie_model::media::FileType;
use qie_model::secret::AppSecret;

const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";

async fn start() -> (EmulatorHandle, Client) {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = HttpConfig::with_base_url(&emulator.base_url())
        .unwrap()
        .use_env_proxy(false);
    let client = Client::builder(
        AppId::new("102000001"),
        AppSecret::new("ExampleBotSecret01"),
    )
    .config(config)
    .build()
    .unwrap();

    (emulator, client)
}

#[tokio::test]
async fn token_gateway_and_profile() {
    let (emulator, client) = start().await;

    let gateway = client.get_gateway_bot().await.unwrap();
    let me = client.get_current_user().await.unwrap();

    assert!(
        gateway.url.starts_with("ws://127.0.0.1:"),
        "{}",
        gateway.url
    );
    assert!(gateway.shards >= 1);
    assert!(gateway.session_start_limit.max_concurrency >= 1);
    assert_eq!(me.username, "ExampleBot");
    emulator.shutdown().await;
}

#[tokio::test]
async fn group_replies_are_numbered() {
    let (emulator, client) = start().await;
    let injected = emulator
        .inject_message(&UserMessage::group_at(GROUP, "roll"))
        .unwrap();
    let msg_id = injected.msg_id.unwrap();
    let context = ReplyContext::group(GroupOpenid::new(GROUP), MessageId::new(msg_id.clone()));

    let first = client.reply(&context).content("Rolling…").await.unwrap();
    let second = client
        .reply(&context)
        .content("You rolled 17.")
        .await
        .unwrap();

    assert_eq!(first.msg_seq, Some(1));
    assert_eq!(second.msg_seq, Some(2));
    let sent = emulator
        .wait_for_sent(
            &Conversation::Group(GROUP.to_owned()),
            2,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(sent[0].msg_seq, Some(1));
    assert_eq!(sent[1].msg_seq, Some(2));
    assert_eq!(sent[1].msg_id.as_deref(), Some(msg_id.as_str()));
    assert_eq!(sent[1].content.as_deref(), Some("You rolled 17."));
    assert_eq!(second.message.id.as_str(), sent[1].id);
    emulator.shutdown().await;
}

#[tokio::test]
async fn reused_seq_is_resequenced() {
    let (emulator, client) = start().await;
    let injected = emulator
        .inject_message(&UserMessage::group_at(GROUP, "hi"))
        .unwrap();
    let msg_id = MessageId::new(injected.msg_id.unwrap());

    // Another sender already used msg_seq 1 for this message.
    client
        .create_group_message(GroupOpenid::new(GROUP))
        .content("from elsewhere")
        .reply_to(msg_id.clone(), 1)
        .await
        .unwrap();
    let context = ReplyContext::group(GroupOpenid::new(GROUP), msg_id);
    let sent = client.reply(&context).content("hello").await.unwrap();

    assert_eq!(sent.msg_seq, Some(2));
    emulator.shutdown().await;
}

#[tokio::test]
async fn proactive_send_returns_platform_error() {
    let (emulator, client) = start().await;

    let error = client
        .create_group_message(GroupOpenid::new(GROUP))
        .content("unsolicited")
        .await
        .unwrap_err();

    let api = error.api().unwrap();
    assert_eq!(api.status().as_u16(), 400);
    assert!(
        matches!(api.code(), Some(40_034_105 | 40_034_102)),
        "unexpected code {:?}",
        api.code()
    );
    assert!(api.trace_id().is_some());
    emulator.shutdown().await;
}

#[tokio::test]
async fn chunked_upload_then_media_reply() {
    let (emulator, client) = start().await;
    let injected = emulator
        .inject_message(&UserMessage::group_at(GROUP, "picture please"))
        .unwrap();
    let context = ReplyContext::group(
        GroupOpenid::new(GROUP),
        MessageId::new(injected.msg_id.unwrap()),
    );
    let image = Bytes::from(
        (0..40_000u32)
            .map(|index| (index % 251) as u8)
            .collect::<Vec<_>>(),
    );

    let uploaded = client
        .upload_group_file_chunked(GroupOpenid::new(GROUP), FileType::Image, "dice.png", image)
        .await
        .unwrap();
    client
        .reply(&context)
        .media(&uploaded.file_info)
        .await
        .unwrap();

    let sent = emulator
        .wait_for_sent(
            &Conversation::Group(GROUP.to_owned()),
            1,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(sent[0].msg_type, Some(7));
    assert_eq!(
        sent[0].media.as_ref().unwrap()["file_info"],
        uploaded.file_info.as_str()
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn channel_image_upload() {
    let (emulator, client) = start().await;
    let injected = emulator
        .inject_message(&UserMessage::guild_at("5550001", "weather"))
        .unwrap();

    client
        .create_message(ChannelId::new("5550001"))
        .content("Shenzhen: 24°C")
        .file_image(vec![7u8; 1000], "map.png")
        .reply_to(MessageId::new(injected.msg_id.unwrap()))
        .await
        .unwrap();

    let sent = emulator
        .wait_for_sent(
            &Conversation::Channel("5550001".to_owned()),
            1,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(sent[0].file_image_len, Some(1000));
    assert_eq!(sent[0].content.as_deref(), Some("Shenzhen: 24°C"));
    emulator.shutdown().await;
}
