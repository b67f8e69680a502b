//! Event handlers: the [`Handler`] trait and the closures the builder accepts.

use std::pin::Pin;
use std::sync::Arc;

use qie_model::event::EventType;
use qie_model::gateway::Intents;

use crate::context::Context;
use crate::incoming::Message;

/// The error a handler returns. Any error type converts into it with `?`.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What a handler returns: `Ok(())`, or an error that the bot logs (`warn`) with the event type
/// and conversation before it goes on with the next event.
pub type HandlerResult = Result<(), HandlerError>;

/// A boxed handler future.
pub(crate) type HandlerFuture<'a> = Pin<Box<dyn Future<Output = HandlerResult> + Send + 'a>>;

/// A handler for events, as a type.
///
/// Closures registered with [`BotBuilder::on_message`](crate::BotBuilder::on_message) and its
/// siblings cover most bots; implement this trait when a handler carries state or reacts to
/// several kinds of events. [`intents`](Self::intents) tells the bot which events to subscribe to.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// use qie::{Context, Handler, HandlerResult, Intents};
///
/// /// Counts the messages of every scene and answers `/count`.
/// #[derive(Default)]
/// struct Counter(AtomicU64);
///
/// impl Handler for Counter {
///     fn intents(&self) -> Intents {
///         Intents::PUBLIC_GUILD_MESSAGES | Intents::GROUP_AND_C2C_EVENT
///     }
///
///     async fn handle(&self, ctx: Context) -> HandlerResult {
///         let Some(message) = ctx.message() else {
///             return Ok(());
///         };
///         let seen = self.0.fetch_add(1, Ordering::Relaxed) + 1;
///         if message.text() == "/count" {
///             ctx.reply(format!("{seen} messages so far")).await?;
///         }
///         Ok(())
///     }
/// }
///
/// let bot = qie::Bot::builder().handler(Counter::default());
/// # drop(bot);
/// ```
pub trait Handler: Send + Sync + 'static {
    /// Returns the intents this handler needs; the bot identifies with the union over all
    /// handlers.
    fn intents(&self) -> Intents;

    /// Handles one event. The event is [`Context::event`]; events of one conversation arrive in
    /// order, each after the previous one's handlers finished.
    fn handle(&self, ctx: Context) -> impl Future<Output = HandlerResult> + Send;
}

/// A [`Handler`] with its future boxed, so handlers of different types fit in one list.
pub(crate) trait DynHandler: Send + Sync + 'static {
    fn intents(&self) -> Intents;
    fn handle(&self, ctx: Context) -> HandlerFuture<'_>;
}

impl<H: Handler> DynHandler for H {
    fn intents(&self) -> Intents {
        Handler::intents(self)
    }

    fn handle(&self, ctx: Context) -> HandlerFuture<'_> {
        Box::pin(Handler::handle(self, ctx))
    }
}

/// Which messages a message closure receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MessageFilter {
    /// Messages addressed to the bot: guild @ messages, DMs, group @ messages, C2C.
    Addressed,
    /// Every message the bot receives, including MESSAGE_CREATE and GROUP_MESSAGE_CREATE.
    All,
}

impl MessageFilter {
    pub(crate) fn intents(self) -> Intents {
        let addressed =
            Intents::PUBLIC_GUILD_MESSAGES | Intents::DIRECT_MESSAGE | Intents::GROUP_AND_C2C_EVENT;
        match self {
            Self::Addressed => addressed,
            Self::All => addressed | Intents::GUILD_MESSAGES,
        }
    }

    pub(crate) fn accepts(self, message: &Message) -> bool {
        match self {
            Self::Addressed => message.is_addressed(),
            Self::All => true,
        }
    }
}

type MessageFn = dyn Fn(Context, Message) -> HandlerFuture<'static> + Send + Sync;

/// A closure over messages.
pub(crate) struct MessageHandler {
    pub(crate) filter: MessageFilter,
    pub(crate) function: Arc<MessageFn>,
}

impl Handler for MessageHandler {
    fn intents(&self) -> Intents {
        self.filter.intents()
    }

    async fn handle(&self, ctx: Context) -> HandlerResult {
        let Some(message) = ctx.message().cloned() else {
            return Ok(());
        };
        if !self.filter.accepts(&message) {
            return Ok(());
        }

        (self.function)(ctx, message).await
    }
}

type EventFn = dyn Fn(Context) -> HandlerFuture<'static> + Send + Sync;

/// A closure over chosen event types, or over every event.
pub(crate) struct EventHandler {
    /// The event types to run for; empty means every event.
    pub(crate) types: Vec<EventType>,
    pub(crate) function: Arc<EventFn>,
}

impl Handler for EventHandler {
    fn intents(&self) -> Intents {
        self.types
            .iter()
            .fold(Intents::empty(), |all, kind| all | kind.intents())
    }

    async fn handle(&self, ctx: Context) -> HandlerResult {
        let wanted = self.types.is_empty()
            || ctx
                .event()
                .kind()
                .is_some_and(|kind| self.types.contains(&kind));
        if !wanted {
            return Ok(());
        }

        (self.function)(ctx).await
    }
}

/// Boxes an async closure over messages.
pub(crate) fn message_fn<F, Fut>(function: F) -> Arc<MessageFn>
where
    F: Fn(Context, Message) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    Arc::new(move |ctx, message| Box::pin(function(ctx, message)))
}

/// Boxes an async closure over contexts.
pub(crate) fn event_fn<F, Fut>(function: F) -> Arc<EventFn>
where
    F: Fn(Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    Arc::new(move |ctx| Box::pin(function(ctx)))
}
