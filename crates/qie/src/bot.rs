//! [`Bot`] and [`BotBuilder`]: handlers in, a running bot out.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use futures_util::FutureExt as _;
use futures_util::{Stream, StreamExt as _};
use qie_gateway::{Cluster, ShardEvent, ShardHandle, ShutdownMode};
use qie_model::event::{Event, EventType, Interaction};
use qie_model::gateway::{Dispatch, Intents};
use qie_model::id::MessageId;
use tokio::sync::watch;

use crate::command::{Args, Command, Commands, command_fn};
use crate::config::Config;
use crate::context::{Context, Shared};
use crate::dispatch::{DispatchLimits, Dispatcher};
use crate::error::{BotError, BotErrorKind};
use crate::handler::{
    DynHandler, EventHandler, Handler, HandlerResult, MessageFilter, MessageHandler, event_fn,
    message_fn,
};
use crate::incoming::{Conversation, Message};
use crate::send;
use crate::transport::{ClientDiscovery, ClientTokens};

/// How long a shutdown waits for running handlers by default.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// How many recent message ids the bot remembers to drop a message delivered twice.
const RECENT_MESSAGES: usize = 2048;
/// Events the gateway loop handles between two checks for a shutdown request while events keep
/// arriving.
const SHUTDOWN_CHECK_INTERVAL: u32 = 64;

/// Collects handlers and settings; [`build`](Self::build) makes a [`Bot`].
///
/// Handlers run in registration order for each event; commands run first. The intents the bot
/// identifies with are the union of what the handlers need, unless [`intents`](Self::intents)
/// replaces them.
#[must_use]
pub struct BotBuilder {
    handlers: Vec<Arc<dyn DynHandler>>,
    commands: Commands,
    intents: Option<Intents>,
    extra_intents: Intents,
    limits: Option<DispatchLimits>,
    auto_ack: bool,
    shutdown_timeout: Duration,
}

impl fmt::Debug for BotBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BotBuilder")
            .field("handlers", &self.handlers.len())
            .field("commands", &self.commands)
            .field("intents", &self.derived_intents())
            .finish_non_exhaustive()
    }
}

impl Default for BotBuilder {
    fn default() -> Self {
        Self {
            handlers: Vec::new(),
            commands: Commands::default(),
            intents: None,
            extra_intents: Intents::empty(),
            limits: None,
            auto_ack: true,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
        }
    }
}

impl BotBuilder {
    /// Registers a command; see [`command`](crate::command) for how commands are recognised.
    ///
    /// `command` is a name (`"ping"`) or a [`Command`] with aliases and help text.
    pub fn command<F, Fut>(mut self, command: impl Into<Command>, handler: F) -> Self
    where
        F: Fn(Context, Args) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.commands.add(command.into(), command_fn(handler));
        self
    }

    /// Registers a handler for messages addressed to the bot: guild @ messages, DMs, group @
    /// messages and C2C messages (commands included; [`Context::command`] tells them apart).
    pub fn on_message<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Context, Message) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.handlers.push(Arc::new(MessageHandler {
            filter: MessageFilter::Addressed,
            function: message_fn(handler),
        }));
        self
    }

    /// Registers a handler for every message the bot receives, including channel messages that
    /// do not mention it (MESSAGE_CREATE, which needs the private-domain `GUILD_MESSAGES`
    /// intent) and group messages without a mention (GROUP_MESSAGE_CREATE).
    pub fn on_any_message<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Context, Message) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.handlers.push(Arc::new(MessageHandler {
            filter: MessageFilter::All,
            function: message_fn(handler),
        }));
        self
    }

    /// Registers a handler for button clicks and other interactions (INTERACTION_CREATE).
    ///
    /// The bot acknowledges each interaction (`PUT /interactions/{id}`, code 0) as it arrives,
    /// before the handler runs, unless [`auto_ack_interactions`](Self::auto_ack_interactions)
    /// turns that off. [`Context::reply`] answers in the scene of the click.
    pub fn on_interaction<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Context, Interaction) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.handlers.push(Arc::new(EventHandler {
            types: vec![EventType::InteractionCreate],
            function: event_fn(move |ctx: Context| {
                let handler = Arc::clone(&handler);
                async move {
                    let Some(interaction) = ctx.interaction().cloned() else {
                        return Ok(());
                    };
                    handler(ctx, interaction).await
                }
            }),
        }));
        self
    }

    /// Registers a handler for the given event types.
    pub fn on<F, Fut>(mut self, types: impl IntoIterator<Item = EventType>, handler: F) -> Self
    where
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.handlers.push(Arc::new(EventHandler {
            types: types.into_iter().collect(),
            function: event_fn(handler),
        }));
        self
    }

    /// Registers a handler for every event, READY and [`Event::Unknown`] included. It adds no
    /// intents: it sees what the other handlers (or [`add_intents`](Self::add_intents))
    /// subscribe to.
    pub fn on_event<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.handlers.push(Arc::new(EventHandler {
            types: Vec::new(),
            function: event_fn(handler),
        }));
        self
    }

    /// Registers a [`Handler`].
    pub fn handler(mut self, handler: impl Handler) -> Self {
        self.handlers.push(Arc::new(handler));
        self
    }

    /// Replaces the derived intents.
    pub fn intents(mut self, intents: Intents) -> Self {
        self.intents = Some(intents);
        self
    }

    /// Adds intents to the derived ones.
    pub fn add_intents(mut self, intents: Intents) -> Self {
        self.extra_intents |= intents;
        self
    }

    /// Sets the dispatcher limits (default: those of the [`Config`]).
    pub fn limits(mut self, limits: DispatchLimits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// Sets whether interactions are acknowledged automatically (default `true`).
    pub fn auto_ack_interactions(mut self, enabled: bool) -> Self {
        self.auto_ack = enabled;
        self
    }

    /// Sets how long a shutdown waits for running handlers (default 10 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// Returns the intents the bot will identify with.
    ///
    /// Commands and message handlers need `PUBLIC_GUILD_MESSAGES`, `DIRECT_MESSAGE` and
    /// `GROUP_AND_C2C_EVENT`; [`on_any_message`](Self::on_any_message) adds `GUILD_MESSAGES`;
    /// interaction handlers need `INTERACTION`. `DIRECT_MESSAGE` and `GUILD_MESSAGES` need the
    /// platform's approval: a bot without it is closed with 4014 on connect, so remove them
    /// with [`intents`](Self::intents) if the bot lacks them.
    pub fn derived_intents(&self) -> Intents {
        if let Some(intents) = self.intents {
            return intents;
        }

        let commands = if self.commands.is_empty() {
            Intents::empty()
        } else {
            MessageFilter::Addressed.intents()
        };
        // Interactions are acknowledged even without a handler, so buttons never spin.
        let interactions = if self.auto_ack {
            Intents::INTERACTION
        } else {
            Intents::empty()
        };

        self.handlers.iter().fold(
            commands | interactions | self.extra_intents,
            |all, handler| all | handler.intents(),
        )
    }

    /// Builds the bot.
    ///
    /// # Errors
    ///
    /// [`BotError`] of kind [`BotErrorKind::Http`] when the OpenAPI client cannot be built from
    /// the configuration (an invalid URL).
    pub fn build(self, config: &Config) -> Result<Bot, BotError> {
        let http_config = qie_http::HttpConfig::with_base_url(&config.api_base)
            .and_then(|http| http.token_url_str(&config.token_url))
            .map_err(BotError::http)?;
        // A proxy from HTTP_PROXY cannot reach this machine's loopback address.
        let http_config = if is_loopback(&config.api_base) {
            http_config.use_env_proxy(false)
        } else {
            http_config
        };
        let http = qie_http::Client::builder(config.app_id.clone(), config.secret.clone())
            .config(http_config)
            .build()
            .map_err(BotError::http)?;

        let builder = match config.intents {
            Some(intents) => self.intents(intents),
            None => self,
        };

        Ok(builder.build_with_client(http, config.limits))
    }

    /// Builds the bot around an existing OpenAPI client.
    pub fn build_with_client(self, http: qie_http::Client, limits: DispatchLimits) -> Bot {
        let intents = self.derived_intents();
        let (status, _) = watch::channel(Status::Starting);

        Bot {
            shared: Arc::new(Shared {
                http,
                bot_id: RwLock::new(None),
                commands: self.commands,
            }),
            handlers: self.handlers.into(),
            intents,
            limits: self.limits.unwrap_or(limits),
            auto_ack: self.auto_ack,
            shutdown_timeout: self.shutdown_timeout,
            status: Arc::new(status),
        }
    }
}

/// A bot, ready to run.
///
/// [`run`](Self::run) connects to the gateway and handles events until Ctrl-C (or SIGTERM on
/// Unix); [`handle`](Self::handle) gives a [`BotHandle`] to stop it from elsewhere or wait
/// until it is connected.
pub struct Bot {
    shared: Arc<Shared>,
    handlers: Arc<[Arc<dyn DynHandler>]>,
    intents: Intents,
    limits: DispatchLimits,
    auto_ack: bool,
    shutdown_timeout: Duration,
    status: Arc<watch::Sender<Status>>,
}

impl fmt::Debug for Bot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bot")
            .field("app_id", self.shared.http.app_id())
            .field("intents", &self.intents)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Bot {
    /// Starts a [`BotBuilder`].
    pub fn builder() -> BotBuilder {
        BotBuilder::default()
    }

    /// Returns the intents the bot identifies with.
    pub fn intents(&self) -> Intents {
        self.intents
    }

    /// Returns the OpenAPI client.
    pub fn http(&self) -> &qie_http::Client {
        &self.shared.http
    }

    /// Returns a handle to watch and stop the bot.
    pub fn handle(&self) -> BotHandle {
        BotHandle {
            status: Arc::clone(&self.status),
        }
    }

    /// Connects and handles events until Ctrl-C (SIGINT) or SIGTERM, then shuts down
    /// gracefully: the gateway session is closed so that the next start can resume it, and
    /// running handlers get the shutdown timeout to finish.
    ///
    /// # Errors
    ///
    /// [`BotError`]: the credentials are wrong, the platform is unreachable, or the gateway
    /// stopped the bot (for example intents it is not granted).
    pub async fn run(self) -> Result<(), BotError> {
        self.run_until(shutdown_signal()).await
    }

    /// Like [`run`](Self::run), but stops when `signal` completes instead of on Ctrl-C.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run).
    pub async fn run_until(self, signal: impl Future<Output = ()> + Send) -> Result<(), BotError> {
        let _stopped = StoppedOnDrop(Arc::clone(&self.status));

        // Fetching a token first turns wrong credentials and an unreachable host into one clear
        // error, before the gateway starts retrying.
        self.shared
            .http
            .token_source()
            .token()
            .await
            .map_err(|error| {
                BotError::startup(error, self.shared.http.config().token_url().as_str())
            })?;

        let config = qie_gateway::Config::builder(
            ClientTokens(self.shared.http.token_source().clone()),
            self.intents,
        )
        .discovery(ClientDiscovery(self.shared.http.clone()))
        .build();
        let cluster = Cluster::new(config)
            .await
            .map_err(|error| BotError::new(BotErrorKind::Discovery, Some(Box::new(error))))?;
        tracing::info!(
            intents = self.intents.bits(),
            shards = cluster.shards().len(),
            "bot starting"
        );

        // The event loop runs as a task of the runtime, beside the shard tasks, rather than on
        // the thread that awaits `run`: with `#[tokio::main]` that is the main thread, and every
        // event would cross threads twice.
        serve_spawned(|stop| self.serve_gateway(cluster, stop), signal)
            .await
            .unwrap_or(Ok(()))
    }

    async fn serve_gateway(
        self,
        mut cluster: Cluster,
        signal: impl Future<Output = ()> + Send,
    ) -> Result<(), BotError> {
        let handle = cluster.handle();
        let dispatcher = Dispatcher::new(self.limits);
        let mut recent = RecentMessages::default();
        let mut failure = None;
        let mut stop = self.status.subscribe();
        let mut signal = std::pin::pin!(signal);
        let mut stopping = false;
        let mut since_check = 0_u32;

        loop {
            // Events come first in the select! below, so that a shutdown request is not polled
            // for every event. Under a flood the stream always has an event ready and the
            // shutdown branches would never run, so the requests are also checked here every
            // `SHUTDOWN_CHECK_INTERVAL` events.
            since_check += 1;
            if since_check >= SHUTDOWN_CHECK_INTERVAL && !stopping {
                since_check = 0;
                let signalled = signal.as_mut().now_or_never().is_some();
                if signalled || *stop.borrow() == Status::Stopping {
                    begin_shutdown(&handle, &mut stopping);
                }
            }

            let item = tokio::select! {
                biased;
                item = cluster.next() => item,
                () = &mut signal, if !stopping => {
                    begin_shutdown(&handle, &mut stopping);
                    continue;
                }
                _ = stop.wait_for(|status| *status == Status::Stopping), if !stopping => {
                    begin_shutdown(&handle, &mut stopping);
                    continue;
                }
            };
            let Some((shard, item)) = item else {
                break;
            };

            match item {
                Ok(ShardEvent::Dispatch(dispatch)) => {
                    self.process(dispatch, &dispatcher, &mut recent).await;
                }
                Ok(ShardEvent::Ready(ready)) => {
                    tracing::info!(shard = shard.id, session_id = %ready.session_id, bot = %ready.user.username, "gateway session ready");
                    *self
                        .shared
                        .bot_id
                        .write()
                        .unwrap_or_else(PoisonError::into_inner) = Some(ready.user.id.clone());
                    self.status.send_if_modified(|status| {
                        let changed = *status == Status::Starting;
                        if changed {
                            *status = Status::Ready;
                        }
                        changed
                    });
                    let dispatch = Dispatch::new(None, None, Event::Ready(ready));
                    self.process(dispatch, &dispatcher, &mut recent).await;
                }
                Ok(ShardEvent::Reconnecting(reconnecting)) => {
                    tracing::info!(
                        shard = shard.id,
                        reason = %reconnecting.reason,
                        delay_ms = u64::try_from(reconnecting.delay.as_millis()).unwrap_or(u64::MAX),
                        resume = reconnecting.resume,
                        "gateway reconnecting"
                    );
                }
                Ok(ShardEvent::Resumed(resumed)) => {
                    tracing::info!(
                        shard = shard.id,
                        replayed = resumed.replayed,
                        "gateway session resumed"
                    );
                }
                Ok(other) => {
                    tracing::debug!(shard = shard.id, event = ?other, "gateway lifecycle event");
                }
                Err(error) => {
                    tracing::warn!(shard = shard.id, %error, "gateway shard stopped");
                    failure.get_or_insert(error);
                    stopping = true;
                    handle.shutdown(ShutdownMode::Final);
                }
            }
        }

        if !dispatcher.drain(self.shutdown_timeout).await {
            tracing::warn!(
                timeout_ms = u64::try_from(self.shutdown_timeout.as_millis()).unwrap_or(u64::MAX),
                "handlers still running at shutdown were abandoned"
            );
        }
        tracing::info!("bot stopped");

        match failure {
            Some(error) => Err(BotError::gateway(error, self.intents)),
            None => Ok(()),
        }
    }

    /// Handles a stream of dispatches from any transport until it ends or `signal` completes.
    ///
    /// [`run`](Self::run) feeds it from the WebSocket gateway; a webhook server or a test can
    /// feed it directly. Events are de-duplicated by message id, interactions acknowledged, and
    /// handlers run per conversation as with the gateway.
    pub async fn run_stream(
        self,
        events: impl Stream<Item = Dispatch> + Send,
        signal: impl Future<Output = ()> + Send,
    ) {
        let _stopped = StoppedOnDrop(Arc::clone(&self.status));
        let dispatcher = Dispatcher::new(self.limits);
        let mut recent = RecentMessages::default();
        let mut events = std::pin::pin!(events);
        let mut signal = std::pin::pin!(signal);
        let mut stop = self.status.subscribe();
        self.status.send_replace(Status::Ready);

        loop {
            let dispatch = tokio::select! {
                () = &mut signal => break,
                // `BotHandle::shutdown` stops every transport, not only the gateway.
                _ = stop.wait_for(|status| *status == Status::Stopping) => break,
                dispatch = events.next() => dispatch,
            };
            let Some(dispatch) = dispatch else {
                break;
            };
            if let Event::Ready(ready) = &dispatch.event {
                *self
                    .shared
                    .bot_id
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Some(ready.user.id.clone());
            }
            self.process(dispatch, &dispatcher, &mut recent).await;
        }

        dispatcher.drain(self.shutdown_timeout).await;
    }

    /// Queues the handlers of one dispatch behind the earlier events of its conversation.
    async fn process(
        &self,
        dispatch: Dispatch,
        dispatcher: &Dispatcher<Conversation>,
        recent: &mut RecentMessages,
    ) {
        if let Some(id) = message_id(&dispatch.event)
            && !recent.insert(id)
        {
            tracing::debug!(event = %dispatch.event.name(), message_id = %id, "dropping a message delivered twice");
            return;
        }

        if self.auto_ack
            && let Event::InteractionCreate(interaction) = &dispatch.event
        {
            // Acknowledged at once, outside the conversation queue: the platform expects
            // the answer within seconds, while the queue may be busy.
            let http = self.shared.http.clone();
            let id = interaction.id.clone();
            tokio::spawn(async move {
                if let Err(error) = send::acknowledge(&http, &id).await {
                    tracing::warn!(interaction_id = %id, %error, "failed to acknowledge interaction");
                }
            });
        }

        let ctx = Context::new(Arc::clone(&self.shared), dispatch);
        let conversation = ctx.conversation().clone();
        let handlers = Arc::clone(&self.handlers);
        let job = run_handlers(ctx, handlers);

        dispatcher.dispatch(conversation, job).await;
    }
}

/// Closes the gateway session, resumably, for a shutdown request.
fn begin_shutdown(handle: &ShardHandle, stopping: &mut bool) {
    tracing::info!("shutdown requested; closing the gateway session");
    *stopping = true;
    handle.shutdown(ShutdownMode::Resumable);
}

/// Runs the future that `start` builds as a task of the runtime, and completes the stop future
/// that `start` receives once `signal` completes. Dropping the returned future also completes
/// it. Returns the task's output, or `None` when the runtime shut down first. A panic of the
/// task is raised again here.
pub(crate) async fn serve_spawned<T, F>(
    start: impl FnOnce(Pin<Box<dyn Future<Output = ()> + Send>>) -> F,
    signal: impl Future<Output = ()>,
) -> Option<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut task = tokio::spawn(start(Box::pin(async move {
        let _ = stopped.await;
    })));
    let mut signal = std::pin::pin!(signal);
    tokio::select! {
        result = &mut task => return joined(result),
        () = &mut signal => {
            let _ = stop.send(());
        }
    }

    joined(task.await)
}

fn joined<T>(result: Result<T, tokio::task::JoinError>) -> Option<T> {
    match result {
        Ok(output) => Some(output),
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(_) => None,
    }
}

/// Runs the command, then every handler, logging each failure.
async fn run_handlers(ctx: Context, handlers: Arc<[Arc<dyn DynHandler>]>) {
    // Read the clock only when the time is logged.
    let started = tracing::enabled!(tracing::Level::DEBUG).then(tokio::time::Instant::now);
    if let Some(invocation) = ctx.command().cloned() {
        let command = invocation.command().name().to_owned();
        if let Err(error) = ctx.commands().run(ctx.clone(), &invocation).await {
            tracing::warn!(event = %ctx.event().name(), conversation = ?ctx.conversation(), command = %command, %error, "command handler failed");
        }
    }

    for handler in handlers.iter() {
        if let Err(error) = handler.handle(ctx.clone()).await {
            tracing::warn!(event = %ctx.event().name(), conversation = ?ctx.conversation(), %error, "event handler failed");
        }
    }
    if let Some(started) = started {
        tracing::debug!(event = %ctx.event().name(), elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX), "event handled");
    }
}

/// Returns whether a URL names a loopback host (`localhost`, 127.0.0.0/8 or `[::1]`).
fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };

    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

fn message_id(event: &Event) -> Option<&MessageId> {
    match event {
        Event::AtMessageCreate(message)
        | Event::MessageCreate(message)
        | Event::DirectMessageCreate(message) => Some(&message.id),
        Event::GroupAtMessageCreate(message) | Event::GroupMessageCreate(message) => {
            Some(&message.id)
        }
        Event::C2cMessageCreate(message) => Some(&message.id),
        _ => None,
    }
}

/// Message ids seen recently, bounded: a group message that mentions the bot can arrive both as
/// GROUP_AT_MESSAGE_CREATE and GROUP_MESSAGE_CREATE, and the platform may push a message twice.
///
/// It remembers at least the last [`RECENT_MESSAGES`] ids and at most twice as many. When it
/// reaches twice the bound, one sweep removes all but the newest [`RECENT_MESSAGES`], which costs
/// less per message than a queue kept in step with the set.
#[derive(Default)]
struct RecentMessages {
    /// Each id with its insertion number.
    ids: HashMap<MessageId, u64, foldhash::fast::RandomState>,
    inserted: u64,
}

impl RecentMessages {
    /// Records `id`; returns `false` when it was seen before.
    fn insert(&mut self, id: &MessageId) -> bool {
        match self.ids.entry(id.clone()) {
            Entry::Occupied(_) => return false,
            Entry::Vacant(entry) => entry.insert(self.inserted),
        };
        self.inserted += 1;
        if self.ids.len() >= 2 * RECENT_MESSAGES {
            let oldest_kept = self.inserted - RECENT_MESSAGES as u64;
            self.ids.retain(|_, inserted| *inserted >= oldest_kept);
        }

        true
    }
}

/// The state of a bot as a [`BotHandle`] sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// Connecting (or not started).
    Starting,
    /// A gateway session is ready (READY received) and events flow.
    Ready,
    /// A shutdown was requested.
    Stopping,
    /// `run` returned.
    Stopped,
}

/// Watches and stops a running [`Bot`]. Cheap to clone.
#[derive(Clone, Debug)]
pub struct BotHandle {
    status: Arc<watch::Sender<Status>>,
}

impl BotHandle {
    /// Returns the current status.
    pub fn status(&self) -> Status {
        *self.status.borrow()
    }

    /// Asks the bot to shut down gracefully; returns at once.
    pub fn shutdown(&self) {
        self.status.send_if_modified(|status| {
            let changed = matches!(status, Status::Starting | Status::Ready);
            if changed {
                *status = Status::Stopping;
            }
            changed
        });
    }

    /// Waits until the first gateway session is ready; returns `false` if the bot stopped
    /// before that.
    pub async fn ready(&self) -> bool {
        let mut receiver = self.status.subscribe();
        let reached = receiver
            .wait_for(|status| *status != Status::Starting)
            .await
            .map(|status| *status == Status::Ready);

        reached.unwrap_or(false)
    }
}

/// Marks the bot stopped when `run` returns, on success, error or cancellation.
struct StoppedOnDrop(Arc<watch::Sender<Status>>);

impl Drop for StoppedOnDrop {
    fn drop(&mut self) {
        self.0.send_replace(Status::Stopped);
    }
}

/// Completes on Ctrl-C, or on SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut stream) => {
                    stream.recv().await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops the bot");
                    std::future::pending::<()>().await;
                }
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_messages_forget_oldest() {
        let mut recent = RecentMessages::default();
        assert!(recent.insert(&MessageId::new("a")));
        assert!(!recent.insert(&MessageId::new("a")));
        // The newest RECENT_MESSAGES ids are always remembered.
        for index in 0..RECENT_MESSAGES - 1 {
            assert!(recent.insert(&MessageId::new(index.to_string())));
        }
        assert!(!recent.insert(&MessageId::new("a")));
        assert!(!recent.insert(&MessageId::new("0")));

        // None is remembered after twice as many newer ones.
        for index in RECENT_MESSAGES..2 * RECENT_MESSAGES {
            assert!(recent.insert(&MessageId::new(index.to_string())));
        }
        assert!(recent.insert(&MessageId::new("a")));
        assert!(recent.ids.len() < 2 * RECENT_MESSAGES);
    }

    #[test]
    fn loopback_urls() {
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://localhost/qq"));
        assert!(is_loopback("http://[::1]:9000/"));
        assert!(!is_loopback("https://api.bot.qq.com"));
        assert!(!is_loopback("http://10.0.0.1:8080"));
    }

    #[test]
    fn intents_follow_handlers() {
        let empty = Bot::builder().auto_ack_interactions(false);
        assert_eq!(empty.derived_intents(), Intents::empty());

        let commands = Bot::builder().command("ping", |_, _| async { Ok(()) });
        assert_eq!(
            commands.derived_intents(),
            Intents::PUBLIC_GUILD_MESSAGES
                | Intents::DIRECT_MESSAGE
                | Intents::GROUP_AND_C2C_EVENT
                | Intents::INTERACTION
        );

        let any = Bot::builder()
            .auto_ack_interactions(false)
            .on_any_message(|_, _| async { Ok(()) });
        assert!(any.derived_intents().contains(Intents::GUILD_MESSAGES));

        let reactions = Bot::builder()
            .auto_ack_interactions(false)
            .on([EventType::MessageReactionAdd], |_| async { Ok(()) });
        assert_eq!(
            reactions.derived_intents(),
            Intents::GUILD_MESSAGE_REACTIONS
        );

        let fixed = Bot::builder()
            .command("ping", |_, _| async { Ok(()) })
            .intents(Intents::GROUP_AND_C2C_EVENT);
        assert_eq!(fixed.derived_intents(), Intents::GROUP_AND_C2C_EVENT);
    }
}
