//! A bot connected to an emulator over real sockets on 127.0.0.1.

#![allow(dead_code, unreachable_pub)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qie::{BotBuilder, BotError, BotHandle, Config};
use qie_emulator::{Emulator, EmulatorHandle, SentMessage};
use qie_model::id::AppId;
use qie_model::secret::AppSecret;
use tokio::task::JoinHandle;

/// How long a test waits for the bot to connect or answer.
pub const WAIT: Duration = Duration::from_secs(10);

pub struct Running {
    pub emulator: EmulatorHandle,
    pub bot: BotHandle,
    pub task: JoinHandle<Result<(), BotError>>,
}

impl Running {
    /// Stops the bot and returns what `run` returned.
    pub async fn stop(self) -> Result<(), BotError> {
        self.bot.shutdown();
        let result = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("bot stops within the wait")
            .expect("bot task does not panic");
        self.emulator.shutdown().await;

        result
    }

    /// The message the bot sent in answer to `msg_id`, waiting for it.
    pub async fn replies_to(&self, msg_id: &str, count: usize) -> Vec<SentMessage> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let replies: Vec<SentMessage> = self
                .emulator
                .sent(None, None)
                .into_iter()
                .filter(|sent| sent.msg_id.as_deref() == Some(msg_id))
                .collect();
            if replies.len() >= count || tokio::time::Instant::now() > deadline {
                return replies;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The messages the bot sent in answer to the event `event_id`, waiting for them.
    pub async fn replies_to_event(&self, event_id: &str, count: usize) -> Vec<SentMessage> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let replies: Vec<SentMessage> = self
                .emulator
                .sent(None, None)
                .into_iter()
                .filter(|sent| sent.event_id.as_deref() == Some(event_id))
                .collect();
            if replies.len() >= count || tokio::time::Instant::now() > deadline {
                return replies;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Starts an emulator and `builder`'s bot against it, and waits until the bot is connected.
pub async fn start(builder: BotBuilder) -> Running {
    start_with(builder, |config| config).await
}

/// Like [`start`], with a chance to change the bot configuration.
pub async fn start_with(builder: BotBuilder, change: impl FnOnce(Config) -> Config) -> Running {
    let emulator = Emulator::builder().start().await.expect("emulator starts");
    let world_bot = emulator.bot();
    let config = change(
        Config::new(
            AppId::new(world_bot.app_id),
            AppSecret::new(world_bot.secret),
        )
        .with_api_base(&emulator.base_url()),
    );
    let bot = builder.build(&config).expect("bot builds");
    let handle = bot.handle();
    let task = tokio::spawn(bot.run_until(std::future::pending()));

    let ready = tokio::time::timeout(WAIT, handle.ready())
        .await
        .expect("bot connects within the wait");
    assert!(ready, "bot stopped before READY");

    Running {
        emulator,
        bot: handle,
        task,
    }
}

/// Log lines captured from `tracing`.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Installs a subscriber for the current thread that writes into this buffer.
    pub fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Self::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("qie=debug")
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();

        let guard = tracing::subscriber::set_default(subscriber);
        (logs, guard)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads a fixture of the repository.
pub fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));

    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}
