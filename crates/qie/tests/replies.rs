//! End to end on the emulator: replies land in the conversation of the message, with the right
//! `msg_id`, `event_id` and `msg_seq`, and failures are typed and logged.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Logs, Running, WAIT, fixture, start};
use qie::{Bot, Context, Message, Reply};
use qie_emulator::control::{Click, UserMessage};
use qie_emulator::{Conversation, SentMessage};
use qie_model::event::strip_leading_mention;
use tokio::sync::Mutex;

/// A bot that answers every message it receives with `echo: {text}`.
fn echo_bot() -> qie::BotBuilder {
    Bot::builder().on_any_message(|ctx: Context, message: Message| async move {
        ctx.reply(format!("echo: {}", message.text())).await?;
        Ok(())
    })
}

/// The user message of a dispatch fixture, played by the emulator: same scene, target, author
/// and text.
fn user_message(name: &str) -> (UserMessage, Conversation) {
    let frame = fixture(name);
    let d = &frame["d"];
    let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
    let content = d["content"].as_str().unwrap_or_default();

    match frame["t"].as_str().unwrap_or_default() {
        "AT_MESSAGE_CREATE" => (
            // The emulator writes the bot mention itself.
            UserMessage::guild_at(
                text("channel_id"),
                strip_leading_mention(content, "11223344556677889900"),
            )
            .author(d["author"]["id"].as_str().unwrap_or_default()),
            Conversation::Channel(text("channel_id")),
        ),
        "MESSAGE_CREATE" => (
            UserMessage::guild(text("channel_id"), content)
                .author(d["author"]["id"].as_str().unwrap_or_default()),
            Conversation::Channel(text("channel_id")),
        ),
        "DIRECT_MESSAGE_CREATE" => (
            UserMessage::dm(text("guild_id"), content),
            Conversation::Dm(text("guild_id")),
        ),
        "GROUP_AT_MESSAGE_CREATE" => (
            UserMessage::group_at(text("group_openid"), content.trim_start()),
            Conversation::Group(text("group_openid")),
        ),
        "C2C_MESSAGE_CREATE" => (
            // The fixture is a voice message with empty text; the bot needs some text to echo.
            UserMessage::c2c(
                d["author"]["user_openid"].as_str().unwrap_or_default(),
                "hello",
            ),
            Conversation::C2c(
                d["author"]["user_openid"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
        ),
        other => panic!("{name} is not a user message fixture: {other}"),
    }
}

/// Checks that one reply answered `msg_id` in `conversation` with `msg_seq` as the scene needs.
fn assert_one_reply(scene: &str, replies: &[SentMessage], conversation: &Conversation) {
    assert_eq!(
        replies.len(),
        1,
        "{scene}: one reply expected, got {replies:?}"
    );
    let reply = &replies[0];
    assert_eq!(
        &reply.conversation, conversation,
        "{scene}: wrong conversation"
    );
    assert!(reply.passive, "{scene}: reply must be passive");
    assert!(
        reply
            .content
            .as_deref()
            .is_some_and(|text| text.starts_with("echo: ")),
        "{scene}: content {:?}",
        reply.content
    );
    match conversation {
        Conversation::Group(_) | Conversation::C2c(_) => {
            assert_eq!(
                reply.msg_seq,
                Some(1),
                "{scene}: first reply carries msg_seq 1"
            );
        }
        _ => assert_eq!(reply.msg_seq, None, "{scene}: guild sends carry no msg_seq"),
    }
}

#[tokio::test]
async fn every_scene_reply_lands_in_its_conversation() {
    let running = start(echo_bot()).await;

    for name in [
        "dispatch.at_message_create.json",
        "dispatch.message_create.json",
        "dispatch.direct_message_create.json",
        "dispatch.group_at_message_create.json",
        "dispatch.c2c_message_create.json",
    ] {
        let (message, conversation) = user_message(name);
        let injected = running.emulator.inject_message(&message).expect(name);
        let msg_id = injected.msg_id.clone().expect("injected message has an id");

        let replies = running.replies_to(&msg_id, 1).await;
        assert_one_reply(name, &replies, &conversation);
    }

    running.stop().await.expect("bot stops cleanly");
}

#[tokio::test]
async fn group_message_without_mention_is_answered() {
    let running = start(echo_bot()).await;

    // The full group delivers every message (GROUP_MESSAGE_CREATE), as in the fixture.
    let frame = fixture("dispatch.group_message_create.json");
    let content = frame["d"]["content"].as_str().unwrap_or_default();
    let injected = running
        .emulator
        .inject_message(&UserMessage::group("full-group", content))
        .expect("group message");
    assert_eq!(injected.event_types, ["GROUP_MESSAGE_CREATE"]);
    let msg_id = injected.msg_id.expect("message id");

    let replies = running.replies_to(&msg_id, 1).await;
    let world = running.emulator.world();
    let group = world
        .groups
        .iter()
        .find(|group| group.key == "full-group")
        .expect("full group in the example world");
    let openid = group.openids.values().next().expect("group openid").clone();
    assert_one_reply(
        "GROUP_MESSAGE_CREATE",
        &replies,
        &Conversation::Group(openid),
    );
    assert_eq!(
        replies[0].content.as_deref(),
        Some("echo: dinner photo, no mention here")
    );

    running.stop().await.expect("bot stops cleanly");
}

#[tokio::test]
async fn three_replies_use_seq_one_two_three() {
    let bot = Bot::builder().command("three", |ctx: Context, _| async move {
        for index in 1..=3 {
            ctx.reply(format!("reply {index}")).await?;
        }
        Ok(())
    });
    let running = start(bot).await;

    for message in [
        UserMessage::group_at("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4", "/three"),
        UserMessage::c2c("3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C", "three"),
    ] {
        let injected = running.emulator.inject_message(&message).expect("inject");
        let msg_id = injected.msg_id.expect("message id");

        let replies = running.replies_to(&msg_id, 3).await;
        let seqs: Vec<Option<u64>> = replies.iter().map(|sent| sent.msg_seq).collect();
        assert_eq!(seqs, [Some(1), Some(2), Some(3)], "{:?}", message.scene);
        let texts: Vec<Option<&str>> = replies.iter().map(|sent| sent.content.as_deref()).collect();
        assert_eq!(texts, [Some("reply 1"), Some("reply 2"), Some("reply 3")]);
    }

    running.stop().await.expect("bot stops cleanly");
}

#[tokio::test]
async fn guild_mention_and_bare_command_both_run() {
    // MESSAGE_CREATE (channel messages without a mention) needs the private-domain intent.
    let bot = Bot::builder()
        .add_intents(qie::Intents::GUILD_MESSAGES)
        .command("ping", |ctx: Context, _| async move {
            ctx.reply("pong").await?;
            Ok(())
        });
    let running = start(bot).await;

    let cases = [
        // `@bot ping` in a channel: the mention markup is removed before matching.
        UserMessage::guild_at("5550001", "ping"),
        // `/ping` in a channel message without a mention (MESSAGE_CREATE).
        UserMessage::guild("5550001", "/ping"),
        // The leading space of group messages.
        UserMessage::group_at("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4", " ping"),
        UserMessage::dm("7999000000000000001", "/PING"),
    ];
    for message in cases {
        let injected = running.emulator.inject_message(&message).expect("inject");
        let msg_id = injected.msg_id.expect("message id");

        let replies = running.replies_to(&msg_id, 1).await;
        assert_eq!(replies.len(), 1, "{message:?}");
        assert_eq!(replies[0].content.as_deref(), Some("pong"));
    }

    // Chat without the slash and without a mention is not a command.
    let injected = running
        .emulator
        .inject_message(&UserMessage::guild("5550001", "ping"))
        .expect("inject");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let msg_id = injected.msg_id.expect("message id");
    assert!(running.replies_to(&msg_id, 0).await.is_empty());

    running.stop().await.expect("bot stops cleanly");
}

#[tokio::test]
async fn button_click_is_acknowledged_and_answered() {
    let bot = Bot::builder().on_interaction(|ctx: Context, interaction| async move {
        let data = interaction.data.resolved.button_data.unwrap_or_default();
        ctx.reply(format!("clicked {data}")).await?;
        Ok(())
    });
    let running = start(bot).await;

    let injected = running
        .emulator
        .inject_click(&Click::new(
            "group",
            "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4",
            "btn-yes",
            "vote:yes",
        ))
        .expect("click");
    let interaction_id = injected.interaction_id.expect("interaction id");
    let event_id = injected.event_ids.first().expect("event id").clone();

    let replies = running.replies_to_event(&event_id, 1).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0].content.as_deref(), Some("clicked vote:yes"));
    assert_eq!(replies[0].msg_seq, Some(1));
    assert_eq!(
        replies[0].conversation,
        Conversation::Group("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4".to_owned())
    );
    // The acknowledgement runs beside the handler, so it may land after the reply.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let ack = loop {
        let ack = running
            .emulator
            .interaction_ack(None, &interaction_id)
            .expect("interaction known");
        if ack.is_some() || tokio::time::Instant::now() > deadline {
            break ack;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(ack, Some(0));

    running.stop().await.expect("bot stops cleanly");
}

#[tokio::test]
async fn markdown_keyboard_and_image_replies() {
    let bot = Bot::builder()
        .command("card", |ctx: Context, _| async move {
            let keyboard = qie::message::Keyboard::rows([[qie::message::Button::new(
                "Yes",
                qie::message::ActionType::Callback,
                "vote:yes",
            )]]);
            ctx.reply(Reply::markdown("**pick**").keyboard(keyboard))
                .await?;
            Ok(())
        })
        .command("picture", |ctx: Context, _| async move {
            ctx.reply(
                Reply::image_bytes(b"\x89PNG\r\n\x1a\nnot really".to_vec(), "x.png")
                    .content("caption"),
            )
            .await?;
            Ok(())
        });
    let running = start(bot).await;
    let group = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";

    let card = running
        .emulator
        .inject_message(&UserMessage::group_at(group, "/card"))
        .expect("inject");
    let replies = running.replies_to(&card.msg_id.expect("id"), 1).await;
    assert_eq!(replies[0].msg_type, Some(2));
    assert!(replies[0].markdown.is_some());
    assert!(replies[0].keyboard.is_some());

    for message in [
        UserMessage::group_at(group, "/picture"),
        UserMessage::guild_at("5550001", "/picture"),
    ] {
        let injected = running.emulator.inject_message(&message).expect("inject");
        let replies = running.replies_to(&injected.msg_id.expect("id"), 1).await;
        assert_eq!(replies.len(), 1, "{message:?}");
        let reply = &replies[0];
        match reply.conversation {
            Conversation::Group(_) => {
                assert_eq!(reply.msg_type, Some(7));
                assert!(reply.media.is_some());
            }
            _ => assert!(reply.file_image_len.is_some_and(|len| len > 0)),
        }
        assert_eq!(reply.content.as_deref(), Some("caption"));
    }

    running.stop().await.expect("bot stops cleanly");
}

/// A `/late` command that waits for `gate`, replies, and records whether the reply failed
/// because the window had passed (`Some(true)`), failed otherwise (`Some(false)`) or succeeded.
fn late_bot(
    gate: Arc<tokio::sync::Notify>,
    outcome: Arc<Mutex<Vec<Option<u32>>>>,
) -> qie::BotBuilder {
    Bot::builder().command("late", move |ctx: Context, _| {
        let gate = Arc::clone(&gate);
        let outcome = Arc::clone(&outcome);
        async move {
            gate.notified().await;
            let result = ctx.reply("too late").await;
            // 0 for the client's own window check, else the platform's code.
            let code = result.as_ref().err().map(|error| {
                if error.is_window_expired() {
                    0
                } else {
                    error.http().and_then(qie_http::Error::code).unwrap_or(1)
                }
            });
            outcome.lock().await.push(code);
            result?;
            Ok(())
        }
    })
}

async fn wait_for_outcome(outcome: &Mutex<Vec<Option<u32>>>) -> Vec<Option<u32>> {
    let deadline = tokio::time::Instant::now() + WAIT;
    while outcome.lock().await.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    outcome.lock().await.clone()
}

#[tokio::test]
async fn reply_after_window_fails_typed_and_is_logged() {
    let (logs, _guard) = Logs::capture();
    let gate = Arc::new(tokio::sync::Notify::new());
    let outcome: Arc<Mutex<Vec<Option<u32>>>> = Arc::default();
    let windows = qie_http::reply::ReplyWindows::default()
        .with(
            qie_model::message::Scene::Group,
            qie_http::reply::ReplyWindow::new(Duration::from_millis(300), Some(5)),
        )
        .margin(Duration::ZERO);
    let running = start_client(late_bot(Arc::clone(&gate), Arc::clone(&outcome)), windows).await;

    let injected = running
        .emulator
        .inject_message(&UserMessage::group_at(
            "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4",
            "/late",
        ))
        .expect("inject");
    // Let the 300 ms window pass before the handler replies.
    tokio::time::sleep(Duration::from_millis(500)).await;
    gate.notify_one();

    assert_eq!(
        wait_for_outcome(&outcome).await,
        [Some(0)],
        "ReplyWindowExpired expected"
    );
    assert!(
        running
            .replies_to(&injected.msg_id.expect("id"), 0)
            .await
            .is_empty()
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let text = logs.text();
    assert!(text.contains("command handler failed"), "{text}");
    assert!(text.contains("reply window expired"), "{text}");
    assert!(text.contains("command=late"), "{text}");

    running.stop().await.expect("bot stops cleanly");
}

#[tokio::test]
async fn platform_window_expiry_is_reported() {
    let (logs, _guard) = Logs::capture();
    let gate = Arc::new(tokio::sync::Notify::new());
    let outcome: Arc<Mutex<Vec<Option<u32>>>> = Arc::default();
    let running = start(late_bot(Arc::clone(&gate), Arc::clone(&outcome))).await;

    let injected = running
        .emulator
        .inject_message(&UserMessage::group_at(
            "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4",
            "/late",
        ))
        .expect("inject");
    let msg_id = injected.msg_id.expect("id");
    // The platform's clock moves past its 5-minute group window; the client's does not.
    running
        .emulator
        .age(None, &msg_id, Duration::from_secs(301))
        .expect("age");
    tokio::time::sleep(Duration::from_millis(100)).await;
    gate.notify_one();

    assert_eq!(wait_for_outcome(&outcome).await, [Some(40_034_005)]);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let text = logs.text();
    assert!(text.contains("command handler failed"), "{text}");
    assert!(text.contains("40034005"), "{text}");

    running.stop().await.expect("bot stops cleanly");
}

/// Starts a bot whose OpenAPI client uses `windows` as its reply windows.
async fn start_client(builder: qie::BotBuilder, windows: qie_http::reply::ReplyWindows) -> Running {
    let emulator = qie_emulator::Emulator::builder()
        .start()
        .await
        .expect("emulator starts");
    let world_bot = emulator.bot();
    let http_config = qie_http::HttpConfig::with_base_url(&emulator.base_url())
        .expect("base URL")
        .use_env_proxy(false);
    let http = qie_http::Client::builder(
        qie_model::id::AppId::new(world_bot.app_id),
        qie_model::secret::AppSecret::new(world_bot.secret),
    )
    .config(http_config)
    .reply_windows(windows)
    .build()
    .expect("client builds");
    let bot = builder.build_with_client(http, qie::DispatchLimits::default());
    let handle = bot.handle();
    let task = tokio::spawn(bot.run_until(std::future::pending()));
    assert!(
        tokio::time::timeout(WAIT, handle.ready())
            .await
            .expect("ready in time")
    );

    Running {
        emulator,
        bot: handle,
        task,
    }
}

#[tokio::test]
async fn panicking_handler_does_not_stop_the_bot() {
    let bot = Bot::builder()
        .command(
            "boom",
            |_ctx: Context, _| async move { panic!("handler bug") },
        )
        .command("ping", |ctx: Context, _| async move {
            ctx.reply("pong").await?;
            Ok(())
        });
    let running = start(bot).await;
    let user = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";

    running
        .emulator
        .inject_message(&UserMessage::c2c(user, "/boom"))
        .expect("inject");
    let injected = running
        .emulator
        .inject_message(&UserMessage::c2c(user, "/ping"))
        .expect("inject");

    let replies = running.replies_to(&injected.msg_id.expect("id"), 1).await;
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].content.as_deref(), Some("pong"));

    running.stop().await.expect("bot stops cleanly");
}
