#![doc = include_str!("../README.md")]
#![allow(
    clippy::single_match_else,
    reason = "match reads better than if-let-else for the platform rules"
)]

mod auth;
mod clock;
pub mod config;
mod console;
pub mod control;
mod error;
mod faults;
pub mod gateway;
mod ids;
pub mod inspect;
pub mod miniapp;
pub mod oauth;
mod respond;
mod rest;
mod state;
mod store;
mod token;
pub mod webhook;
pub mod world;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{Notify, broadcast, oneshot};
use tokio::task::JoinHandle;

pub use crate::config::{
    EmulatorConfig, ErrorBodyFormat, PassiveErrorStyle, PassiveRules, ProactivePolicy, RateLimits,
    SessionStartLimit,
};
pub use crate::control::Control;
pub use crate::error::{Error, ErrorKind};
pub use crate::faults::RestFailure;
pub use crate::gateway::{Firehose, FirehoseFrame, GatewayFault, SessionInfo, SessionTarget};
pub use crate::inspect::InspectorEvent;
pub use crate::store::{Conversation, SentMessage};
pub use crate::token::TOKEN_PATH;
pub use crate::world::World;

use crate::gateway::GatewayState;
use crate::ids::IdGen;
use crate::state::{App, Inner, Shared};
use crate::store::Store;
use crate::token::TokenStore;

/// Prefix of the control API's HTTP routes.
pub const CONTROL_PREFIX: &str = "/_emulator";

/// Entry point: `Emulator::builder()…start().await`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Returns a builder with the default settings and the example world.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Configures and starts an emulator.
#[derive(Debug, Default)]
#[must_use]
pub struct EmulatorBuilder {
    config: EmulatorConfig,
    world: Option<World>,
    world_file: Option<PathBuf>,
    seed: Option<u64>,
    webhook: webhook::WebhookSettings,
}

impl EmulatorBuilder {
    /// Uses this world instead of [`World::example`].
    pub fn world(mut self, world: World) -> Self {
        self.world = Some(world);
        self
    }

    /// Loads the world from a TOML file when starting.
    pub fn world_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.world_file = Some(path.into());
        self
    }

    /// Overrides the world's seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Listening address; default `127.0.0.1:0`.
    pub fn bind(mut self, address: SocketAddr) -> Self {
        self.config.bind = address;
        self
    }

    /// Lifetime of fresh access tokens; default 7200 s.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// Final part of a token's life during which a new one is minted; default 60 s.
    pub fn token_refresh_window(mut self, window: Duration) -> Self {
        self.config.token_refresh_window = window;
        self
    }

    /// Heartbeat interval announced in Hello; default 45 s.
    pub fn hello_interval(mut self, interval: Duration) -> Self {
        self.config.hello_interval = interval;
        self
    }

    /// Silence after which a connection is closed with 4009; default 90 s.
    pub fn heartbeat_timeout(mut self, timeout: Duration) -> Self {
        self.config.heartbeat_timeout = timeout;
        self
    }

    /// How long a disconnected session stays resumable; default 300 s.
    pub fn resume_window(mut self, window: Duration) -> Self {
        self.config.resume_window = window;
        self
    }

    /// `shards` of `GET /gateway/bot`; default 1.
    pub fn shards(mut self, shards: u32) -> Self {
        self.config.shards = shards.max(1);
        self
    }

    /// `session_start_limit` of `GET /gateway/bot`, enforced on Identify.
    pub fn session_start_limit(mut self, limit: SessionStartLimit) -> Self {
        self.config.session_start_limit = limit;
        self
    }

    /// Accepts the legacy `Bot {appid}.{token}` authorization (REST, Identify, Resume).
    pub fn legacy_bot_token(mut self, accept: bool) -> Self {
        self.config.legacy_bot_token = accept;
        self
    }

    /// Shape of REST error bodies; default [`ErrorBodyFormat::Both`].
    pub fn error_body_format(mut self, format: ErrorBodyFormat) -> Self {
        self.config.error_body_format = format;
        self
    }

    /// Treatment of proactive sends; default [`ProactivePolicy::OptIn`].
    pub fn proactive_policy(mut self, policy: ProactivePolicy) -> Self {
        self.config.proactive_policy = policy;
        self
    }

    /// Reply windows and counts.
    pub fn passive_rules(mut self, rules: PassiveRules) -> Self {
        self.config.passive = rules;
        self
    }

    /// Send rate limits.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.config.rate_limits = limits;
        self
    }

    /// Delivers `event` under intent `bit` instead of the default.
    pub fn intent(mut self, event: impl Into<String>, bit: u8) -> Self {
        self.config.intent_map.insert(event.into(), bit);
        self
    }

    /// Changes any setting.
    pub fn configure(mut self, change: impl FnOnce(&mut EmulatorConfig)) -> Self {
        change(&mut self.config);
        self
    }

    /// Default delivery settings of webhook registrations (see [`webhook`]).
    pub fn webhook_settings(mut self, settings: webhook::WebhookSettings) -> Self {
        self.webhook = settings;
        self
    }

    /// Binds the socket and starts serving.
    pub async fn start(self) -> Result<EmulatorHandle, Error> {
        let mut world = match (&self.world_file, self.world) {
            (Some(path), _) => World::load(path)?,
            (None, Some(world)) => world,
            (None, None) => World::example(),
        };
        if let Some(seed) = self.seed {
            world.seed = seed;
        }
        world.complete();
        world.validate()?;

        let listener = TcpListener::bind(self.config.bind)
            .await
            .map_err(|source| {
                Error::with_source(
                    ErrorKind::Bind,
                    format!("failed to bind {}", self.config.bind),
                    source,
                )
            })?;
        let local_addr = listener.local_addr().map_err(|source| {
            Error::with_source(ErrorKind::Bind, "failed to read the bound address", source)
        })?;

        let (inspector, _) = broadcast::channel(4096);
        let webhooks = webhook::WebhookHub::new(self.webhook, world.seed);
        let console = Arc::new(console::Console::default());
        let inner = Inner {
            ids: IdGen::new(world.seed),
            world,
            tokens: TokenStore::default(),
            store: Store::default(),
            gateway: GatewayState::new(&self.config.session_start_limit),
            rest_faults: crate::faults::RestFaults::default(),
            miniapp: miniapp::MiniappState::default(),
            oauth: oauth::OAuthStore::default(),
        };
        let shared: App = Arc::new(Shared {
            intent_map: gateway::intent_map(&self.config.intent_map),
            config: self.config,
            inner: Mutex::new(inner),
            inspector,
            sent_notify: Notify::new(),
            session_notify: Notify::new(),
            local_addr,
            sinks: vec![
                Arc::new(webhooks.clone()) as Arc<dyn gateway::DeliverySink>,
                console.clone(),
            ],
            webhooks,
            console,
        });

        let router = build_router(shared.clone());
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener, router.into_make_service()).with_graceful_shutdown(
                async move {
                    let _ = shutdown_rx.await;
                },
            );
            if let Err(error) = serve.await {
                tracing::warn!(%error, "emulator server stopped with an error");
            }
        });
        tracing::info!(%local_addr, "emulator listening");

        Ok(EmulatorHandle {
            control: Control { app: shared },
            server: Some(server),
            shutdown: Some(shutdown_tx),
        })
    }
}

/// Composes the routers of every area on one port.
///
/// To add an area (QQ Connect OAuth, mini-program server API, …), write a module with a
/// `router() -> Router<App>` and merge it here.
fn build_router(app: App) -> Router {
    let platform = Router::new()
        .merge(token::router())
        .merge(rest::router())
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            rest::middleware,
        ))
        .fallback(rest_fallback);

    Router::new()
        .merge(platform)
        .merge(gateway::router())
        .merge(miniapp::router())
        .merge(oauth::router())
        .merge(rest::cos_router())
        .merge(console::page_router())
        .nest(
            CONTROL_PREFIX,
            control::router()
                .merge(webhook::router())
                .merge(console::router())
                .layer(axum::middleware::from_fn(reject_cross_site))
                .layer(axum::middleware::from_fn(log_control)),
        )
        .with_state(app)
}

/// Rejects control calls made by a web page of another origin.
///
/// Browsers let any site send simple POSTs and open WebSockets to 127.0.0.1, so without this a
/// page in the developer's browser could inject messages or faults. Clients that send no `Origin`
/// (curl, SDKs, tests) are not browsers and pass.
async fn reject_cross_site(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;

    if let Some(origin) = console::cross_site_origin(request.headers()) {
        tracing::info!(
            origin,
            path = request.uri().path(),
            "control call from another origin rejected"
        );
        let body = serde_json::json!({
            "error": format!("the control API only accepts calls from the emulator's own pages, not from {origin}"),
            "kind": "forbidden",
        });
        return (axum::http::StatusCode::FORBIDDEN, axum::Json(body)).into_response();
    }

    next.run(request).await
}

async fn log_control(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(%method, path, status = response.status().as_u16(), "control call");

    response
}

async fn rest_fallback(
    axum::extract::State(app): axum::extract::State<App>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;

    let trace_id = app.trace_id();
    tracing::info!(method = %request.method(), path = request.uri().path(), "REST call to an unknown path");
    let (response, _) = rest::finish(&app, rest::fallback().into_response(), &trace_id);

    response
}

/// A running emulator. Dropping it stops the server and drops every gateway connection.
///
/// It dereferences to [`Control`], the in-process control API.
#[derive(Debug)]
pub struct EmulatorHandle {
    control: Control,
    server: Option<JoinHandle<()>>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl EmulatorHandle {
    /// Listening address.
    pub fn local_addr(&self) -> SocketAddr {
        self.control.app.local_addr
    }

    /// Base URL of the OpenAPI and of the token endpoint, `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.control.app.base_url()
    }

    /// Full URL of the token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url())
    }

    /// WebSocket URL, `ws://127.0.0.1:PORT/websocket/`.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}/websocket/", self.control.app.local_addr)
    }

    /// Base URL of the control API, `http://127.0.0.1:PORT/_emulator`.
    pub fn control_url(&self) -> String {
        format!("{}{CONTROL_PREFIX}", self.base_url())
    }

    /// URL of the web console, `http://127.0.0.1:PORT/`: a page to talk to the bots as users,
    /// see what they send, watch the gateway and REST traffic and inject faults.
    pub fn console_url(&self) -> String {
        format!("{}/", self.base_url())
    }

    /// The in-process control API.
    pub fn control(&self) -> &Control {
        &self.control
    }

    /// Subscribes to the inspector feed.
    pub fn subscribe(&self) -> broadcast::Receiver<InspectorEvent> {
        self.control.app.inspector.subscribe()
    }

    /// Stops the server, drops every gateway connection and waits for the server task.
    pub async fn shutdown(mut self) {
        self.stop();
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
        }
    }

    fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let inner = self.control.app.lock();
        for session in inner.gateway.sessions.values() {
            if let Some(link) = &session.link {
                let _ = link.control.send(gateway::ConnControl::Drop);
            }
        }
    }
}

impl std::ops::Deref for EmulatorHandle {
    type Target = Control;

    fn deref(&self) -> &Control {
        &self.control
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.stop();
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
