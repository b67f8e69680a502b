//! Sliding-window buckets in memory, with a priority lane for passive replies.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use qie_model::id::AppId;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::limits::{Limit, LimitScope, LimitTable, LimitTraffic};
use super::{RateLimitFuture, RateLimitKey, RateLimiter};
use crate::route::{Conversation, Traffic};

/// Number of buckets above which idle buckets are dropped.
const SWEEP_THRESHOLD: usize = 1024;

/// The default [`RateLimiter`]: the documented limits, enforced in this process.
///
/// Each limit is a bucket of `count` tokens; a spent token comes back one `period` after it was
/// spent, so no window of `period` ever holds more than `count` requests. Requests queue per
/// bucket in arrival order, and passive replies overtake queued ordinary requests. A request
/// subject to several limits (route, bot-wide proactive quota, per conversation) waits for
/// each in turn. Idle buckets are dropped, so per-conversation buckets do not accumulate.
///
/// It only sees this process's traffic: bots sharing an AppID across processes need a shared
/// implementation of [`RateLimiter`].
///
/// # Examples
///
/// ```
/// use qie_http::ratelimit::{BotTier, InProcessRateLimiter, LimitTable};
///
/// let limiter = InProcessRateLimiter::new(LimitTable::documented(BotTier::Verified));
/// # drop(limiter);
/// ```
pub struct InProcessRateLimiter {
    table: LimitTable,
    buckets: Mutex<Buckets>,
}

struct Buckets {
    map: HashMap<BucketKey, Arc<Bucket>>,
    sweep_at: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct BucketKey {
    app_id: AppId,
    name: String,
    conversation: Option<Conversation>,
}

impl InProcessRateLimiter {
    /// Creates a limiter enforcing `table`.
    pub fn new(table: LimitTable) -> Self {
        Self {
            table,
            buckets: Mutex::new(Buckets {
                map: HashMap::new(),
                sweep_at: SWEEP_THRESHOLD,
            }),
        }
    }

    /// Returns the enforced table.
    pub fn table(&self) -> &LimitTable {
        &self.table
    }

    fn lock_buckets(&self) -> MutexGuard<'_, Buckets> {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Returns the buckets `key` passes through, creating missing limited ones.
    ///
    /// Besides its documented limits, a request passes its route bucket and its route's
    /// per-conversation bucket when a 429 has created them (see `rate_limited`).
    fn buckets_for(&self, key: &RateLimitKey) -> Vec<Arc<Bucket>> {
        let limits = self.table.limits(&key.route);
        let mut limited: Vec<(BucketKey, &Limit)> = Vec::new();
        let mut penalty_only: Vec<BucketKey> = Vec::new();

        match find(&limits, LimitScope::Route) {
            Some(limit) => limited.push((route_key(key), limit)),
            None => penalty_only.push(route_key(key)),
        }
        if key.conversation.is_some() {
            penalty_only.push(route_conversation_key(key));
        }

        for limit in &limits {
            let counts = match limit.traffic {
                LimitTraffic::All => true,
                LimitTraffic::Proactive => key.traffic == Traffic::Proactive,
            };
            if !counts {
                continue;
            }

            match limit.scope {
                LimitScope::Bot => limited.push((named_key(key, limit, false), limit)),
                LimitScope::Conversation if key.conversation.is_some() => {
                    limited.push((named_key(key, limit, true), limit));
                }
                LimitScope::Route | LimitScope::Conversation => {}
            }
        }

        let mut buckets = self.lock_buckets();
        buckets.sweep_if_large(Instant::now());

        let mut found: Vec<Arc<Bucket>> = penalty_only
            .iter()
            .filter_map(|bucket_key| buckets.map.get(bucket_key).map(Arc::clone))
            .collect();
        for (bucket_key, limit) in limited {
            let bucket = buckets
                .map
                .entry(bucket_key)
                .or_insert_with(|| Arc::new(Bucket::new(Some((limit.count, limit.period)))));
            found.push(Arc::clone(bucket));
        }

        found
    }
}

impl Buckets {
    fn sweep_if_large(&mut self, now: Instant) {
        if self.map.len() < self.sweep_at {
            return;
        }

        self.map
            .retain(|_, bucket| Arc::strong_count(bucket) > 1 || !bucket.is_idle(now));
        self.sweep_at = (self.map.len() * 2).max(SWEEP_THRESHOLD);
    }
}

fn find(limits: &[Limit], scope: LimitScope) -> Option<&Limit> {
    limits.iter().find(|limit| limit.scope == scope)
}

fn route_key(key: &RateLimitKey) -> BucketKey {
    BucketKey {
        app_id: key.app_id.clone(),
        name: key.route.to_string(),
        conversation: None,
    }
}

fn route_conversation_key(key: &RateLimitKey) -> BucketKey {
    BucketKey {
        app_id: key.app_id.clone(),
        name: key.route.to_string(),
        conversation: key.conversation.clone(),
    }
}

fn named_key(key: &RateLimitKey, limit: &Limit, per_conversation: bool) -> BucketKey {
    BucketKey {
        app_id: key.app_id.clone(),
        name: limit.bucket.to_owned(),
        conversation: if per_conversation {
            key.conversation.clone()
        } else {
            None
        },
    }
}

impl Default for InProcessRateLimiter {
    fn default() -> Self {
        Self::new(LimitTable::default())
    }
}

impl fmt::Debug for InProcessRateLimiter {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("InProcessRateLimiter")
            .field("tier", &self.table.tier())
            .field("buckets", &self.lock_buckets().map.len())
            .finish()
    }
}

impl RateLimiter for InProcessRateLimiter {
    fn acquire<'a>(&'a self, key: &'a RateLimitKey) -> RateLimitFuture<'a> {
        Box::pin(async move {
            let priority = key.is_priority();
            for bucket in self.buckets_for(key) {
                bucket.acquire(priority).await;
            }
        })
    }

    fn rate_limited<'a>(
        &'a self,
        key: &'a RateLimitKey,
        retry_after: Duration,
    ) -> RateLimitFuture<'a> {
        Box::pin(async move {
            // Block the narrowest bucket the request used: the conversation when it has one,
            // so a limit hit in one group does not stall the others.
            let bucket_key = if key.conversation.is_some() {
                route_conversation_key(key)
            } else {
                route_key(key)
            };
            let bucket = Arc::clone(
                self.lock_buckets()
                    .map
                    .entry(bucket_key)
                    .or_insert_with(|| Arc::new(Bucket::new(None))),
            );

            bucket.block_for(retry_after);
        })
    }
}

/// One sliding-window bucket and its wait queues.
struct Bucket {
    state: Mutex<BucketState>,
    notify: Notify,
    tickets: AtomicU64,
}

struct BucketState {
    limit: Option<(u32, Duration)>,
    /// Times of the most recent grants, oldest first; at most `count` entries.
    grants: VecDeque<Instant>,
    blocked_until: Option<Instant>,
    priority: VecDeque<u64>,
    ordinary: VecDeque<u64>,
}

impl Bucket {
    fn new(limit: Option<(u32, Duration)>) -> Self {
        Self {
            state: Mutex::new(BucketState {
                limit,
                grants: VecDeque::new(),
                blocked_until: None,
                priority: VecDeque::new(),
                ordinary: VecDeque::new(),
            }),
            notify: Notify::new(),
            tickets: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, BucketState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn is_idle(&self, now: Instant) -> bool {
        let mut state = self.lock();
        state.prune(now);

        state.grants.is_empty()
            && state.priority.is_empty()
            && state.ordinary.is_empty()
            && state.blocked_until.is_none_or(|until| until <= now)
    }

    fn block_for(&self, duration: Duration) {
        let until = Instant::now() + duration;
        let mut state = self.lock();
        state.blocked_until = Some(
            state
                .blocked_until
                .map_or(until, |current| current.max(until)),
        );
    }

    async fn acquire(&self, priority: bool) {
        let ticket = {
            let mut state = self.lock();
            let now = Instant::now();
            state.prune(now);

            // Fast path: nobody queued and capacity left.
            if state.priority.is_empty()
                && state.ordinary.is_empty()
                && state.ready_at(now).is_none()
            {
                state.grant(now);
                return;
            }

            let ticket = self.tickets.fetch_add(1, Ordering::Relaxed);
            if priority {
                state.priority.push_back(ticket);
            } else {
                state.ordinary.push_back(ticket);
            }
            ticket
        };
        let mut queued = QueuedTicket {
            bucket: self,
            ticket,
            active: true,
        };

        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();

            let wake_at = {
                let mut state = self.lock();
                let now = Instant::now();
                state.prune(now);

                if state.is_next(ticket) {
                    match state.ready_at(now) {
                        None => {
                            state.grant(now);
                            state.remove(ticket);
                            queued.active = false;
                            drop(state);
                            self.notify.notify_waiters();
                            return;
                        }
                        Some(at) => Some(at),
                    }
                } else {
                    None
                }
            };

            match wake_at {
                Some(at) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = &mut notified => {}
                    }
                }
                None => notified.await,
            }
        }
    }
}

impl BucketState {
    fn prune(&mut self, now: Instant) {
        if let Some((_, period)) = self.limit {
            while self
                .grants
                .front()
                .is_some_and(|granted| *granted + period <= now)
            {
                self.grants.pop_front();
            }
        }
        if self.blocked_until.is_some_and(|until| until <= now) {
            self.blocked_until = None;
        }
    }

    /// Returns when the next request may go, or `None` when it may go now.
    fn ready_at(&self, now: Instant) -> Option<Instant> {
        let mut ready = self.blocked_until.filter(|until| *until > now);

        if let Some((count, period)) = self.limit {
            let full = self.grants.len() >= usize::try_from(count).unwrap_or(usize::MAX);
            if let (true, Some(oldest)) = (full, self.grants.front()) {
                let at = *oldest + period;
                ready = Some(ready.map_or(at, |blocked| blocked.max(at)));
            }
        }

        ready
    }

    fn grant(&mut self, now: Instant) {
        if let Some((count, _)) = self.limit {
            self.grants.push_back(now);
            while self.grants.len() > usize::try_from(count).unwrap_or(usize::MAX) {
                self.grants.pop_front();
            }
        }
    }

    fn is_next(&self, ticket: u64) -> bool {
        match self.priority.front() {
            Some(front) => *front == ticket,
            None => self.ordinary.front() == Some(&ticket),
        }
    }

    fn remove(&mut self, ticket: u64) {
        self.priority.retain(|queued| *queued != ticket);
        self.ordinary.retain(|queued| *queued != ticket);
    }
}

/// Removes a ticket from its queue when the waiting future is dropped.
struct QueuedTicket<'a> {
    bucket: &'a Bucket,
    ticket: u64,
    active: bool,
}

impl Drop for QueuedTicket<'_> {
    fn drop(&mut self) {
        if self.active {
            self.bucket.lock().remove(self.ticket);
            self.bucket.notify.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use qie_model::id::{ChannelId, GroupOpenid};
    use reqwest::Method;

    use super::*;
    use crate::ratelimit::BotTier;
    use crate::route::Route;

    fn channel_key(channel: &str) -> RateLimitKey {
        RateLimitKey {
            app_id: AppId::new("1"),
            route: Route::new(Method::POST, "/channels/{channel_id}/messages"),
            conversation: Some(Conversation::Channel(ChannelId::new(channel))),
            traffic: Traffic::Other,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn window_never_exceeds_count() {
        let limiter = InProcessRateLimiter::default();
        let key = channel_key("1");
        let start = Instant::now();
        let mut times = Vec::new();

        for _ in 0..12 {
            limiter.acquire(&key).await;
            times.push(Instant::now() - start);
        }

        for window in times.windows(6) {
            assert!(
                window[5].saturating_sub(window[0]) >= Duration::from_secs(1),
                "six grants within one second: {times:?}"
            );
        }
        assert_eq!(times[4], Duration::ZERO);
        assert_eq!(times[5], Duration::from_secs(1));
        assert_eq!(times[10], Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn channels_do_not_share_buckets() {
        let limiter = InProcessRateLimiter::default();
        let start = Instant::now();

        for channel in 0..20 {
            limiter.acquire(&channel_key(&channel.to_string())).await;
        }

        assert_eq!(Instant::now(), start);
    }

    #[tokio::test(start_paused = true)]
    async fn passive_replies_overtake_queued_requests() {
        let limiter = Arc::new(InProcessRateLimiter::default());
        let ordinary = channel_key("1");
        let mut passive = channel_key("1");
        passive.traffic = Traffic::Passive;

        for _ in 0..5 {
            limiter.acquire(&ordinary).await;
        }

        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (index, key) in [ordinary.clone(), ordinary.clone(), passive.clone()]
            .into_iter()
            .enumerate()
        {
            let limiter = Arc::clone(&limiter);
            let order = Arc::clone(&order);
            tasks.push(tokio::spawn(async move {
                limiter.acquire(&key).await;
                order.lock().unwrap().push(index);
            }));
            tokio::task::yield_now().await;
        }
        for task in tasks {
            task.await.unwrap();
        }

        assert_eq!(*order.lock().unwrap(), vec![2, 0, 1]);
    }

    #[tokio::test(start_paused = true)]
    async fn proactive_limits_skip_passive_traffic() {
        let limiter = InProcessRateLimiter::new(LimitTable::documented(BotTier::Unverified));
        let mut key = RateLimitKey {
            app_id: AppId::new("1"),
            route: Route::new(Method::POST, "/v2/groups/{group_openid}/messages"),
            conversation: Some(Conversation::Group(GroupOpenid::new("G"))),
            traffic: Traffic::Passive,
        };
        let start = Instant::now();

        for _ in 0..40 {
            limiter.acquire(&key).await;
        }
        assert_eq!(Instant::now(), start, "passive replies were throttled");

        key.traffic = Traffic::Proactive;
        for _ in 0..21 {
            limiter.acquire(&key).await;
        }
        assert_eq!(
            Instant::now() - start,
            Duration::from_secs(60),
            "the 21st proactive send to one group waits a minute"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn rate_limited_blocks_bucket() {
        let limiter = InProcessRateLimiter::default();
        let key = channel_key("9");
        let start = Instant::now();

        limiter.rate_limited(&key, Duration::from_secs(3)).await;
        limiter.acquire(&key).await;

        assert_eq!(Instant::now() - start, Duration::from_secs(3));
        limiter.acquire(&channel_key("10")).await;
        assert_eq!(Instant::now() - start, Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn cancelled_waiter_leaves_queue() {
        let limiter = InProcessRateLimiter::default();
        let key = channel_key("1");
        for _ in 0..5 {
            limiter.acquire(&key).await;
        }

        let waiting = tokio::time::timeout(Duration::from_millis(100), limiter.acquire(&key)).await;
        assert!(waiting.is_err());

        let start = Instant::now();
        limiter.acquire(&key).await;
        assert!(Instant::now() - start <= Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn idle_buckets_are_swept() {
        let limiter = InProcessRateLimiter::default();
        for channel in 0..3000 {
            limiter.acquire(&channel_key(&channel.to_string())).await;
        }
        tokio::time::advance(Duration::from_secs(2)).await;
        limiter.acquire(&channel_key("last")).await;

        assert!(limiter.lock_buckets().map.len() < 3000);
    }
}
