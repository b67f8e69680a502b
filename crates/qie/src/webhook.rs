//! The webhook transport: events from a [`qie_webhook`] receiver instead of the WebSocket
//! gateway, handled by the same handlers with the same per-conversation order.
//!
//! ```no_run
//! use qie::webhook::{Server, Webhook};
//! use qie::{Bot, Config};
//!
//! # async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
//! let bot = Bot::builder().build(&config)?;
//! let (webhook, events) = Webhook::builder()
//!     .bot(config.app_id.clone(), config.secret.clone())
//!     .build()?;
//! let server = Server::builder("127.0.0.1:9000".parse()?)
//!     .serve(webhook.router("/qq/webhook")?)
//!     .await?;
//! tokio::spawn(server.run());
//!
//! bot.run_webhook(events, async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await;
//! # Ok(())
//! # }
//! ```
//!
//! The receiver verifies, de-duplicates and acknowledges each request before the event reaches
//! the bot; see `docs/webhook.md` for TLS, reverse proxies and the validation handshake.

use futures_util::StreamExt as _;
pub use qie_webhook::{
    Error, ErrorKind, Events, Server, ServerBuilder, TlsConfig, UnsignedValidation, Webhook,
    WebhookBuilder, WebhookEvent, WebhookKey, WebhookStats,
};

use crate::Bot;
use crate::bot::serve_spawned;

impl Bot {
    /// Handles the events of a webhook receiver until the stream ends or `signal` completes,
    /// then gives running handlers the shutdown timeout to finish.
    ///
    /// Events of other AppIDs (a stream shared by several bots) are dropped with a warning;
    /// give each bot its own stream with
    /// [`WebhookBuilder::build_per_bot`](qie_webhook::WebhookBuilder::build_per_bot).
    /// No READY arrives over webhooks, so [`Context::bot_id`](crate::Context::bot_id) stays
    /// `None`; guild mentions of the bot are still recognised by the `bot` flag of the mention.
    pub async fn run_webhook(self, events: Events, signal: impl Future<Output = ()> + Send) {
        let app_id = self.http().app_id().clone();
        let dispatches = events.filter_map(move |event| {
            let dispatch = if event.app_id == app_id {
                Some(event.dispatch)
            } else {
                tracing::warn!(
                    app_id = %event.app_id,
                    bot = %app_id,
                    "webhook event for another bot dropped"
                );
                None
            };

            std::future::ready(dispatch)
        });

        // As with the gateway, the event loop runs as a task of the runtime, not on the thread
        // that awaits this call.
        serve_spawned(|stop| self.run_stream(dispatches, stop), signal).await;
    }
}
