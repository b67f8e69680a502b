//! Runs one benchmark workload against one bot process and appends one JSON line per repeat.
//!
//! ```text
//! qie-bench gateway --name NAME --port PORT [OPTIONS] -- COMMAND...
//! qie-bench webhook --name NAME --port PORT --bot-port PORT [OPTIONS] -- COMMAND...
//! qie-bench verify [--repeats R] [--seconds S] --out FILE
//! ```
//!
//! `gateway` starts the emulator in this process on 127.0.0.1:PORT for each repeat, starts
//! COMMAND (the bot), and measures the time to READY, the RSS after `--idle-secs`, the rate of a
//! firehose of `--events` distinct message dispatches until the bot prints `BENCH done`, the RSS
//! after it, and the reply latency of `--messages` injected "ping" messages. `webhook` starts
//! the bot and posts `--requests` signed dispatches to it over `--concurrency` keep-alive
//! connections, for at most `--seconds`. `verify` measures single-thread Ed25519 verifications
//! per second of the same signed payloads.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use qie_bench::{
    APP_ID, C2C_USER, CHANNEL, DONE_LINE, GROUP, Http1, SECRET, Scenes, distinct_frames,
    load_dispatches, quantile, rss_kib,
};
use qie_emulator::control::UserMessage;
use qie_emulator::inspect::Direction;
use qie_emulator::{
    Emulator, EmulatorHandle, Firehose, FirehoseFrame, InspectorEvent, RateLimits, SessionTarget,
};
use qie_model::secret::AppSecret;
use qie_webhook::WebhookKey;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{broadcast, mpsc};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Maximum wait for READY, for a firehose or for the webhook port.
const STEP_TIMEOUT: Duration = Duration::from_secs(120);
/// Maximum wait for one reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct Options {
    mode: String,
    name: String,
    port: u16,
    bot_port: u16,
    repeats: usize,
    events: usize,
    messages: usize,
    idle_secs: u64,
    scenes: Scenes,
    legacy_bot_token: bool,
    seed: u64,
    requests: usize,
    seconds: f64,
    concurrency: usize,
    fixtures: PathBuf,
    out: PathBuf,
    log: Option<PathBuf>,
    command: Vec<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut iter = args.iter();
    let mode = iter
        .next()
        .ok_or("missing mode: gateway, webhook or verify")?
        .clone();
    let mut options = Options {
        mode,
        name: String::new(),
        port: 0,
        bot_port: 0,
        repeats: 5,
        events: 20_000,
        messages: 1_000,
        idle_secs: 10,
        scenes: Scenes::Mix,
        legacy_bot_token: false,
        seed: 42,
        requests: 20_000,
        seconds: 10.0,
        concurrency: 8,
        fixtures: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures")),
        out: PathBuf::from("bench-results.jsonl"),
        log: None,
        command: Vec::new(),
    };
    while let Some(arg) = iter.next() {
        if arg == "--" {
            options.command = iter.by_ref().cloned().collect();
            break;
        }
        let mut value = || iter.next().ok_or(format!("{arg} requires a value"));
        let number = |text: &String| {
            text.parse::<u64>()
                .map_err(|_| format!("{arg} {text:?} is not a number"))
        };
        match arg.as_str() {
            "--name" => options.name.clone_from(value()?),
            "--port" => {
                options.port = u16::try_from(number(value()?)?).map_err(|e| e.to_string())?;
            }
            "--bot-port" => {
                options.bot_port = u16::try_from(number(value()?)?).map_err(|e| e.to_string())?;
            }
            "--repeats" => options.repeats = to_usize(number(value()?)?)?,
            "--events" => options.events = to_usize(number(value()?)?)?,
            "--messages" => options.messages = to_usize(number(value()?)?)?,
            "--idle-secs" => options.idle_secs = number(value()?)?,
            "--seed" => options.seed = number(value()?)?,
            "--requests" => options.requests = to_usize(number(value()?)?)?,
            "--concurrency" => options.concurrency = to_usize(number(value()?)?)?.max(1),
            "--seconds" => {
                let text = value()?;
                options.seconds = text
                    .parse()
                    .map_err(|_| format!("--seconds {text:?} is not a number"))?;
            }
            "--scenes" => {
                let text = value()?;
                options.scenes =
                    Scenes::parse(text).ok_or(format!("--scenes {text:?}: mix or guild"))?;
            }
            "--legacy-bot-token" => options.legacy_bot_token = true,
            "--fixtures" => options.fixtures = PathBuf::from(value()?),
            "--out" => options.out = PathBuf::from(value()?),
            "--log" => options.log = Some(PathBuf::from(value()?)),
            _ => return Err(format!("unknown option {arg:?}")),
        }
    }
    Ok(options)
}

fn to_usize(value: u64) -> Result<usize, String> {
    usize::try_from(value).map_err(|error| error.to_string())
}

fn append_result(options: &Options, record: &Value) -> Result<(), BoxError> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&options.out)?;
    writeln!(file, "{record}")?;
    writeln!(std::io::stdout().lock(), "{record}")?;
    Ok(())
}

fn log_line(message: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "qie-bench: {message}");
}

async fn start_emulator(options: &Options) -> Result<EmulatorHandle, BoxError> {
    // Rate limits out of the way: the latency run sends replies back to back.
    let limits = RateLimits {
        channel_per_second: u32::MAX,
        bot_sends_per_second: u32::MAX,
        bot_calls_per_second: u32::MAX,
        ..RateLimits::default()
    };
    let emulator = Emulator::builder()
        .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, options.port)))
        .seed(options.seed)
        .legacy_bot_token(options.legacy_bot_token)
        .rate_limits(limits)
        .start()
        .await?;
    Ok(emulator)
}

/// A bot process and the lines of its stdout, each stamped when read.
struct BotProcess {
    child: Child,
    pid: u32,
    lines: mpsc::UnboundedReceiver<(Instant, String)>,
}

fn spawn_bot(options: &Options, base: &str, token: &str) -> Result<BotProcess, BoxError> {
    let (program, args) = options
        .command
        .split_first()
        .ok_or("no bot command after --")?;
    let stderr = match &options.log {
        Some(path) => Stdio::from(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?,
        ),
        None => Stdio::null(),
    };
    let mut child = Command::new(program)
        .args(args)
        .env("BENCH_BASE", base)
        .env("BENCH_APP_ID", APP_ID)
        .env("BENCH_SECRET", SECRET)
        .env("BENCH_TOKEN", token)
        .env("BENCH_EVENTS", options.events.to_string())
        .env("BENCH_WEBHOOK_PORT", options.bot_port.to_string())
        .env("QIE_APP_ID", APP_ID)
        .env("QIE_APP_SECRET", SECRET)
        .env("QIE_API_BASE", base)
        .env("QIE_TOKEN_URL", format!("{base}/app/getAppAccessToken"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .process_group(0)
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().ok_or("the bot exited at once")?;
    let stdout = child.stdout.take().ok_or("no stdout pipe")?;
    let (sender, lines) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut reader = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = reader.next_line().await {
            if sender.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    Ok(BotProcess { child, pid, lines })
}

impl BotProcess {
    /// Waits for a stdout line that starts with `prefix`; returns when it was read.
    async fn wait_line(&mut self, prefix: &str, timeout: Duration) -> Result<Instant, BoxError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.lines.recv()).await {
                Ok(Some((at, line))) if line.starts_with(prefix) => return Ok(at),
                Ok(Some(_)) => {}
                Ok(None) => return Err(format!("the bot exited before printing {prefix:?}").into()),
                Err(_) => {
                    return Err(format!("no {prefix:?} from the bot after {timeout:?}").into());
                }
            }
        }
    }

    /// Stops the process group: SIGTERM, then SIGKILL after 3 s.
    async fn stop(mut self) {
        let group = format!("-{}", self.pid);
        let _ = std::process::Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        if tokio::time::timeout(Duration::from_secs(3), self.child.wait())
            .await
            .is_err()
        {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
            let _ = self.child.wait().await;
        }
    }
}

/// Waits for the next inspector event that `matches`, skipping lag.
async fn wait_inspector(
    inspector: &mut broadcast::Receiver<InspectorEvent>,
    timeout: Duration,
    mut matches: impl FnMut(&InspectorEvent) -> bool,
) -> Result<(), BoxError> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, inspector.recv()).await {
            Ok(Ok(event)) if matches(&event) => return Ok(()),
            Ok(Ok(_) | Err(broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(broadcast::error::RecvError::Closed)) => {
                return Err("the emulator's inspector closed".into());
            }
            Err(_) => return Err(format!("nothing after {timeout:?}").into()),
        }
    }
}

fn is_ready_frame(event: &InspectorEvent) -> bool {
    matches!(event, InspectorEvent::Frame(frame)
        if frame.direction == Direction::Outbound && frame.t.as_deref() == Some("READY"))
}

fn is_message_sent(event: &InspectorEvent) -> bool {
    matches!(event, InspectorEvent::Rest(rest)
        if rest.method == "POST" && rest.status == 200 && rest.route.ends_with("/messages"))
}

fn ping(scenes: Scenes, index: usize) -> UserMessage {
    match (scenes, index % 2) {
        (Scenes::Guild, _) => UserMessage::guild_at(CHANNEL, "ping"),
        (Scenes::Mix, 0) => UserMessage::group_at(GROUP, "ping"),
        (Scenes::Mix, _) => UserMessage::c2c(C2C_USER, "ping"),
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[expect(clippy::cast_precision_loss, reason = "event counts far below 2^52")]
async fn gateway_repeat(options: &Options, repeat: usize) -> Result<Value, BoxError> {
    let dispatches = load_dispatches(&options.fixtures, options.scenes)?;
    let frames: Vec<FirehoseFrame> = dispatches
        .into_iter()
        .map(|(t, d)| FirehoseFrame { t, d })
        .collect();
    // Each dispatch gets its own message id, so that no client drops one as a redelivery.
    let firehose = Firehose {
        frames,
        count: options.events as u64,
        unique_ids: true,
    };

    let emulator = start_emulator(options).await?;
    let mut inspector = emulator.subscribe();
    let token = emulator.control().bot().token;
    let started = Instant::now();
    let mut bot = spawn_bot(options, &emulator.base_url(), &token)?;
    let result = async {
        wait_inspector(&mut inspector, STEP_TIMEOUT, is_ready_frame)
            .await
            .map_err(|error| format!("waiting for READY: {error}"))?;
        let startup = started.elapsed();
        // The session must be registered before the firehose can target it.
        emulator
            .control()
            .wait_for_session(Some(APP_ID), STEP_TIMEOUT)
            .await?;

        tokio::time::sleep(Duration::from_secs(options.idle_secs)).await;
        let idle_rss = rss_kib(bot.pid);

        let sessions = emulator
            .control()
            .firehose(&SessionTarget::All, &firehose)?;
        if sessions != 1 {
            return Err(format!("the firehose reached {sessions} sessions, expected 1").into());
        }
        let sent = Instant::now();
        let done = bot.wait_line(DONE_LINE, STEP_TIMEOUT).await?;
        let rate = options.events as f64 / done.duration_since(sent).as_secs_f64();
        let after_rss = rss_kib(bot.pid);

        while inspector.try_recv().is_ok() {}
        let mut latencies = Vec::with_capacity(options.messages);
        for index in 0..options.messages {
            let message = ping(options.scenes, index);
            let injected_at = Instant::now();
            emulator.control().inject_message(&message)?;
            wait_inspector(&mut inspector, REPLY_TIMEOUT, is_message_sent)
                .await
                .map_err(|error| format!("waiting for reply {index}: {error}"))?;
            latencies.push(millis(injected_at.elapsed()));
        }

        Ok::<Value, BoxError>(json!({
            "workload": "gateway",
            "bot": options.name,
            "repeat": repeat,
            "events": options.events,
            "startup_ms": millis(startup),
            "idle_rss_kib": idle_rss,
            "events_per_s": rate,
            "rss_after_kib": after_rss,
            "messages": latencies.len(),
            "latency_p50_ms": quantile(&latencies, 0.5),
            "latency_p99_ms": quantile(&latencies, 0.99),
        }))
    }
    .await;
    bot.stop().await;
    emulator.shutdown().await;
    result
}

/// Signed webhook requests: each a complete HTTP/1.1 request, with its timestamp, body and
/// signature for the verify floor.
struct SignedRequest {
    wire: Vec<u8>,
    timestamp: String,
    body: String,
    signature: String,
}

fn signed_requests(options: &Options, count: usize) -> Result<Vec<SignedRequest>, BoxError> {
    let key = WebhookKey::from_secret(&AppSecret::new(SECRET)).ok_or("empty secret")?;
    let dispatches = load_dispatches(&options.fixtures, Scenes::Mix)?;
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)?
        .as_secs()
        .to_string();
    let bot_port = options.bot_port;
    Ok(distinct_frames(&dispatches, count)
        .into_iter()
        .enumerate()
        .map(|(index, (t, d))| {
            let body = json!({ "op": 0, "id": format!("{t}:bench-{index}"), "t": t, "d": d })
                .to_string();
            let signature = key.sign(&timestamp, body.as_bytes());
            let wire = format!(
                "POST /qq/webhook HTTP/1.1\r\nHost: 127.0.0.1:{bot_port}\r\nContent-Type: application/json\r\nUser-Agent: QQBot-Callback\r\nX-Bot-Appid: {APP_ID}\r\nX-Signature-Method: Ed25519\r\nX-Signature-Timestamp: {timestamp}\r\nX-Signature-Ed25519: {signature}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes();
            SignedRequest {
                wire,
                timestamp: timestamp.clone(),
                body,
                signature,
            }
        })
        .collect())
}

/// Posts `requests` over `concurrency` connections until all are answered or `seconds` pass;
/// returns (acknowledged with 200, other answers, elapsed).
async fn post_all(
    address: &str,
    requests: Arc<Vec<SignedRequest>>,
    concurrency: usize,
    seconds: f64,
) -> Result<(u64, u64, Duration), BoxError> {
    let next = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let mut connections = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        connections.push(Http1::connect(address).await?);
    }
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for mut connection in connections {
        let (next, acknowledged, refused, requests) = (
            Arc::clone(&next),
            Arc::clone(&acknowledged),
            Arc::clone(&refused),
            Arc::clone(&requests),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(request) = requests.get(index) else {
                    break;
                };
                let (status, _) = connection.send(&request.wire).await?;
                if status == 200 {
                    acknowledged.fetch_add(1, Ordering::Relaxed);
                } else {
                    refused.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok::<(), std::io::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok((
        acknowledged.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
        started.elapsed(),
    ))
}

async fn wait_port(port: u16, bot: &mut BotProcess) -> Result<(), BoxError> {
    let deadline = Instant::now() + STEP_TIMEOUT;
    loop {
        if tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if let Ok(Some(status)) = bot.child.try_wait() {
            return Err(format!("the bot exited with {status} before listening").into());
        }
        if Instant::now() > deadline {
            return Err(format!("nothing listens on port {port} after {STEP_TIMEOUT:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Requests sent before each measured webhook run, to warm up connections and code paths.
const WEBHOOK_WARMUP: usize = 500;

#[expect(clippy::cast_precision_loss, reason = "request counts far below 2^52")]
async fn webhook_repeat(options: &Options, repeat: usize) -> Result<Value, BoxError> {
    let mut all = signed_requests(options, WEBHOOK_WARMUP + options.requests)?;
    let measured = Arc::new(all.split_off(WEBHOOK_WARMUP));
    let warmup = Arc::new(all);
    let emulator = start_emulator(options).await?;
    let token = emulator.control().bot().token;
    let mut bot = spawn_bot(options, &emulator.base_url(), &token)?;
    let address = format!("127.0.0.1:{}", options.bot_port);
    let result = async {
        wait_port(options.bot_port, &mut bot).await?;
        let (warm_ok, warm_refused, _) =
            post_all(&address, warmup, options.concurrency, options.seconds).await?;
        if warm_refused > 0 || warm_ok == 0 {
            return Err(format!(
                "warm-up: {warm_ok} acknowledged, {warm_refused} refused; check the bot's log"
            )
            .into());
        }
        let (ok, refused, elapsed) =
            post_all(&address, measured, options.concurrency, options.seconds).await?;
        Ok::<Value, BoxError>(json!({
            "workload": "webhook",
            "bot": options.name,
            "repeat": repeat,
            "acknowledged": ok,
            "refused": refused,
            "elapsed_s": elapsed.as_secs_f64(),
            "requests_per_s": ok as f64 / elapsed.as_secs_f64(),
            "rss_after_kib": rss_kib(bot.pid),
        }))
    }
    .await;
    bot.stop().await;
    emulator.shutdown().await;
    result
}

#[expect(
    clippy::cast_precision_loss,
    reason = "verification counts far below 2^52"
)]
fn verify_repeat(options: &Options, repeat: usize) -> Result<Value, BoxError> {
    let requests = signed_requests(options, 1_000)?;
    let key = WebhookKey::from_secret(&AppSecret::new(SECRET)).ok_or("empty secret")?;
    let budget = Duration::from_secs_f64(options.seconds);
    let started = Instant::now();
    let mut verified = 0_u64;
    loop {
        for request in &requests {
            key.verify(
                &request.timestamp,
                request.body.as_bytes(),
                &request.signature,
            )?;
            verified += 1;
        }
        if started.elapsed() >= budget {
            break;
        }
    }
    let elapsed = started.elapsed();
    Ok(json!({
        "workload": "verify",
        "bot": "ed25519-verify",
        "repeat": repeat,
        "verified": verified,
        "verifications_per_s": verified as f64 / elapsed.as_secs_f64(),
    }))
}

async fn run(options: &Options) -> Result<(), BoxError> {
    for repeat in 0..options.repeats {
        let record = match options.mode.as_str() {
            "gateway" => gateway_repeat(options, repeat).await,
            "webhook" => webhook_repeat(options, repeat).await,
            "verify" => verify_repeat(options, repeat),
            other => return Err(format!("unknown mode {other:?}").into()),
        };
        match record {
            Ok(record) => append_result(options, &record)?,
            Err(error) => {
                log_line(&format!(
                    "{} {} repeat {repeat} failed: {error}",
                    options.mode, options.name
                ));
                append_result(
                    options,
                    &json!({
                        "workload": options.mode,
                        "bot": options.name,
                        "repeat": repeat,
                        "error": error.to_string(),
                    }),
                )?;
            }
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_options(&args) {
        Ok(options) => options,
        Err(message) => {
            log_line(&message);
            return ExitCode::from(2);
        }
    };
    match run(&options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log_line(&error.to_string());
            ExitCode::FAILURE
        }
    }
}
