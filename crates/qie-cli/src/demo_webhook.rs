//! `qie demo --webhook`: the same demo with events delivered over a signed HTTP callback
//! instead of the WebSocket gateway.
//!
//! A `qie-webhook` receiver serves the callback on 127.0.0.1. The emulator validates it with the
//! op 13 handshake, then signs and POSTs every event. The bot handles the receiver's events with
//! the same handlers and per-conversation order as over the gateway.

use std::net::{Ipv4Addr, SocketAddr};

use qie::webhook::{Server, Webhook};
use qie::{Bot, BotError, Config};
use qie_emulator::EmulatorHandle;
use qie_emulator::webhook::WebhookRegistration;
use tokio::task::JoinHandle;

use crate::lang::Lang;

/// Path of the callback, the one nonebot-adapter-qq serves too.
const PATH: &str = "/qq/webhook";

/// A running webhook transport: the callback URL and the bot's task.
pub(crate) struct Callback {
    pub(crate) url: String,
    pub(crate) task: JoinHandle<Result<(), BotError>>,
}

/// Serves a receiver for the demo bot, runs the bot on its events and registers the callback
/// with the emulator.
///
/// # Errors
///
/// A bilingual message when the receiver cannot be built or bound, or when the emulator's
/// validation of the callback fails.
pub(crate) async fn start(
    lang: Lang,
    emulator: &EmulatorHandle,
    bot: Bot,
    config: &Config,
) -> Result<Callback, String> {
    let failed = |error: &dyn std::fmt::Display| match lang {
        Lang::En => format!("error: the webhook receiver failed to start: {error}"),
        Lang::ZhCn => format!("错误：Webhook 接收器启动失败：{error}"),
    };

    let (webhook, events) = Webhook::builder()
        .bot(config.app_id.clone(), config.secret.clone())
        .build()
        .map_err(|error| failed(&error))?;
    let router = webhook.router(PATH).map_err(|error| failed(&error))?;
    let server = Server::builder(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0))
        .serve(router)
        .await
        .map_err(|error| failed(&error))?;
    let url = format!("http://{}{PATH}", server.local_addr());
    tokio::spawn(server.run());

    let task = tokio::spawn(async move {
        bot.run_webhook(events, std::future::pending()).await;
        Ok(())
    });

    if let Err(error) = emulator
        .register_webhook(WebhookRegistration::new(url.clone()))
        .await
    {
        task.abort();
        return Err(match lang {
            Lang::En => format!("error: the emulator rejected the webhook callback {url}: {error}"),
            Lang::ZhCn => format!("错误：模拟器没有接受 Webhook 回调地址 {url}：{error}"),
        });
    }

    Ok(Callback { url, task })
}

/// Returns the transcript line that names the transport the bot receives events on.
pub(crate) fn connected(lang: Lang, username: &str, app_id: &str, url: &str) -> String {
    match lang {
        Lang::En => format!(
            "{username} (AppID {app_id}) receives events over the webhook {url} (validated with op 13, every request signed with Ed25519)\n"
        ),
        Lang::ZhCn => format!(
            "{username}（AppID {app_id}）通过 Webhook {url} 接收事件（已通过 op 13 验证，每个请求都有 Ed25519 签名）\n"
        ),
    }
}
