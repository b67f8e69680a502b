//! The receiver, its builder and its settings.

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Body;
use bytes::Bytes;
use futures_util::future::BoxFuture;
use http::{Request, Response};
use qie_model::id::AppId;
use qie_model::secret::AppSecret;
use tokio::sync::mpsc;

use crate::dedupe::Dedupe;
use crate::error::{Error, ErrorKind};
use crate::event::{Events, WebhookEvent};
use crate::key::WebhookKey;
use crate::receiver::{self, RejectionWarnings};
use crate::stats::{Counters, WebhookStats};

/// What the receiver does with a callback validation (op 13) that carries no signature headers.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnsignedValidation {
    /// Answer it, provided it passes the rule of [`crate::validation`]. The platform's docs show
    /// validation requests without signature headers, so this is the default.
    #[default]
    Answer,
    /// Reject it with 401, like every other unsigned request.
    Reject,
}

/// The source of the current time, for the freshness window.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Numbers that shape request handling; see the setters of [`WebhookBuilder`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) body_limit: usize,
    pub(crate) body_timeout: Duration,
    pub(crate) freshness_window: Option<Duration>,
    pub(crate) enqueue_timeout: Duration,
    pub(crate) unsigned_validation: UnsignedValidation,
}

/// A configured bot: its key and the queue its events go to.
pub(crate) struct BotEntry {
    pub(crate) key: WebhookKey,
    pub(crate) sender: mpsc::Sender<WebhookEvent>,
}

/// State shared by every clone of a [`Webhook`].
pub(crate) struct Shared {
    pub(crate) bots: HashMap<AppId, BotEntry>,
    /// The bot used when `X-Bot-Appid` is absent: set only when exactly one bot is configured.
    pub(crate) only_bot: Option<AppId>,
    pub(crate) settings: Settings,
    pub(crate) dedupe: Mutex<Dedupe>,
    pub(crate) counters: Counters,
    pub(crate) warnings: RejectionWarnings,
    pub(crate) clock: Clock,
}

impl Shared {
    /// Returns the current Unix time in seconds (0 for a clock set before 1970).
    pub(crate) fn unix_now(&self) -> u64 {
        (self.clock)()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }
}

/// A webhook receiver for one or more bots.
///
/// It verifies each request, answers callback validations, acknowledges dispatches with
/// `{"op":12,"d":0}` and hands the events to [`Events`]. Mount it with [`Webhook::router`], as a
/// tower [`Service`](tower::Service) with axum's `route_service`, or serve it with
/// [`Server`](crate::Server). Clones share the same bots, queue, de-duplication and counters.
///
/// See the crate docs for an example.
#[derive(Clone)]
pub struct Webhook {
    shared: Arc<Shared>,
}

impl Webhook {
    /// Returns a builder with the default settings and no bot.
    pub fn builder() -> WebhookBuilder {
        WebhookBuilder::default()
    }

    /// Returns an axum [`Router`] that serves this receiver on `path` (POST only).
    ///
    /// Merge or nest it into an application's router, or pass it to
    /// [`ServerBuilder::serve`](crate::ServerBuilder::serve).
    ///
    /// # Errors
    ///
    /// Returns [`ErrorKind::InvalidPath`] unless `path` starts with `/` and contains only
    /// letters, digits, `/`, `-`, `.`, `_` and `~` (axum reads `{` and `*` as captures).
    pub fn router(&self, path: &str) -> Result<Router, Error> {
        let valid = path.starts_with('/')
            && path
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte));
        if !valid {
            return Err(Error::new(ErrorKind::InvalidPath {
                path: path.to_owned(),
            }));
        }

        Ok(Router::new().route_service(path, self.clone()))
    }

    /// Returns how many requests ended each way so far.
    pub fn stats(&self) -> WebhookStats {
        self.shared.counters.snapshot()
    }

    /// Returns the AppIDs this receiver serves.
    pub fn app_ids(&self) -> impl Iterator<Item = &AppId> {
        self.shared.bots.keys()
    }

    /// Returns the signing key of a configured bot.
    pub fn key(&self, app_id: &AppId) -> Option<&WebhookKey> {
        self.shared.bots.get(app_id).map(|bot| &bot.key)
    }

    /// Handles one request: the whole pipeline behind the [`Service`](tower::Service)
    /// implementation.
    pub async fn handle<B>(&self, request: Request<B>) -> Response<Body>
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<axum::BoxError>,
    {
        receiver::handle(&self.shared, request.map(Body::new)).await
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut app_ids: Vec<&AppId> = self.shared.bots.keys().collect();
        app_ids.sort();

        formatter
            .debug_struct("Webhook")
            .field("app_ids", &app_ids)
            .field("settings", &self.shared.settings)
            .finish_non_exhaustive()
    }
}

impl<B> tower::Service<Request<B>> for Webhook
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let webhook = self.clone();

        Box::pin(async move { Ok(webhook.handle(request).await) })
    }
}

/// Configures a [`Webhook`].
#[must_use]
pub struct WebhookBuilder {
    bots: Vec<(AppId, AppSecret)>,
    settings: Settings,
    dedupe_capacity: usize,
    dedupe_retention: Duration,
    queue_capacity: usize,
    clock: Clock,
}

impl Default for WebhookBuilder {
    fn default() -> Self {
        Self {
            bots: Vec::new(),
            settings: Settings {
                body_limit: 1024 * 1024,
                body_timeout: Duration::from_secs(10),
                freshness_window: Some(Duration::from_secs(600)),
                enqueue_timeout: Duration::from_secs(1),
                unsigned_validation: UnsignedValidation::Answer,
            },
            dedupe_capacity: 65_536,
            dedupe_retention: Duration::from_secs(1800),
            queue_capacity: 1024,
            clock: Arc::new(SystemTime::now),
        }
    }
}

impl fmt::Debug for WebhookBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let app_ids: Vec<&AppId> = self.bots.iter().map(|(app_id, _)| app_id).collect();

        formatter
            .debug_struct("WebhookBuilder")
            .field("app_ids", &app_ids)
            .field("settings", &self.settings)
            .field("dedupe_capacity", &self.dedupe_capacity)
            .field("dedupe_retention", &self.dedupe_retention)
            .field("queue_capacity", &self.queue_capacity)
            .finish_non_exhaustive()
    }
}

impl WebhookBuilder {
    /// Adds a bot. Requests are routed to it by `X-Bot-Appid`; with one bot, a request without
    /// that header goes to it.
    pub fn bot(mut self, app_id: impl Into<AppId>, secret: AppSecret) -> Self {
        self.bots.push((app_id.into(), secret));
        self
    }

    /// Largest accepted body, in bytes; default 1 MiB. A larger body is answered with 413,
    /// whether it is announced by `Content-Length` or streamed in chunks.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.settings.body_limit = bytes;
        self
    }

    /// Time allowed for the whole body to arrive; default 10 s. A slower body is answered with
    /// 408.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.settings.body_timeout = timeout;
        self
    }

    /// Largest accepted difference between `X-Signature-Timestamp` and the current time, in
    /// either direction; default 10 minutes. `None` accepts any timestamp.
    ///
    /// The platform does not document a window and sends the current time. A replay of a
    /// captured request inside the window is caught by the de-duplication of event ids.
    pub fn freshness_window(mut self, window: Option<Duration>) -> Self {
        self.settings.freshness_window = window;
        self
    }

    /// Maximum number of event ids remembered for de-duplication; default 65 536.
    ///
    /// When full, the oldest id is forgotten first, and a redelivery of it would be handled
    /// again. Size it above the number of events expected within the retention time.
    pub fn dedupe_capacity(mut self, capacity: usize) -> Self {
        self.dedupe_capacity = capacity;
        self
    }

    /// How long an event id is remembered; default 30 minutes.
    ///
    /// The receiver raises it to at least twice the freshness window, so a captured request
    /// cannot be replayed after its id is forgotten while its timestamp is still accepted.
    pub fn dedupe_retention(mut self, retention: Duration) -> Self {
        self.dedupe_retention = retention;
        self
    }

    /// Number of events that may wait in [`Events`] before deliveries slow down; default 1024.
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.queue_capacity = capacity;
        self
    }

    /// How long a delivery waits for room in a full queue before it is answered with 503;
    /// default 1 s. Keep it well below the platform's response timeout (undocumented; 5 s in the
    /// emulator), so that the platform gets an answer and retries.
    pub fn enqueue_timeout(mut self, timeout: Duration) -> Self {
        self.settings.enqueue_timeout = timeout;
        self
    }

    /// What to do with unsigned callback validations; default [`UnsignedValidation::Answer`].
    pub fn unsigned_validation(mut self, policy: UnsignedValidation) -> Self {
        self.settings.unsigned_validation = policy;
        self
    }

    /// Replaces the wall clock used for the freshness window (for tests and replays of recorded
    /// traffic).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Builds the receiver and one stream with the events of every bot.
    ///
    /// # Errors
    ///
    /// Returns [`ErrorKind::NoBots`] without a bot, [`ErrorKind::EmptySecret`] for an empty
    /// AppSecret and [`ErrorKind::DuplicateBot`] for an AppID added twice.
    pub fn build(self) -> Result<(Webhook, Events), Error> {
        let (sender, receiver) = mpsc::channel(self.queue_capacity.max(1));
        let webhook = self.build_with(|_| sender.clone())?;

        Ok((webhook, Events::new(receiver)))
    }

    /// Builds the receiver and one stream per bot, each with its own queue of
    /// [`queue_capacity`](Self::queue_capacity) events, so a slow bot never delays another.
    ///
    /// # Errors
    ///
    /// As [`build`](Self::build).
    pub fn build_per_bot(self) -> Result<(Webhook, HashMap<AppId, Events>), Error> {
        let capacity = self.queue_capacity.max(1);
        let mut streams = HashMap::new();
        let webhook = self.build_with(|app_id| {
            let (sender, receiver) = mpsc::channel(capacity);
            streams.insert(app_id.clone(), Events::new(receiver));
            sender
        })?;

        Ok((webhook, streams))
    }

    fn build_with(
        self,
        mut sender_for: impl FnMut(&AppId) -> mpsc::Sender<WebhookEvent>,
    ) -> Result<Webhook, Error> {
        if self.bots.is_empty() {
            return Err(Error::new(ErrorKind::NoBots));
        }

        let mut bots = HashMap::with_capacity(self.bots.len());
        for (app_id, secret) in self.bots {
            let Some(key) = WebhookKey::from_secret(&secret) else {
                return Err(Error::new(ErrorKind::EmptySecret { app_id }));
            };
            if bots.contains_key(&app_id) {
                return Err(Error::new(ErrorKind::DuplicateBot { app_id }));
            }
            let sender = sender_for(&app_id);
            bots.insert(app_id, BotEntry { key, sender });
        }
        let only_bot = match bots.len() {
            1 => bots.keys().next().cloned(),
            _ => None,
        };

        let retention = self
            .settings
            .freshness_window
            .map_or(self.dedupe_retention, |window| {
                self.dedupe_retention.max(window.saturating_mul(2))
            });
        let shared = Shared {
            bots,
            only_bot,
            settings: self.settings,
            dedupe: Mutex::new(Dedupe::new(self.dedupe_capacity, retention)),
            counters: Counters::default(),
            warnings: RejectionWarnings::default(),
            clock: self.clock,
        };

        Ok(Webhook {
            shared: Arc::new(shared),
        })
    }
}
