//! The events a receiver hands to the application.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use qie_model::event::Event;
use qie_model::gateway::Dispatch;
use qie_model::id::{AppId, EventId};
use tokio::sync::mpsc;

/// A verified, de-duplicated dispatch received over the webhook.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The bot the event is for (`X-Bot-Appid`, or the only configured bot).
    pub app_id: AppId,
    /// The dispatch, as the gateway transport would deliver it (`seq` is usually absent).
    pub dispatch: Dispatch,
    /// The platform's `X-Tps-trace-ID`, when present and well-formed.
    pub trace_id: Option<String>,
}

impl WebhookEvent {
    /// Returns the event.
    pub fn event(&self) -> &Event {
        &self.dispatch.event
    }

    /// Returns the top-level event id (the `event_id` of passive replies), when present.
    pub fn id(&self) -> Option<&EventId> {
        self.dispatch.id.as_ref()
    }
}

/// The stream of [`WebhookEvent`]s of one receiver, in the order their requests were
/// acknowledged.
///
/// It ends when every clone of the [`Webhook`](crate::Webhook) (and every router built from it)
/// is dropped. The queue behind it is bounded; while it is full, new deliveries wait up to the
/// enqueue timeout and are then answered with 503 so the platform sends them again.
#[derive(Debug)]
pub struct Events {
    receiver: mpsc::Receiver<WebhookEvent>,
}

impl Events {
    pub(crate) fn new(receiver: mpsc::Receiver<WebhookEvent>) -> Self {
        Self { receiver }
    }

    /// Waits for the next event; returns `None` once the receiver is gone and the queue is empty.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a cancelled call takes no event from the queue.
    pub async fn recv(&mut self) -> Option<WebhookEvent> {
        self.receiver.recv().await
    }

    /// Takes the next event if one is queued.
    pub fn try_recv(&mut self) -> Option<WebhookEvent> {
        self.receiver.try_recv().ok()
    }

    /// Number of events queued and not yet taken.
    pub fn len(&self) -> usize {
        self.receiver.len()
    }

    /// Returns whether no event is queued.
    pub fn is_empty(&self) -> bool {
        self.receiver.is_empty()
    }
}

impl Stream for Events {
    type Item = WebhookEvent;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.receiver.poll_recv(context)
    }
}
