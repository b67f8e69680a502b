//! The bots that `qie-bench` measures on the qie side, and the bare WebSocket floor.
//!
//! ```text
//! qie-bench-bot gateway        # a qie bot over the WebSocket gateway
//! qie-bench-bot webhook PORT   # the qie webhook receiver on 127.0.0.1:PORT
//! qie-bench-bot floor          # a WebSocket reader that only validates each frame's JSON
//! ```
//!
//! The gateway bot replies "pong" to "ping" and counts every other message, the webhook receiver
//! counts the dispatches it acknowledges, and the floor counts every frame after READY. Each prints `BENCH done` on stdout once it has
//! counted `BENCH_EVENTS` (default 10000). The gateway bot reads `QIE_APP_ID`, `QIE_APP_SECRET`,
//! `QIE_API_BASE` and `QIE_TOKEN_URL` like any qie bot; the floor reads `BENCH_BASE`,
//! `BENCH_APP_ID` and `BENCH_SECRET`.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::{SinkExt as _, StreamExt as _};
use qie::{Bot, Config, Context, HandlerResult, Intents, Message};
use qie_bench::{DONE_LINE, Http1};
use qie_http::ratelimit::NoRateLimiter;
use qie_webhook::Webhook;
use serde::de::IgnoredAny;
use tokio_tungstenite::tungstenite::Message as Frame;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn expected_events() -> u64 {
    std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(10_000)
}

fn report_done() {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{DONE_LINE}");
    let _ = stdout.flush();
}

/// Counts messages other than "ping" and reports when `expected` have been seen.
#[derive(Debug)]
struct Counter {
    seen: AtomicU64,
    expected: u64,
}

impl Counter {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            seen: AtomicU64::new(0),
            expected: expected_events(),
        })
    }

    async fn handle(&self, ctx: Context, message: Message) -> HandlerResult {
        if message.text() == "ping" {
            ctx.reply("pong").await?;
            return Ok(());
        }
        if self.seen.fetch_add(1, Ordering::Relaxed) + 1 == self.expected {
            report_done();
        }
        Ok(())
    }
}

/// Builds the bot as `Bot::build` does, except that the OpenAPI client enforces no rate limits.
/// `qie-bench` raises the emulator's limits for the run, and the peer SDKs have no client-side
/// limits. With them, qie's own limiter (5 messages per second per channel, for one) would
/// measure the platform's policy rather than qie.
fn build_bot(counter: &Arc<Counter>) -> Result<Bot, BoxError> {
    let config = Config::from_env()?;
    let http_config = qie_http::HttpConfig::with_base_url(&config.api_base)?
        .token_url_str(&config.token_url)?
        .use_env_proxy(false);
    let http = qie_http::Client::builder(config.app_id.clone(), config.secret.clone())
        .config(http_config)
        .rate_limiter(Arc::new(NoRateLimiter))
        .build()?;
    let counter = Arc::clone(counter);
    let builder = Bot::builder().on_message(move |ctx: Context, message: Message| {
        let counter = Arc::clone(&counter);
        async move { counter.handle(ctx, message).await }
    });
    let builder = match config.intents {
        Some(intents) => builder.intents(intents),
        None => builder,
    };
    Ok(builder.build_with_client(http, config.limits))
}

async fn run_gateway() -> Result<(), BoxError> {
    let bot = build_bot(&Counter::new())?;
    bot.run().await?;
    Ok(())
}

/// Serves the qie webhook receiver (signature check, de-duplication, acknowledgement) and counts
/// the dispatches it queues.
async fn run_webhook(port: u16) -> Result<(), BoxError> {
    let config = Config::from_env()?;
    let (webhook, mut events) = Webhook::builder()
        .bot(config.app_id.clone(), config.secret.clone())
        .build()?;
    let router = webhook.router("/qq/webhook")?;
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let expected = expected_events();
    // Counting runs as a task of the runtime, beside the server, rather than on the main thread.
    let counter = tokio::spawn(async move {
        let mut seen = 0_u64;
        while events.recv().await.is_some() {
            seen += 1;
            if seen == expected {
                report_done();
            }
        }
    });
    counter.await?;
    server.abort();
    Ok(())
}

/// Fetches an access token with a bare HTTP/1.1 request.
async fn fetch_token(base: &str, app_id: &str, secret: &str) -> Result<String, BoxError> {
    let address = base
        .strip_prefix("http://")
        .ok_or("BENCH_BASE must start with http://")?
        .trim_end_matches('/');
    let body = serde_json::json!({ "appId": app_id, "clientSecret": secret }).to_string();
    let request = format!(
        "POST /app/getAppAccessToken HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut connection = Http1::connect(address).await?;
    let (status, response) = connection.send(request.as_bytes()).await?;
    let response: serde_json::Value = serde_json::from_slice(&response)?;
    response["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("token endpoint answered {status}: {response}").into())
}

/// Identifies, then validates the JSON of every frame and counts the frames after READY.
async fn run_floor() -> Result<(), BoxError> {
    let base = std::env::var("BENCH_BASE")?;
    let app_id = std::env::var("BENCH_APP_ID")?;
    let secret = std::env::var("BENCH_SECRET")?;
    let expected = expected_events();
    let token = fetch_token(&base, &app_id, &secret).await?;
    let url = format!("{}/websocket", base.replacen("http://", "ws://", 1));
    let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str()).await?;
    let intents = Intents::GROUP_AND_C2C | Intents::PUBLIC_GUILD_MESSAGES;
    let identify = serde_json::json!({
        "op": 2,
        "d": { "token": format!("QQBot {token}"), "intents": intents.bits(), "shard": [0, 1] },
    });
    socket.send(Frame::text(identify.to_string())).await?;

    let mut ready = false;
    let mut seen = 0_u64;
    while let Some(frame) = socket.next().await {
        let text = match frame? {
            Frame::Text(text) => text,
            Frame::Close(close) => return Err(format!("gateway closed: {close:?}").into()),
            _ => continue,
        };
        serde_json::from_str::<IgnoredAny>(text.as_str())?;
        if !ready {
            ready = text.as_str().contains("\"t\":\"READY\"");
            continue;
        }
        seen += 1;
        if seen == expected {
            report_done();
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gateway"] => run_gateway().await,
        ["webhook", port] => match port.parse() {
            Ok(port) => run_webhook(port).await,
            Err(_) => Err(format!("invalid port {port:?}").into()),
        },
        ["floor"] => run_floor().await,
        _ => Err("usage: qie-bench-bot gateway | webhook PORT | floor".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "qie-bench-bot: {error}");
            ExitCode::FAILURE
        }
    }
}
