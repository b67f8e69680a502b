//! [`Context`]: one event, the client, and replies that know where to go.

use std::fmt;
use std::future::IntoFuture;
use std::pin::Pin;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use tokio::time::Instant;

use qie_http::reply::{ReplyAnchor, ReplyContext, ReplyTarget};
use qie_model::event::{Event, Interaction};
use qie_model::gateway::Dispatch;
use qie_model::id::{EventId, MessageId, UserId};
use qie_model::message::{MessageError, Scene};

use crate::command::{Commands, Invocation};
use crate::incoming::{Conversation, Message};
use crate::reply::Reply;
use crate::send;

/// State every context of one bot shares.
pub(crate) struct Shared {
    pub(crate) http: qie_http::Client,
    pub(crate) bot_id: RwLock<Option<UserId>>,
    pub(crate) commands: Commands,
}

impl Shared {
    pub(crate) fn bot_id(&self) -> Option<UserId> {
        self.bot_id
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The event being handled, with everything needed to answer it.
///
/// Cheap to clone: clones share the event and the reply state, so replies from clones get
/// distinct `msg_seq` values.
///
/// # Replies
///
/// [`reply`](Self::reply) sends to the conversation the event came from, through the scene's
/// endpoint:
///
/// | event | endpoint | anchor |
/// | --- | --- | --- |
/// | AT_MESSAGE_CREATE, MESSAGE_CREATE | `POST /channels/{channel_id}/messages` | `msg_id` |
/// | DIRECT_MESSAGE_CREATE | `POST /dms/{guild_id}/messages` | `msg_id` |
/// | GROUP_AT_MESSAGE_CREATE, GROUP_MESSAGE_CREATE | `POST /v2/groups/{group_openid}/messages` | `msg_id`, `msg_seq` |
/// | C2C_MESSAGE_CREATE | `POST /v2/users/{openid}/messages` | `msg_id`, `msg_seq` |
/// | INTERACTION_CREATE | the scene of the click | `event_id`, `msg_seq` |
/// | GROUP_ADD_ROBOT, GROUP_MSG_RECEIVE, GROUP_MEMBER_ADD | group | `event_id`, `msg_seq` |
/// | FRIEND_ADD, C2C_MSG_RECEIVE | C2C | `event_id`, `msg_seq` |
/// | MESSAGE_REACTION_ADD/REMOVE | channel | `event_id` |
///
/// The replies to one event carry `msg_seq` 1, 2, 3 … in the order they are sent. The platform
/// accepts them only within the scene's window (C2C 60 minutes, others 5 minutes) and at most
/// 4 (C2C) or 5 (group) times per message; past that, `reply` fails at once with
/// [`qie_http::ErrorKind::ReplyWindowExpired`] or [`qie_http::ErrorKind::ReplyLimitReached`]
/// and sends nothing.
#[derive(Clone)]
pub struct Context {
    inner: Arc<ContextInner>,
}

struct ContextInner {
    shared: Arc<Shared>,
    dispatch: Arc<Dispatch>,
    conversation: Conversation,
    message: Option<Message>,
    invocation: Option<Invocation>,
    /// When the event arrived: the start of its reply window.
    received_at: Instant,
    /// Built on first use, since most events are never replied to.
    reply: OnceLock<Option<ReplyContext>>,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("event", &self.inner.dispatch.event.name())
            .field("event_id", &self.inner.dispatch.id)
            .field("conversation", &self.inner.conversation)
            .finish_non_exhaustive()
    }
}

impl Context {
    pub(crate) fn new(shared: Arc<Shared>, dispatch: Dispatch) -> Self {
        let received_at = Instant::now();
        let dispatch = Arc::new(dispatch);
        let conversation = Conversation::of(&dispatch.event);
        let message = Message::of_dispatch(
            Arc::clone(&dispatch),
            conversation.clone(),
            shared.bot_id().as_ref(),
        );
        let invocation = message
            .as_ref()
            .and_then(|message| shared.commands.find(message));

        Self {
            inner: Arc::new(ContextInner {
                shared,
                dispatch,
                conversation,
                message,
                invocation,
                received_at,
                reply: OnceLock::new(),
            }),
        }
    }

    fn reply_state(&self) -> Option<&ReplyContext> {
        let inner = &*self.inner;
        inner
            .reply
            .get_or_init(|| {
                reply_context(
                    &inner.dispatch,
                    &inner.conversation,
                    inner.message.as_ref(),
                    inner.received_at,
                )
            })
            .as_ref()
    }

    /// Returns the event.
    pub fn event(&self) -> &Event {
        &self.inner.dispatch.event
    }

    /// Returns the event id: the dispatch's top-level `id`, absent on READY and RESUMED.
    pub fn event_id(&self) -> Option<&EventId> {
        self.inner.dispatch.id.as_ref()
    }

    /// Returns the conversation the event belongs to.
    pub fn conversation(&self) -> &Conversation {
        &self.inner.conversation
    }

    /// Returns the scene replies go to, when the event can be answered.
    pub fn scene(&self) -> Option<Scene> {
        self.reply_state().map(ReplyContext::scene)
    }

    /// Returns the user message, when the event is one.
    pub fn message(&self) -> Option<&Message> {
        self.inner.message.as_ref()
    }

    /// Returns the command in the message, when it names a registered one.
    pub fn command(&self) -> Option<&Invocation> {
        self.inner.invocation.as_ref()
    }

    /// Returns the interaction (button click), when the event is one.
    pub fn interaction(&self) -> Option<&Interaction> {
        match self.event() {
            Event::InteractionCreate(interaction) => Some(interaction),
            _ => None,
        }
    }

    /// Returns the registered commands, for example to render help.
    pub fn commands(&self) -> &Commands {
        &self.inner.shared.commands
    }

    /// Returns the bot's guild user id from READY (unknown before the first READY and on webhooks).
    pub fn bot_id(&self) -> Option<UserId> {
        self.inner.shared.bot_id()
    }

    /// Returns the OpenAPI client, for calls beyond replies.
    pub fn http(&self) -> &qie_http::Client {
        &self.inner.shared.http
    }

    /// Returns the reply state (target, anchor, next `msg_seq`), when the event can be answered.
    pub fn reply_context(&self) -> Option<&ReplyContext> {
        self.reply_state()
    }

    /// Sends a reply to the conversation of the event.
    ///
    /// Returns a future; `.await` it to send.
    ///
    /// # Errors
    ///
    /// See [`ReplyError`]: the event cannot be answered, the reply does not fit the scene (an
    /// embed in a group), the window or count is used up, or the platform rejected the send.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn handle(ctx: qie::Context) -> qie::HandlerResult {
    /// ctx.reply("pong").await?;
    /// ctx.reply(qie::Reply::markdown("**bold**")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn reply(&self, reply: impl Into<Reply>) -> ReplyFuture {
        let context = self.clone();
        let reply = reply.into();

        ReplyFuture(Box::pin(async move {
            let Some(reply_context) = context.reply_state().cloned() else {
                return Err(ReplyError::new(ReplyErrorKind::NotReplyable {
                    event: context.event().name().to_owned(),
                }));
            };
            send::send_reply(&context.inner.shared.http, &reply_context, reply).await
        }))
    }
}

/// The future of [`Context::reply`].
#[must_use = "a reply is sent only when awaited"]
pub struct ReplyFuture(Pin<Box<dyn Future<Output = Result<Sent, ReplyError>> + Send>>);

impl IntoFuture for ReplyFuture {
    type Output = Result<Sent, ReplyError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Sent, ReplyError>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        self.0
    }
}

impl fmt::Debug for ReplyFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReplyFuture")
    }
}

/// A reply the platform accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sent {
    /// The id of the sent message (usable for recall), when the platform returned one.
    pub id: Option<MessageId>,
    /// The `msg_seq` the reply carried (groups and C2C).
    pub msg_seq: Option<u32>,
}

/// A reply that was not sent.
#[derive(Debug)]
pub struct ReplyError {
    kind: ReplyErrorKind,
}

impl ReplyError {
    pub(crate) fn new(kind: ReplyErrorKind) -> Self {
        Self { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ReplyErrorKind {
        &self.kind
    }

    /// Returns the OpenAPI error, when the failure came from the client or the platform.
    pub fn http(&self) -> Option<&qie_http::Error> {
        match &self.kind {
            ReplyErrorKind::Http(error) => Some(error),
            _ => None,
        }
    }

    /// Returns whether the reply window of the message has passed.
    pub fn is_window_expired(&self) -> bool {
        self.http().is_some_and(|error| {
            matches!(error.kind(), qie_http::ErrorKind::ReplyWindowExpired { .. })
        })
    }
}

/// The kind of a [`ReplyError`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ReplyErrorKind {
    /// The event has no conversation to answer (READY, guild member events, unknown events).
    NotReplyable {
        /// The event type.
        event: String,
    },
    /// The reply does not fit the scene; the message names the field.
    Invalid(MessageError),
    /// The client or the platform refused the send.
    Http(qie_http::Error),
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ReplyErrorKind::NotReplyable { event } => {
                write!(f, "a {event} event cannot be answered with a passive reply")
            }
            ReplyErrorKind::Invalid(error) => write!(f, "invalid reply: {error}"),
            ReplyErrorKind::Http(error) => write!(f, "reply failed: {error}"),
        }
    }
}

impl std::error::Error for ReplyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ReplyErrorKind::NotReplyable { .. } => None,
            ReplyErrorKind::Invalid(error) => Some(error),
            ReplyErrorKind::Http(error) => Some(error),
        }
    }
}

/// Builds the reply state of an event: a user message is answered by `msg_id`, other replyable events
/// by `event_id`.
fn reply_context(
    dispatch: &Dispatch,
    conversation: &Conversation,
    message: Option<&Message>,
    received_at: Instant,
) -> Option<ReplyContext> {
    let target: ReplyTarget = conversation.reply_target()?;
    if let Some(message) = message {
        return Some(ReplyContext::received_at(
            target,
            ReplyAnchor::Message(message.id().clone()),
            received_at,
        ));
    }

    let replyable = matches!(
        dispatch.event,
        Event::InteractionCreate(_)
            | Event::GroupAddRobot(_)
            | Event::GroupMsgReceive(_)
            | Event::GroupMemberAdd(_)
            | Event::FriendAdd(_)
            | Event::C2cMsgReceive(_)
            | Event::MessageReactionAdd(_)
            | Event::MessageReactionRemove(_)
    );
    let event_id = dispatch.id.clone().filter(|_| replyable)?;

    Some(ReplyContext::received_at(
        target,
        ReplyAnchor::Event(event_id),
        received_at,
    ))
}
