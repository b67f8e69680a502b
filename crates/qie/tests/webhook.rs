//! The webhook transport end to end: the emulator validates the callback, signs and POSTs
//! events, and the bot replies through the OpenAPI as it does over the gateway.

#![cfg(feature = "webhook")]

use std::time::Duration;

use qie::webhook::{Server, Webhook};
use qie::{Bot, Config, Context, Message};
use qie_emulator::control::UserMessage;
use qie_emulator::webhook::{WebhookFault, WebhookRegistration, WebhookSettings};
use qie_emulator::{Emulator, EmulatorHandle, SentMessage};
use qie_model::id::AppId;
use qie_model::secret::AppSecret;
use tokio::task::JoinHandle;

const WAIT: Duration = Duration::from_secs(10);
const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
const C2C_USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";
const CHANNEL: &str = "5550001";

/// Starts the emulator, an echo bot fed by a webhook receiver, and registers the callback.
async fn start() -> (EmulatorHandle, Webhook, qie::BotHandle, JoinHandle<()>) {
    let emulator = Emulator::builder().start().await.expect("emulator starts");
    let world_bot = emulator.bot();
    let config = Config::new(
        AppId::new(world_bot.app_id.clone()),
        AppSecret::new(world_bot.secret),
    )
    .with_api_base(&emulator.base_url());

    let bot = Bot::builder()
        .on_any_message(|ctx: Context, message: Message| async move {
            ctx.reply(format!("echo: {}", message.text())).await?;
            Ok(())
        })
        .build(&config)
        .expect("bot builds");
    let handle = bot.handle();
    let (webhook, events) = Webhook::builder()
        .bot(config.app_id.clone(), config.secret.clone())
        .build()
        .expect("receiver builds");
    let server = Server::builder("127.0.0.1:0".parse().expect("address"))
        .serve(webhook.router("/qq/webhook").expect("path"))
        .await
        .expect("server binds");
    let url = format!("http://{}/qq/webhook", server.local_addr());
    tokio::spawn(server.run());
    let task = tokio::spawn(bot.run_webhook(events, std::future::pending()));

    let mut settings = WebhookSettings::default();
    settings.backoff = vec![Duration::from_millis(10)];
    emulator
        .register_webhook(WebhookRegistration::new(url).settings(settings))
        .await
        .expect("callback validates");

    (emulator, webhook, handle, task)
}

/// Waits for the bot's replies to `msg_id`.
async fn replies_to(emulator: &EmulatorHandle, msg_id: &str) -> Vec<SentMessage> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let replies: Vec<SentMessage> = emulator
            .sent(None, None)
            .into_iter()
            .filter(|sent| sent.msg_id.as_deref() == Some(msg_id))
            .collect();
        if !replies.is_empty() || tokio::time::Instant::now() > deadline {
            return replies;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn webhook_bot_replies_in_every_scene() {
    let (emulator, _webhook, handle, _task) = start().await;
    let messages = [
        UserMessage::group_at(GROUP, "hello group"),
        UserMessage::c2c(C2C_USER, "hello c2c"),
        UserMessage::guild_at(CHANNEL, "hello guild"),
    ];

    for message in &messages {
        let injected = emulator.inject_message(message).expect("message injected");
        let msg_id = injected.msg_id.expect("a message id");
        let replies = replies_to(&emulator, &msg_id).await;

        assert_eq!(replies.len(), 1, "{:?}", message.scene);
        let content = replies[0].content.as_deref().unwrap_or_default();
        assert!(content.starts_with("echo: hello"), "{content:?}");
        assert!(!content.contains("<@"), "mention left in {content:?}");
    }
    assert!(handle.ready().await);
}

#[tokio::test]
async fn replayed_webhook_event_is_answered_once() {
    let (emulator, webhook, _handle, _task) = start().await;
    emulator
        .arm_webhook_fault(None, WebhookFault::Replay, 1)
        .expect("fault armed");

    let injected = emulator
        .inject_message(&UserMessage::c2c(C2C_USER, "once"))
        .expect("message injected");
    emulator
        .wait_for_webhook_deliveries(None, 1, WAIT)
        .await
        .expect("delivery finishes");
    let msg_id = injected.msg_id.expect("a message id");
    let replies = replies_to(&emulator, &msg_id).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    assert_eq!(replies.len(), 1);
    assert_eq!(emulator.sent(None, None).len(), 1);
    assert_eq!(webhook.stats().duplicates, 1);
}

#[tokio::test]
async fn webhook_bot_stops_on_shutdown() {
    let (_emulator, _webhook, handle, task) = start().await;
    assert!(handle.ready().await);

    handle.shutdown();
    tokio::time::timeout(WAIT, task)
        .await
        .expect("the bot stops within the wait")
        .expect("the bot task does not panic");

    assert_eq!(handle.status(), qie::Status::Stopped);
}
