//! Shutdown of a bot whose gateway delivers events faster than its handlers take them.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use qie::model::id::AppId;
use qie::model::secret::AppSecret;
use qie::{Bot, BotHandle, Config};
use qie_emulator::gateway::{Firehose, FirehoseFrame, SessionTarget};
use qie_emulator::{Emulator, EmulatorHandle};

/// Maximum duration of a shutdown while the flood goes on. The handlers still queued
/// when the session closes (at most the 1024 buffered events, 100 us each) need far less.
const SHUTDOWN_BOUND: Duration = Duration::from_secs(5);

struct Flooded {
    emulator: EmulatorHandle,
    handle: BotHandle,
    handled: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<Result<(), qie::BotError>>,
}

/// Starts a bot whose message handler spins for 100 us, floods it with C2C messages, and
/// returns once the flood is under way.
async fn start_flood(signal: impl Future<Output = ()> + Send + 'static) -> Flooded {
    let emulator = Emulator::builder().start().await.expect("emulator starts");
    let world_bot = emulator.bot();
    let config = Config::new(
        AppId::new(world_bot.app_id),
        AppSecret::new(world_bot.secret),
    )
    .with_api_base(&emulator.base_url());
    let handled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&handled);
    let bot = Bot::builder()
        .on_message(move |_, _| {
            let counter = Arc::clone(&counter);
            async move {
                let started = Instant::now();
                while started.elapsed() < Duration::from_micros(100) {
                    std::hint::spin_loop();
                }
                counter.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        })
        .shutdown_timeout(Duration::from_secs(1))
        .build(&config)
        .expect("bot builds");
    let handle = bot.handle();
    let task = tokio::spawn(bot.run_until(signal));
    assert!(
        tokio::time::timeout(common::WAIT, handle.ready())
            .await
            .expect("bot connects within the wait"),
        "bot stopped before READY"
    );

    let firehose = Firehose {
        frames: vec![FirehoseFrame {
            t: "C2C_MESSAGE_CREATE".to_owned(),
            d: common::fixture("dispatch.c2c_message_create.json")["d"].clone(),
        }],
        count: 5_000_000,
        unique_ids: true,
    };
    let sessions = emulator
        .control()
        .firehose(&SessionTarget::All, &firehose)
        .expect("firehose starts");
    assert_eq!(sessions, 1);
    let deadline = Instant::now() + common::WAIT;
    while handled.load(Ordering::SeqCst) < 5_000 {
        assert!(Instant::now() < deadline, "flood never reached the handler");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    Flooded {
        emulator,
        handle,
        handled,
        task,
    }
}

/// Waits for the bot to return, failing when that takes longer than [`SHUTDOWN_BOUND`].
async fn stopped_within_bound(flooded: Flooded, requested: Instant) {
    let result = tokio::time::timeout(SHUTDOWN_BOUND, flooded.task).await;
    let handled = flooded.handled.load(Ordering::SeqCst);
    let result = result.unwrap_or_else(|_| {
        panic!(
            "bot still running {:?} after shutdown, {handled} events handled",
            requested.elapsed()
        )
    });
    result
        .expect("bot task does not panic")
        .expect("bot stops cleanly");
    flooded.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signal_stops_flooded_bot() {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let flooded = start_flood(async move {
        let _ = stopped.await;
    })
    .await;

    let requested = Instant::now();
    stop.send(()).expect("bot still running");

    stopped_within_bound(flooded, requested).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handle_shutdown_stops_flooded_bot() {
    let flooded = start_flood(std::future::pending()).await;

    let requested = Instant::now();
    flooded.handle.shutdown();

    stopped_within_bound(flooded, requested).await;
}
