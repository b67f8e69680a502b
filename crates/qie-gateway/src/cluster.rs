//! Several shards of one bot with a merged stream.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio::sync::{mpsc, watch};

use crate::ShardId;
use crate::config::Config;
use crate::delivery::Delivered;
use crate::discovery::DiscoveryError;
use crate::error::FatalError;
use crate::event::ShardEvent;
use crate::queue::IdentifyLimits;
use crate::runner::{Control, Item, Runner, ShutdownMode};
use crate::shard::ShardHandle;

/// The shards of one bot, run together, with one merged [`Stream`] of `(shard, item)` pairs.
///
/// All shards share the configuration's token provider, identify queue (so Identify is paced by
/// `session_start_limit` across shards) and session store. Each shard reconnects on its own: one
/// that fails, even before READY, does not disturb the others. Events of one shard keep their
/// order; events of different shards interleave.
///
/// The stream ends when every shard has ended. A shard that stops for good yields its
/// [`FatalError`] with its id.
///
/// # Panics
///
/// The first poll spawns the shards' tasks with `tokio::spawn`, so polling outside a Tokio runtime
/// panics.
///
/// TODO: on close code 4011, restart every shard with the shard count `GET /gateway/bot` then
/// recommends. Today the shard that received it stops with
/// [`FatalErrorKind::ShardingRequired`](crate::FatalErrorKind::ShardingRequired).
///
/// # Examples
///
/// ```no_run
/// use futures_util::StreamExt;
/// use qie_gateway::{Cluster, Config, ShardEvent, StaticToken};
/// use qie_model::gateway::Intents;
/// use qie_model::secret::AccessToken;
///
/// # async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
/// // Shard count, URL and limits from `GET /gateway/bot` (the config needs a discovery source).
/// let mut cluster = Cluster::new(config).await?;
///
/// while let Some((shard, item)) = cluster.next().await {
///     match item {
///         Ok(ShardEvent::Dispatch(dispatch)) => println!("shard {}: {}", shard.id, dispatch.event.name()),
///         Ok(_) => {}
///         Err(error) => eprintln!("{error}"),
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Cluster {
    shards: Vec<ShardId>,
    receiver: mpsc::Receiver<Item>,
    delivered: Vec<Arc<Delivered>>,
    control: Arc<watch::Sender<Control>>,
    /// The tasks, until the first poll starts them.
    runners: Vec<Runner>,
    control_receiver: watch::Receiver<Control>,
}

impl Cluster {
    /// Creates the shards `GET /gateway/bot` recommends, and applies its URL and session start
    /// limits.
    ///
    /// # Errors
    ///
    /// Returns the discovery error when the configuration has no discovery source or the call
    /// fails; retry later or use [`with_shards`](Self::with_shards).
    pub async fn new(config: Config) -> Result<Self, DiscoveryError> {
        let Some(discovery) = config.inner.discovery.clone() else {
            return Err(DiscoveryError::new(
                "no discovery source configured; set ConfigBuilder::discovery or use Cluster::with_shards",
                None,
            ));
        };

        let info = discovery.gateway_bot().await?;
        let limits = IdentifyLimits::from(info.session_start_limit);
        config.inner.queue.update_limits(limits);
        config.inner.url.seed(&info.url).await;
        let total = info.shards.max(1);
        tracing::info!(
            shards = total,
            remaining = limits.remaining,
            max_concurrency = limits.max_concurrency,
            "starting cluster"
        );
        if limits.remaining < total {
            tracing::info!(
                remaining = limits.remaining,
                shards = total,
                "fewer session starts remain than shards; some shards wait for the budget reset"
            );
        }

        Ok(Self::with_shards(
            &config,
            (0..total).map(|id| ShardId::new(id, total)),
        ))
    }

    /// Creates the given shards. Nothing happens until the stream is polled.
    pub fn with_shards(config: &Config, shards: impl IntoIterator<Item = ShardId>) -> Self {
        let shards: Vec<ShardId> = shards.into_iter().collect();
        let (sender, receiver) = mpsc::channel(config.inner.event_buffer);
        let (control, control_receiver) = watch::channel(Control::Run);

        let delivered: Vec<Arc<Delivered>> = shards.iter().map(|_| Arc::default()).collect();
        let runners = shards
            .iter()
            .zip(&delivered)
            .enumerate()
            .map(|(index, (shard, delivered))| {
                Runner::new(
                    *shard,
                    index,
                    config.clone(),
                    sender.clone(),
                    Arc::clone(delivered),
                )
            })
            .collect();

        Self {
            shards,
            receiver,
            delivered,
            control: Arc::new(control),
            runners,
            control_receiver,
        }
    }

    /// Returns the ids of the shards.
    pub fn shards(&self) -> &[ShardId] {
        &self.shards
    }

    /// Returns a handle that shuts every shard down.
    pub fn handle(&self) -> ShardHandle {
        ShardHandle {
            control: Arc::clone(&self.control),
        }
    }
}

impl Stream for Cluster {
    type Item = (ShardId, Result<ShardEvent, FatalError>);

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if !self.runners.is_empty() {
            let control = self.control_receiver.clone();
            for runner in std::mem::take(&mut self.runners) {
                tokio::spawn(runner.run(control.clone()));
            }
        }

        match self.receiver.poll_recv(context) {
            Poll::Ready(Some((index, item))) => {
                if let (Ok(event), Some(delivered)) = (&item, self.delivered.get(index)) {
                    delivered.record(event);
                }
                let shard = self.shards.get(index).copied().unwrap_or(ShardId::ONE);
                Poll::Ready(Some((shard, item)))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.handle().shutdown(ShutdownMode::Resumable);
    }
}
