//! Counters of what the receiver did with each request.

use std::sync::atomic::{AtomicU64, Ordering};

/// How many requests ended each way since the receiver was built.
///
/// Read it with [`Webhook::stats`](crate::Webhook::stats). Each request is counted once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookStats {
    /// Dispatches verified, acknowledged and handed to [`Events`](crate::Events).
    pub events: u64,
    /// Dispatches verified and acknowledged but not handed on, because their event id was seen
    /// before (a redelivery or a replay).
    pub duplicates: u64,
    /// Callback validations answered with a signature.
    pub validations: u64,
    /// Other verified frames, acknowledged and dropped (op 1 or unknown opcodes).
    pub ignored: u64,
    /// 401: signature headers missing, repeated or malformed, or `X-Bot-Appid` missing while
    /// several bots share the receiver.
    pub unauthenticated: u64,
    /// 403: the signature does not verify.
    pub bad_signature: u64,
    /// 403: `X-Signature-Timestamp` (or `event_ts`) is outside the freshness window.
    pub stale: u64,
    /// 403: `X-Bot-Appid` names no configured bot.
    pub unknown_bot: u64,
    /// 400: a validation whose `plain_token` or `event_ts` breaks the rule of
    /// [`crate::validation`].
    pub unsafe_validation: u64,
    /// 405, 400 or 408: not a POST, a body that is not a frame, or a body that was cut off or
    /// did not arrive in time.
    pub malformed: u64,
    /// 413: a body larger than the limit.
    pub too_large: u64,
    /// 503: the event queue stayed full for the whole enqueue timeout, or [`Events`](crate::Events)
    /// was dropped.
    pub busy: u64,
}

/// The live counters behind [`WebhookStats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) events: AtomicU64,
    pub(crate) duplicates: AtomicU64,
    pub(crate) validations: AtomicU64,
    pub(crate) ignored: AtomicU64,
    pub(crate) unauthenticated: AtomicU64,
    pub(crate) bad_signature: AtomicU64,
    pub(crate) stale: AtomicU64,
    pub(crate) unknown_bot: AtomicU64,
    pub(crate) unsafe_validation: AtomicU64,
    pub(crate) malformed: AtomicU64,
    pub(crate) too_large: AtomicU64,
    pub(crate) busy: AtomicU64,
}

impl Counters {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> WebhookStats {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);

        WebhookStats {
            events: read(&self.events),
            duplicates: read(&self.duplicates),
            validations: read(&self.validations),
            ignored: read(&self.ignored),
            unauthenticated: read(&self.unauthenticated),
            bad_signature: read(&self.bad_signature),
            stale: read(&self.stale),
            unknown_bot: read(&self.unknown_bot),
            unsafe_validation: read(&self.unsafe_validation),
            malformed: read(&self.malformed),
            too_large: read(&self.too_large),
            busy: read(&self.busy),
        }
    }
}
