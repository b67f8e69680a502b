//! End to end against the qie emulator, an independent implementation of the platform: token
//! and discovery through `qie_http`, then injected messages across the emulator's gateway faults.
//!
//! These tests run on real time with a short heartbeat interval, because the emulator and the
//! HTTP client have their own timers. Each takes a few seconds.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures_util::StreamExt;
use qie_emulator::control::UserMessage;
use qie_emulator::{Emulator, EmulatorHandle, GatewayFault, SessionTarget};
use qie_gateway::{Cluster, Config, FatalError, ReconnectPolicy, ShardEvent, ShardId};
use qie_http::{Client, HttpConfig};
use qie_model::gateway::Intents;
use qie_model::id::AppId;
use qie_model::secret::AppSecret;

const C2C_USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";
const STEP: Duration = Duration::from_secs(20);

type Item = (ShardId, Result<ShardEvent, FatalError>);

async fn start() -> (EmulatorHandle, Cluster) {
    let emulator = Emulator::builder()
        .hello_interval(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let http_config = HttpConfig::with_base_url(&emulator.base_url())
        .unwrap()
        .use_env_proxy(false);
    let client = Client::builder(
        AppId::new("102000001"),
        AppSecret::new("ExampleBotSecret01"),
    )
    .config(http_config)
    .build()
    .unwrap();

    let mut policy = ReconnectPolicy::default();
    policy.initial_backoff = Duration::from_millis(50);
    policy.max_backoff = Duration::from_millis(400);
    policy.invalid_session_min_delay = Duration::from_millis(50);
    policy.invalid_session_max_delay = Duration::from_millis(100);
    let config = Config::builder(
        client.token_source().clone(),
        Intents::DEFAULT | Intents::GROUP_AND_C2C,
    )
    .discovery(client)
    .reconnect_policy(policy)
    .build();
    let cluster = Cluster::new(config).await.unwrap();

    (emulator, cluster)
}

async fn next_item(cluster: &mut Cluster) -> Item {
    tokio::time::timeout(STEP, cluster.next())
        .await
        .expect("no item in time")
        .expect("stream ended")
}

/// Takes items until one matches `select`, collecting the event ids of dispatches on the way.
async fn until(
    cluster: &mut Cluster,
    delivered: &mut Vec<String>,
    mut select: impl FnMut(&ShardEvent) -> bool,
) -> ShardEvent {
    loop {
        let (_, item) = next_item(cluster).await;
        let event = item.unwrap();
        if let ShardEvent::Dispatch(dispatch) = &event {
            delivered.push(dispatch.id.as_ref().unwrap().as_str().to_owned());
        }
        if select(&event) {
            return event;
        }
    }
}

/// Injects `count` C2C messages and returns their event ids.
fn inject(emulator: &EmulatorHandle, count: usize, label: &str) -> Vec<String> {
    (0..count)
        .flat_map(|index| {
            emulator
                .inject_message(&UserMessage::c2c(C2C_USER, format!("{label} {index}")))
                .unwrap()
                .event_ids
        })
        .collect()
}

/// Takes dispatches until every id in `expected` was delivered.
async fn collect(cluster: &mut Cluster, delivered: &mut Vec<String>, expected: &[String]) {
    while !expected.iter().all(|id| delivered.contains(id)) {
        until(cluster, delivered, |event| {
            matches!(event, ShardEvent::Dispatch(_))
        })
        .await;
    }
}

fn session_target(emulator: &EmulatorHandle) -> SessionTarget {
    let session = emulator
        .sessions()
        .into_iter()
        .find(|session| session.connected)
        .expect("a connected session");

    SessionTarget::Session(session.session_id)
}

#[tokio::test]
async fn faults_lose_no_message() {
    let (emulator, mut cluster) = start().await;
    let mut delivered = Vec::new();
    let mut expected = Vec::new();
    until(&mut cluster, &mut delivered, |event| {
        matches!(event, ShardEvent::Ready(_))
    })
    .await;

    expected.extend(inject(&emulator, 10, "before"));
    collect(&mut cluster, &mut delivered, &expected).await;

    let faults = [
        GatewayFault::Drop,
        GatewayFault::Reconnect,
        GatewayFault::StopAcks,
    ];
    for fault in faults {
        let target = session_target(&emulator);
        assert_eq!(emulator.gateway_fault(&target, &fault), 1, "{fault:?}");
        // Events published while the shard is away are replayed after Resume.
        expected.extend(inject(&emulator, 10, &format!("{fault:?}")));
        until(&mut cluster, &mut delivered, |event| {
            matches!(event, ShardEvent::Resumed(_))
        })
        .await;
        if fault == GatewayFault::StopAcks {
            emulator.gateway_fault(&SessionTarget::All, &GatewayFault::ResumeAcks);
        }
        expected.extend(inject(&emulator, 5, "after"));
        collect(&mut cluster, &mut delivered, &expected).await;
    }

    assert_eq!(delivered, expected, "every message once, in order");
    emulator.shutdown().await;
}

#[tokio::test]
async fn rejected_session_identifies_again() {
    let (emulator, mut cluster) = start().await;
    let mut delivered = Vec::new();
    until(&mut cluster, &mut delivered, |event| {
        matches!(event, ShardEvent::Ready(_))
    })
    .await;
    let first = session_target(&emulator);

    emulator.gateway_fault(&first, &GatewayFault::InvalidSession { resumable: false });
    let reconnecting = until(&mut cluster, &mut delivered, |event| {
        matches!(event, ShardEvent::Reconnecting(_))
    })
    .await;
    until(&mut cluster, &mut delivered, |event| {
        matches!(event, ShardEvent::Ready(_))
    })
    .await;
    let expected = inject(&emulator, 3, "new session");
    collect(&mut cluster, &mut delivered, &expected).await;

    let ShardEvent::Reconnecting(reconnecting) = reconnecting else {
        unreachable!()
    };
    assert!(!reconnecting.resume);
    assert_ne!(session_target(&emulator), first);
    assert_eq!(delivered, expected);
    emulator.shutdown().await;
}

#[tokio::test]
async fn banned_bot_stops() {
    let (emulator, mut cluster) = start().await;
    let mut delivered = Vec::new();
    until(&mut cluster, &mut delivered, |event| {
        matches!(event, ShardEvent::Ready(_))
    })
    .await;

    let fault = GatewayFault::Close {
        code: 4915,
        reason: String::new(),
        invalidate: None,
    };
    emulator.gateway_fault(&SessionTarget::All, &fault);
    let error = loop {
        let (_, item) = next_item(&mut cluster).await;
        match item {
            Ok(ShardEvent::Reconnecting(reconnecting)) => panic!("{reconnecting:?}"),
            Ok(_) => {}
            Err(error) => break error,
        }
    };

    assert_eq!(error.kind(), qie_gateway::FatalErrorKind::BotBanned);
    assert!(cluster.next().await.is_none());
    emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_is_fatal() {
    let emulator = Emulator::builder().start().await.unwrap();
    let http_config = HttpConfig::with_base_url(&emulator.base_url())
        .unwrap()
        .use_env_proxy(false);
    let client = Client::builder(AppId::new("102000001"), AppSecret::new("not-the-secret"))
        .config(http_config)
        .build()
        .unwrap();
    let config = Config::builder(client.token_source().clone(), Intents::DEFAULT)
        .gateway_url(emulator.gateway_url())
        .build();
    let mut shard = qie_gateway::Shard::new(ShardId::ONE, config);

    let error = loop {
        let item = tokio::time::timeout(STEP, shard.next())
            .await
            .expect("no item in time")
            .expect("stream ended");
        match item {
            Ok(ShardEvent::Reconnecting(reconnecting)) => panic!("{reconnecting:?}"),
            Ok(_) => {}
            Err(error) => break error,
        }
    };

    assert_eq!(error.kind(), qie_gateway::FatalErrorKind::Token);
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("100016"), "{source}");
    emulator.shutdown().await;
}
