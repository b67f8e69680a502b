//! `qie demo`: the example bot on the embedded emulator, a scripted conversation in every
//! scene, then an open emulator to play with.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use qie::{Bot, Config};
use qie_emulator::control::{Click, UserMessage};
use qie_emulator::{Emulator, EmulatorHandle, SentMessage};
use qie_model::id::AppId;
use qie_model::secret::AppSecret;

use crate::cli::DemoArgs;
use crate::example_bot::{self, VOTE_YES};
use crate::lang::Lang;
use crate::run::bot_language;
use crate::{bot_messages, say, transcript};

/// How long each step waits for the bot's reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the bot may take to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Ids of the emulator's example world, which are those of the repository's fixtures.
const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
const C2C_USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";
const CHANNEL: &str = "5550001";
const DM_GUILD: &str = "7999000000000000001";

/// What a user does in one step of the script.
enum Action {
    Say(UserMessage),
    Click(Click),
}

/// One step: who acts where, what the user does, and what reply is expected.
struct Step {
    scene: (&'static str, &'static str),
    user: &'static str,
    shown: String,
    action: Action,
    expect: fn(&SentMessage) -> bool,
}

fn script(lang: Lang) -> Vec<Step> {
    let echo_text = lang.pick("hello, qie", "你好，qie");

    vec![
        Step {
            scene: ("group (@ message)", "群聊（@ 消息）"),
            user: "bob",
            shown: "@ExampleBot /help".to_owned(),
            action: Action::Say(UserMessage::group_at(GROUP, "/help")),
            expect: |sent| sent.markdown.is_some(),
        },
        Step {
            scene: ("C2C (one-to-one)", "单聊（C2C）"),
            user: "alice",
            shown: "/dice".to_owned(),
            action: Action::Say(UserMessage::c2c(C2C_USER, "/dice")),
            expect: |sent| sent.media.is_some(),
        },
        Step {
            scene: ("guild channel (@ message)", "频道（@ 消息）"),
            user: "alice",
            shown: format!("@ExampleBot /echo {echo_text}"),
            action: Action::Say(UserMessage::guild_at(CHANNEL, format!("/echo {echo_text}"))),
            expect: |sent| sent.content.is_some(),
        },
        Step {
            scene: ("guild DM", "频道私信"),
            user: "alice",
            shown: "ping".to_owned(),
            action: Action::Say(UserMessage::dm(DM_GUILD, "ping")),
            expect: |sent| {
                sent.content
                    .as_deref()
                    .is_some_and(|text| text.starts_with("pong"))
            },
        },
        Step {
            scene: ("group (@ message)", "群聊（@ 消息）"),
            user: "bob",
            shown: "@ExampleBot /card".to_owned(),
            action: Action::Say(UserMessage::group_at(GROUP, "/card")),
            expect: |sent| sent.keyboard.is_some(),
        },
        Step {
            scene: ("group (button click)", "群聊（点击按钮）"),
            user: "bob",
            shown: lang.pick("clicks [👍 Yes]", "点击 [👍 喜欢]").to_owned(),
            action: Action::Click(Click::new("group", GROUP, "yes", VOTE_YES)),
            expect: |sent| sent.content.is_some(),
        },
    ]
}

/// Runs the demo; with `--once`, exits after the script with status 1 if a reply is missing.
pub(crate) async fn run(lang: Lang, args: &DemoArgs) -> Result<ExitCode, String> {
    let emulator = Emulator::builder()
        .bind(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), args.port))
        .start()
        .await
        .map_err(|error| {
            let args = crate::cli::EmulatorArgs {
                port: args.port,
                host: Ipv4Addr::LOCALHOST.into(),
                world: None,
            };
            crate::emulator::start_error(lang, &error, &args)
        })?;

    let world_bot = emulator.bot();
    let config = Config::new(
        AppId::new(world_bot.app_id.clone()),
        AppSecret::new(world_bot.secret),
    )
    .with_api_base(&emulator.base_url());
    let api_base = config.api_base.clone();
    let bot = example_bot::register(Bot::builder(), bot_language(lang))
        .build(&config)
        .map_err(|error| bot_messages::render(lang, &error, &world_bot.app_id, &api_base))?;
    let handle = bot.handle();
    let (task, callback_url) = if args.webhook {
        let callback = crate::demo_webhook::start(lang, &emulator, bot, &config).await?;
        (callback.task, Some(callback.url))
    } else {
        (tokio::spawn(bot.run_until(std::future::pending())), None)
    };

    say(&match lang {
        Lang::En => format!("qie demo: the example bot on the embedded emulator at {api_base}"),
        Lang::ZhCn => format!("qie 演示：示例机器人运行在内置模拟器 {api_base} 上"),
    });
    let ready = tokio::time::timeout(CONNECT_TIMEOUT, handle.ready()).await;
    if !matches!(ready, Ok(true)) {
        handle.shutdown();
        let reason = match task.await {
            Ok(Err(error)) => bot_messages::render(lang, &error, &world_bot.app_id, &api_base),
            _ => lang
                .pick(
                    "error: the bot did not connect to the emulator",
                    "错误：机器人没有连上模拟器",
                )
                .to_owned(),
        };
        return Err(reason);
    }
    if let Some(url) = &callback_url {
        say(&crate::demo_webhook::connected(
            lang,
            &world_bot.username,
            &world_bot.app_id,
            url,
        ));
    } else {
        say(&match lang {
            Lang::En => format!(
                "{} (AppID {}) connected over the WebSocket gateway {}\n",
                world_bot.username,
                world_bot.app_id,
                emulator.gateway_url()
            ),
            Lang::ZhCn => format!(
                "{}（AppID {}）已通过 WebSocket 网关 {} 连接\n",
                world_bot.username,
                world_bot.app_id,
                emulator.gateway_url()
            ),
        });
    }

    let missing = play(lang, &emulator, &world_bot.username).await;

    let exit = if missing.is_empty() {
        say(lang.pick(
            "Every step was answered: replies went to the right conversation with the right msg_id and msg_seq.",
            "每一步都收到了回复：回复发到了正确的会话，msg_id 和 msg_seq 都正确。",
        ));
        ExitCode::SUCCESS
    } else {
        for step in &missing {
            say(&match lang {
                Lang::En => format!(
                    "MISSING: no expected reply to step {step} within {} s",
                    REPLY_TIMEOUT.as_secs()
                ),
                Lang::ZhCn => format!(
                    "缺失：第 {step} 步在 {} 秒内没有收到预期的回复",
                    REPLY_TIMEOUT.as_secs()
                ),
            });
        }
        ExitCode::FAILURE
    };

    if !args.once {
        say("");
        say(&match lang {
            Lang::En => format!(
                "Web console: {}\n  (talk to the bot as any user, watch the gateway and REST traffic, inject faults)",
                emulator.console_url()
            ),
            Lang::ZhCn => format!(
                "网页控制台：{}\n  （扮演任意用户和机器人对话，查看网关和 REST 流量，注入故障）",
                emulator.console_url()
            ),
        });
        say("");
        say(lang.pick(
            "The bot keeps running. Talk to it through the emulator's control API:",
            "机器人继续运行。可以通过模拟器的控制 API 和它对话：",
        ));
        say(&crate::emulator::curl_examples(&emulator.control_url()));
        say(lang.pick(
            "Scenes: c2c, group_at, guild_at, dm (targets in docs/emulator.md). Press Ctrl-C to stop.",
            "场景：c2c、group_at、guild_at、dm（目标 id 见 docs/emulator.zh-CN.md）。按 Ctrl-C 停止。",
        ));
        let _ = tokio::signal::ctrl_c().await;
    }

    handle.shutdown();
    let stopped = tokio::time::timeout(Duration::from_secs(15), task).await;
    emulator.shutdown().await;
    if let Ok(Ok(Err(error))) = stopped {
        return Err(bot_messages::render(
            lang,
            &error,
            &world_bot.app_id,
            &api_base,
        ));
    }

    Ok(exit)
}

/// Plays the script and prints the transcript; returns the numbers of the steps whose
/// expected reply did not arrive.
async fn play(lang: Lang, emulator: &EmulatorHandle, bot_name: &str) -> Vec<usize> {
    let mut missing = Vec::new();

    for (index, step) in script(lang).into_iter().enumerate() {
        let number = index + 1;
        say(&format!(
            "── {number}. {} ──",
            lang.pick(step.scene.0, step.scene.1)
        ));
        say(&format!("  {}: {}", step.user, step.shown));

        let (replies, acknowledged) = match perform(emulator, &step.action).await {
            Ok(outcome) => outcome,
            Err(error) => {
                say(&format!(
                    "  {}: {error}",
                    lang.pick("emulator error", "模拟器错误")
                ));
                missing.push(number);
                continue;
            }
        };
        if let Some(code) = acknowledged {
            say(&match lang {
                Lang::En => format!("  ({bot_name} acknowledged the click, code {code})"),
                Lang::ZhCn => format!("  （{bot_name} 已确认这次点击，code {code}）"),
            });
        }
        for sent in &replies {
            // Chinese text takes a full-width colon with no space before the full-width bracket.
            say(&match lang {
                Lang::En => format!("  {bot_name} {}:", transcript::reply_note(lang, sent)),
                Lang::ZhCn => format!("  {bot_name}{}：", transcript::reply_note(lang, sent)),
            });
            for line in transcript::render_sent(lang, sent) {
                say(&format!("    {line}"));
            }
        }
        let is_click = matches!(step.action, Action::Click(_));
        if is_click && acknowledged.is_none() {
            say(lang.pick(
                "  (the click was not acknowledged)",
                "  （这次点击没有被确认）",
            ));
        }
        if !replies.iter().any(step.expect) || (is_click && acknowledged != Some(0)) {
            missing.push(number);
        }
        say("");
    }

    missing
}

/// Performs the action and waits for the replies; for a click, also returns its
/// acknowledgement code.
async fn perform(
    emulator: &EmulatorHandle,
    action: &Action,
) -> Result<(Vec<SentMessage>, Option<u64>), qie_emulator::Error> {
    match action {
        Action::Say(message) => {
            let injected = emulator.inject_message(message)?;
            let msg_id = injected.msg_id.unwrap_or_default();
            let replies = wait_for_replies(emulator, |sent| {
                sent.msg_id.as_deref() == Some(msg_id.as_str())
            })
            .await;
            Ok((replies, None))
        }
        Action::Click(click) => {
            let injected = emulator.inject_click(click)?;
            let event_id = injected.event_ids.first().cloned().unwrap_or_default();
            let replies = wait_for_replies(emulator, |sent| {
                sent.event_id.as_deref() == Some(event_id.as_str())
            })
            .await;
            let ack = match &injected.interaction_id {
                Some(id) => wait_for_ack(emulator, id).await?,
                None => None,
            };
            Ok((replies, ack))
        }
    }
}

/// Waits for the acknowledgement of an interaction. The bot sends it beside its handler, so it
/// may come after the replies. Returns `None` when none came within the reply timeout.
async fn wait_for_ack(
    emulator: &EmulatorHandle,
    interaction_id: &str,
) -> Result<Option<u64>, qie_emulator::Error> {
    let deadline = tokio::time::Instant::now() + REPLY_TIMEOUT;
    loop {
        let ack = emulator.interaction_ack(None, interaction_id)?;
        if ack.is_some() || tokio::time::Instant::now() >= deadline {
            return Ok(ack);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until the bot sent at least one matching message and then a short while longer for
/// more, or until the timeout.
async fn wait_for_replies(
    emulator: &EmulatorHandle,
    matches: impl Fn(&SentMessage) -> bool,
) -> Vec<SentMessage> {
    let deadline = tokio::time::Instant::now() + REPLY_TIMEOUT;
    let mut quiet_since: Option<tokio::time::Instant> = None;
    let mut last_count = 0;

    loop {
        let replies: Vec<SentMessage> = emulator
            .sent(None, None)
            .into_iter()
            .filter(|sent| matches(sent))
            .collect();
        let now = tokio::time::Instant::now();
        if replies.len() != last_count {
            last_count = replies.len();
            quiet_since = Some(now);
        }
        // One reply is there and nothing new came for 200 ms: the handler is done.
        let settled = quiet_since
            .is_some_and(|since| last_count > 0 && now - since >= Duration::from_millis(200));
        if settled || now >= deadline {
            return replies;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
