//! Per-conversation dispatch: events of one conversation run in order, different conversations
//! run concurrently, and every queue is bounded.
//!
//! A job of a conversation with nothing queued is first polled in place, by the caller, and most
//! handlers finish in that one poll. A job that waits, and every job of a busy conversation, goes
//! to the conversation's worker task. The worker has a bounded queue, runs its jobs one after
//! another and exits as soon as its queue is empty, so idle conversations cost nothing. A first
//! poll that blocks for long sends the next jobs straight to workers, so that a handler doing
//! blocking work holds up only its own conversation.
//!
//! Two semaphores bound the whole dispatcher: `pending` counts jobs that are queued or running
//! (the memory bound), `running` counts jobs that are running (the concurrency bound).
//! When a bound is reached, [`Dispatcher::dispatch`] waits, which pushes back on the event source
//! instead of dropping events.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

/// A unit of work: the handlers of one event.
pub(crate) type Job = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Limits of a [`Dispatcher`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DispatchLimits {
    /// Maximum number of handlers running at the same time, across all conversations.
    pub max_running: usize,
    /// Maximum number of events queued or running, across all conversations.
    pub max_pending: usize,
    /// Maximum number of events queued for one conversation.
    pub queue_per_conversation: usize,
}

impl DispatchLimits {
    /// Creates limits from the three bounds; a zero is raised to one.
    pub fn new(max_running: usize, max_pending: usize, queue_per_conversation: usize) -> Self {
        Self {
            max_running: max_running.max(1),
            max_pending: max_pending.max(1),
            queue_per_conversation: queue_per_conversation.max(1),
        }
    }
}

impl Default for DispatchLimits {
    /// 32 running handlers, 1024 pending events, 64 queued events per conversation.
    fn default() -> Self {
        Self::new(32, 1024, 64)
    }
}

/// A queued job with its `pending` permit and, for a job that started before it was queued, its
/// `running` permit.
type Queued = (Job, OwnedSemaphorePermit, Option<OwnedSemaphorePermit>);

type WorkerMap<K> = Arc<Mutex<HashMap<K, mpsc::Sender<Queued>, foldhash::fast::RandomState>>>;

/// An inline first poll longer than this means a handler does blocking work, which would hold up
/// every other conversation. The next [`INLINE_PAUSE`] jobs then start in workers.
const INLINE_LIMIT: Duration = Duration::from_micros(500);
/// Jobs that start in workers after a slow inline poll.
const INLINE_PAUSE: u32 = 1024;

/// Runs jobs in order per key and concurrently across keys, within [`DispatchLimits`].
pub(crate) struct Dispatcher<K> {
    workers: WorkerMap<K>,
    pending: Arc<Semaphore>,
    running: Arc<Semaphore>,
    limits: DispatchLimits,
    /// Jobs left that skip the inline poll.
    inline_paused: AtomicU32,
}

impl<K> Dispatcher<K>
where
    K: Hash + Eq + Clone + Debug + Send + Sync + 'static,
{
    /// Creates an empty dispatcher.
    pub(crate) fn new(limits: DispatchLimits) -> Self {
        Self {
            workers: Arc::new(Mutex::new(HashMap::default())),
            pending: Arc::new(Semaphore::new(limits.max_pending)),
            running: Arc::new(Semaphore::new(limits.max_running)),
            limits,
            inline_paused: AtomicU32::new(0),
        }
    }

    /// Queues `job` behind the earlier jobs of `key`.
    ///
    /// A panic inside the job is caught and logged; it never reaches the caller or the worker.
    ///
    /// # Cancel safety
    ///
    /// Waits while the dispatcher is full. Cancelling the wait drops the job unrun.
    pub(crate) async fn dispatch(&self, key: K, job: impl Future<Output = ()> + Send + 'static) {
        let Ok(permit) = self.pending.clone().acquire_owned().await else {
            return;
        };
        let mut job = catch_panics(key.clone(), job);

        // With no earlier job of `key` queued or running, the job is polled once right here: a
        // handler that finishes without waiting costs no task, channel or queue. One that waits
        // continues in a worker, whose registration keeps later jobs of `key` behind it.
        let mut started = None;
        if self.inline_allowed()
            && !self.has_worker(&key)
            && let Ok(running) = Arc::clone(&self.running).try_acquire_owned()
        {
            let polled_at = Instant::now();
            let polled = std::future::poll_fn(|cx| Poll::Ready(job.as_mut().poll(cx))).await;
            let took = polled_at.elapsed();
            if took > INLINE_LIMIT {
                tracing::debug!(
                    conversation = ?key,
                    took_us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
                    "a handler blocked its first poll; starting the next jobs in workers"
                );
                self.inline_paused.store(INLINE_PAUSE, Ordering::Relaxed);
            }
            if polled.is_ready() {
                return;
            }
            // The job keeps its place among the running ones.
            started = Some(running);
        }
        let mut item = (job, permit, started);

        // A worker whose queue ran empty may exit between the lookup and the send. The send then
        // fails and hands the job back, and the next round starts a new worker, which keeps the
        // order because the old worker had finished every earlier job before it exited.
        loop {
            let sender = self.sender_for(&key);
            match sender.try_send(item) {
                Ok(()) => return,
                Err(mpsc::error::TrySendError::Full(returned)) => match sender.send(returned).await
                {
                    Ok(()) => return,
                    Err(mpsc::error::SendError(returned)) => item = returned,
                },
                Err(mpsc::error::TrySendError::Closed(returned)) => item = returned,
            }
        }
    }

    /// Waits until every queued job has finished, or until `timeout` passes.
    ///
    /// Returns `true` when the dispatcher drained in time.
    pub(crate) async fn drain(&self, timeout: Duration) -> bool {
        let total = u32::try_from(self.limits.max_pending).unwrap_or(u32::MAX);
        let all = tokio::time::timeout(timeout, self.pending.acquire_many(total)).await;

        matches!(all, Ok(Ok(_)))
    }

    /// Returns the number of conversations that currently have queued or running jobs.
    #[cfg(test)]
    pub(crate) fn active_conversations(&self) -> usize {
        self.workers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Returns whether this job may be polled inline, counting down a pause.
    fn inline_allowed(&self) -> bool {
        let paused = self.inline_paused.load(Ordering::Relaxed);
        if paused == 0 {
            return true;
        }
        self.inline_paused.store(paused - 1, Ordering::Relaxed);

        false
    }

    fn has_worker(&self, key: &K) -> bool {
        self.workers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .is_some_and(|sender| !sender.is_closed())
    }

    fn sender_for(&self, key: &K) -> mpsc::Sender<Queued> {
        let mut workers = self.workers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = workers.get(key)
            && !sender.is_closed()
        {
            return sender.clone();
        }

        let (sender, receiver) = mpsc::channel(self.limits.queue_per_conversation);
        workers.insert(key.clone(), sender.clone());
        tokio::spawn(run_worker(
            key.clone(),
            receiver,
            Arc::clone(&self.workers),
            Arc::clone(&self.running),
        ));

        sender
    }
}

/// Runs the jobs of one conversation in order and exits when its queue is empty.
async fn run_worker<K>(
    key: K,
    mut receiver: mpsc::Receiver<Queued>,
    workers: WorkerMap<K>,
    running: Arc<Semaphore>,
) where
    K: Hash + Eq + Send,
{
    loop {
        let (job, pending_permit, started) = match receiver.try_recv() {
            Ok(item) => item,
            Err(mpsc::error::TryRecvError::Disconnected) => return,
            Err(mpsc::error::TryRecvError::Empty) => {
                // The map lock orders this check against `sender_for`: a job either arrives
                // before the worker unregisters, or the dispatcher sees a closed channel.
                let mut map = workers.lock().unwrap_or_else(PoisonError::into_inner);
                if let Ok(item) = receiver.try_recv() {
                    item
                } else {
                    map.remove(&key);
                    receiver.close();
                    return;
                }
            }
        };

        let _running_permit = match started {
            Some(permit) => permit,
            None => match Arc::clone(&running).acquire_owned().await {
                Ok(permit) => permit,
                Err(_) => return,
            },
        };
        job.await;
        drop(pending_permit);
    }
}

/// Wraps a job so that a panic is logged with its conversation instead of unwinding.
fn catch_panics<K: Debug + Send + 'static>(
    key: K,
    job: impl Future<Output = ()> + Send + 'static,
) -> Job {
    Box::pin(async move {
        if let Err(panic) = AssertUnwindSafe(job).catch_unwind().await {
            let message = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            tracing::warn!(conversation = ?key, panic = %message, "event handler panicked");
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn recorder() -> Arc<Mutex<Vec<(u32, u32)>>> {
        Arc::new(Mutex::new(Vec::new()))
    }

    #[tokio::test(start_paused = true)]
    async fn one_conversation_runs_in_order() {
        let dispatcher = Dispatcher::new(DispatchLimits::new(8, 64, 4));
        let log = recorder();
        for index in 0..20_u32 {
            let log = Arc::clone(&log);
            // Earlier jobs sleep longer, so any reordering would show.
            let delay = Duration::from_millis(u64::from(20 - index));
            dispatcher
                .dispatch(
                    1_u32,
                    Box::pin(async move {
                        tokio::time::sleep(delay).await;
                        log.lock().unwrap().push((1, index));
                    }),
                )
                .await;
        }

        assert!(dispatcher.drain(Duration::from_secs(5)).await);
        let order: Vec<u32> = log.lock().unwrap().iter().map(|(_, i)| *i).collect();
        assert_eq!(order, (0..20).collect::<Vec<_>>());
    }

    #[tokio::test(start_paused = true)]
    async fn conversations_run_concurrently() {
        let dispatcher = Dispatcher::new(DispatchLimits::default());
        let started = tokio::time::Instant::now();
        for key in 0..10_u32 {
            dispatcher
                .dispatch(key, Box::pin(tokio::time::sleep(Duration::from_secs(1))))
                .await;
        }

        assert!(dispatcher.drain(Duration::from_secs(60)).await);
        // Ten one-second jobs in ten conversations finish together, not one after another.
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn idle_conversation_job_runs_inline() {
        let dispatcher = Dispatcher::new(DispatchLimits::default());
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ran);
        dispatcher
            .dispatch(1_u32, async move {
                counter.fetch_add(1, Ordering::SeqCst);
            })
            .await;

        // Finished before dispatch returned, without a worker.
        assert_eq!(ran.load(Ordering::SeqCst), 1);
        assert_eq!(dispatcher.active_conversations(), 0);
    }

    #[tokio::test]
    async fn blocking_handler_pauses_inline_polls() {
        let dispatcher = Dispatcher::new(DispatchLimits::default());
        dispatcher
            .dispatch(1_u32, async {
                // Blocking work in a handler, which the inline poll notices.
                std::thread::sleep(INLINE_LIMIT * 4);
            })
            .await;

        let ran = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&ran);
        dispatcher
            .dispatch(2_u32, async move {
                counter.fetch_add(1, Ordering::SeqCst);
            })
            .await;

        // The second job went to a worker, which has not run yet.
        assert_eq!(ran.load(Ordering::SeqCst), 0);
        assert!(dispatcher.drain(Duration::from_secs(5)).await);
        assert_eq!(ran.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn running_jobs_stay_within_bound() {
        let dispatcher = Dispatcher::new(DispatchLimits::new(3, 100, 4));
        let current = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        for key in 0..12_u32 {
            let current = Arc::clone(&current);
            let peak = Arc::clone(&peak);
            dispatcher
                .dispatch(
                    key,
                    Box::pin(async move {
                        let now = current.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        current.fetch_sub(1, Ordering::SeqCst);
                    }),
                )
                .await;
        }

        assert!(dispatcher.drain(Duration::from_secs(60)).await);
        assert_eq!(peak.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn full_dispatcher_waits_instead_of_dropping() {
        let dispatcher = Arc::new(Dispatcher::new(DispatchLimits::new(1, 2, 2)));
        let done = Arc::new(AtomicUsize::new(0));
        for _ in 0..2 {
            let done = Arc::clone(&done);
            dispatcher
                .dispatch(
                    7_u32,
                    Box::pin(async move {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        done.fetch_add(1, Ordering::SeqCst);
                    }),
                )
                .await;
        }

        // The third job has to wait for a pending slot, then runs.
        let third = {
            let done = Arc::clone(&done);
            let dispatcher = Arc::clone(&dispatcher);
            tokio::spawn(async move {
                dispatcher
                    .dispatch(
                        7_u32,
                        Box::pin(async move {
                            done.fetch_add(1, Ordering::SeqCst);
                        }),
                    )
                    .await;
            })
        };
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(!third.is_finished());

        third.await.unwrap();
        assert!(dispatcher.drain(Duration::from_secs(60)).await);
        assert_eq!(done.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn panicking_job_does_not_stop_conversation() {
        let dispatcher = Dispatcher::new(DispatchLimits::default());
        let log = recorder();
        dispatcher
            .dispatch(5_u32, Box::pin(async { panic!("handler bug") }))
            .await;
        let after = Arc::clone(&log);
        dispatcher
            .dispatch(
                5_u32,
                Box::pin(async move {
                    after.lock().unwrap().push((5, 2));
                }),
            )
            .await;

        assert!(dispatcher.drain(Duration::from_secs(5)).await);
        assert_eq!(*log.lock().unwrap(), vec![(5, 2)]);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_workers_exit() {
        let dispatcher = Dispatcher::new(DispatchLimits::default());
        for key in 0..5_u32 {
            dispatcher.dispatch(key, Box::pin(async {})).await;
        }

        assert!(dispatcher.drain(Duration::from_secs(5)).await);
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(dispatcher.active_conversations(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn drain_times_out_on_stuck_job() {
        let dispatcher = Dispatcher::new(DispatchLimits::default());
        dispatcher
            .dispatch(1_u32, Box::pin(std::future::pending()))
            .await;

        assert!(!dispatcher.drain(Duration::from_secs(3)).await);
    }
}
