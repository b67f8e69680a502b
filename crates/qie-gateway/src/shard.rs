//! One shard: a WebSocket session as a stream of events.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio::sync::{mpsc, watch};

use crate::ShardId;
use crate::config::Config;
use crate::delivery::Delivered;
use crate::error::FatalError;
use crate::event::ShardEvent;
use crate::runner::{Control, Item, Runner, ShutdownMode};

/// One gateway connection (shard) as a [`Stream`] of events.
///
/// The shard runs in its own Tokio task, started when the stream is first polled. It connects,
/// identifies or resumes, heartbeats at the interval Hello gives and reconnects by the reconnect
/// policy (see the crate documentation) for as long as the stream lives. Received events wait in a
/// bounded buffer ([`ConfigBuilder::event_buffer`](crate::ConfigBuilder::event_buffer)); while it
/// is full the shard stops reading the socket but keeps heartbeating.
///
/// The stream yields `Ok` events. When the shard stops for good (a fatal close code such as 4914
/// or 4915) it yields one `Err` and then ends. After [`ShardHandle::shutdown`] it yields the
/// events already received and ends.
///
/// Dropping the stream shuts the shard down with [`ShutdownMode::Resumable`].
///
/// # Panics
///
/// The first poll spawns the shard's task with `tokio::spawn`, so polling outside a Tokio runtime
/// panics.
///
/// # Examples
///
/// ```no_run
/// use futures_util::StreamExt;
/// use qie_gateway::{Config, Shard, ShardEvent, ShardId, StaticToken};
/// use qie_model::gateway::Intents;
/// use qie_model::secret::AccessToken;
///
/// # async fn run() -> Result<(), qie_gateway::FatalError> {
/// let config = Config::builder(StaticToken::new(AccessToken::new("token")), Intents::DEFAULT)
///     .gateway_url("wss://api.sgroup.qq.com/websocket/")
///     .build();
/// let mut shard = Shard::new(ShardId::ONE, config);
///
/// while let Some(item) = shard.next().await {
///     if let ShardEvent::Dispatch(dispatch) = item? {
///         println!("{}", dispatch.event.name());
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Shard {
    id: ShardId,
    receiver: mpsc::Receiver<Item>,
    delivered: Arc<Delivered>,
    control: Arc<watch::Sender<Control>>,
    /// The task, until the first poll starts it.
    runner: Option<(Runner, watch::Receiver<Control>)>,
}

impl Shard {
    /// Creates shard `id` with `config`. Nothing happens until the stream is polled.
    pub fn new(id: ShardId, config: Config) -> Self {
        let (sender, receiver) = mpsc::channel(config.inner.event_buffer);
        let (control, control_receiver) = watch::channel(Control::Run);
        let delivered = Arc::new(Delivered::default());
        let runner = Runner::new(id, 0, config, sender, Arc::clone(&delivered));

        Self {
            id,
            receiver,
            delivered,
            control: Arc::new(control),
            runner: Some((runner, control_receiver)),
        }
    }

    /// Returns the shard's id.
    pub const fn id(&self) -> ShardId {
        self.id
    }

    /// Returns a handle that can shut the shard down from another task.
    pub fn handle(&self) -> ShardHandle {
        ShardHandle {
            control: Arc::clone(&self.control),
        }
    }
}

impl Stream for Shard {
    type Item = Result<ShardEvent, FatalError>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some((runner, control)) = self.runner.take() {
            tokio::spawn(runner.run(control));
        }

        match self.receiver.poll_recv(context) {
            Poll::Ready(Some((_, item))) => {
                if let Ok(event) = &item {
                    self.delivered.record(event);
                }
                Poll::Ready(Some(item))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Shard {
    fn drop(&mut self) {
        request_shutdown(&self.control, ShutdownMode::Resumable);
    }
}

/// Shuts a [`Shard`] or [`Cluster`](crate::Cluster) down from any task. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ShardHandle {
    pub(crate) control: Arc<watch::Sender<Control>>,
}

impl ShardHandle {
    /// Asks the shards to close their connections.
    ///
    /// With [`ShutdownMode::Resumable`] each shard closes with code 4000, waits up to the
    /// configured shutdown timeout for the application to take the events already received, and
    /// saves its session, so that the next start resumes it. With [`ShutdownMode::Final`] each
    /// shard closes with code 1000 and forgets its session. The stream ends once every shard is
    /// done. Returns at once.
    pub fn shutdown(&self, mode: ShutdownMode) {
        request_shutdown(&self.control, mode);
    }
}

fn request_shutdown(control: &watch::Sender<Control>, mode: ShutdownMode) {
    control.send_if_modified(|current| {
        if *current == Control::Run {
            *current = Control::Shutdown(mode);
            return true;
        }

        false
    });
}
