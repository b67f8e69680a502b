//! The reconnect policy against a scripted gateway: which triggers resume, which identify, which
//! stop the shard, and that nothing loops.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use qie_gateway::{
    DiscoveryError, FatalErrorKind, GatewayDiscovery, ReconnectReason, Shard, ShardEvent, ShardId,
    TokenProvider, TokenProviderError,
};
use qie_model::gateway::{CloseCode, GatewayBot, SessionStartLimit};
use qie_model::secret::AccessToken;
use tokio::time::Instant;

use common::{Received, ServerConn, TestServer, config_builder, established, spawn};

/// Serves the connection (heartbeats acknowledged) for ten minutes and checks that no other
/// connection was opened meanwhile.
async fn assert_no_more_connections(server: &mut TestServer, connection: &mut ServerConn) {
    let received = connection
        .serve_heartbeats_for(Duration::from_secs(600))
        .await;

    assert!(received.is_none(), "unexpected {received:?}");
    assert!(
        server.try_next_connection().is_none(),
        "a further connection was opened"
    );
}

async fn resumes_once_after(trigger: impl AsyncFnOnce(&mut ServerConn)) {
    let mut server = TestServer::start().await;
    let (mut events, mut first) = established(&mut server).await;

    trigger(&mut first).await;
    let mut second = server.next_connection().await;
    second.hello(45_000).await;
    let resume = second.expect_resume().await;
    second.dispatch(3, 3).await;
    second.resumed(4).await;

    assert_eq!(resume.session_id, "session-1");
    assert_eq!(resume.seq, 2);
    assert_eq!(
        resume.token.access_token().map(AccessToken::expose),
        Some(common::TOKEN)
    );
    let (seq, lifecycle) = events.next_dispatch().await;
    assert_eq!(seq, 3);
    assert!(
        lifecycle
            .iter()
            .any(|event| matches!(event, ShardEvent::Reconnecting(r) if r.resume)),
        "{lifecycle:?}"
    );
    let resumed = events.until_resumed().await;
    assert_eq!(resumed.replayed, 1);
    assert_no_more_connections(&mut server, &mut second).await;
    assert_eq!(server.accepted(), 2);
}

#[test]
fn close_4009_resumes_once() {
    common::run(resumes_once_after(async |connection: &mut ServerConn| {
        connection.close(4009).await;
    }));
}

#[test]
fn op_7_resumes_once() {
    common::run(resumes_once_after(async |connection: &mut ServerConn| {
        connection.send_json(serde_json::json!({"op": 7})).await;
    }));
}

#[test]
fn op_7_then_4009_resumes_once() {
    common::run(resumes_once_after(async |connection: &mut ServerConn| {
        connection.send_json(serde_json::json!({"op": 7})).await;
        connection.close(4009).await;
    }));
}

#[test]
fn connection_drop_resumes_once() {
    common::run(resumes_once_after(async |connection: &mut ServerConn| {
        connection.drop_connection();
    }));
}

#[test]
fn close_4009_reconnects_immediately() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut first) = established(&mut server).await;

        let closed_at = Instant::now();
        first.close(4009).await;
        let second = server.next_connection().await;

        assert_eq!(second.opened_at, closed_at);
        let reconnecting = events.until_reconnecting().await;
        assert!(matches!(
            reconnecting.reason,
            ReconnectReason::Closed(CloseCode::SessionTimeout)
        ));
        assert_eq!(reconnecting.delay, Duration::ZERO);
        assert_eq!(reconnecting.attempt, 1);
    });
}

/// The second connection's Resume is rejected by `reject`; the third must Identify, and no
/// fourth connection follows.
async fn identifies_once_after_rejected_resume(reject: impl AsyncFnOnce(&mut ServerConn)) {
    let mut server = TestServer::start().await;
    let (mut events, mut first) = established(&mut server).await;
    first.close(4009).await;

    let mut second = server.next_connection().await;
    second.hello(45_000).await;
    second.expect_resume().await;
    reject(&mut second).await;

    let mut third = server.next_connection().await;
    let waited = third.opened_at - second.opened_at;
    third.hello(45_000).await;
    let identify = third.expect_identify().await;
    third.ready("session-2", 1, [0, 1]).await;
    third.dispatch(2, 20).await;

    assert_eq!(identify.shard, ShardId::ONE);
    assert!(
        waited >= Duration::from_millis(500),
        "reconnected after {waited:?}"
    );
    let reconnecting = events.until_reconnecting().await;
    assert!(reconnecting.resume, "4009 keeps the session");
    let reconnecting = events.until_reconnecting().await;
    assert!(!reconnecting.resume, "the rejected session is dropped");
    events.until_ready().await;
    assert_eq!(events.next_dispatch().await.0, 2);
    assert_no_more_connections(&mut server, &mut third).await;
    assert_eq!(server.accepted(), 3);
}

#[test]
fn op_9_false_after_resume_identifies_once() {
    common::run(identifies_once_after_rejected_resume(
        async |connection: &mut ServerConn| {
            connection
                .send_json(serde_json::json!({"op": 9, "d": false}))
                .await;
            connection.close(4009).await;
        },
    ));
}

#[test]
fn close_4006_after_resume_identifies_once() {
    common::run(identifies_once_after_rejected_resume(
        async |connection: &mut ServerConn| connection.close(4006).await,
    ));
}

#[test]
fn close_4905_after_resume_identifies_once() {
    common::run(identifies_once_after_rejected_resume(
        async |connection: &mut ServerConn| connection.close(4905).await,
    ));
}

#[test]
fn op_9_true_resumes() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (_events, mut first) = established(&mut server).await;

        first
            .send_json(serde_json::json!({"op": 9, "d": true}))
            .await;
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        let resume = second.expect_resume().await;

        let waited = second.opened_at - first.opened_at;
        assert!(waited >= Duration::from_secs(1), "{waited:?}");
        assert!(waited <= Duration::from_secs(5), "{waited:?}");
        assert_eq!(resume.seq, 2);
    });
}

#[test]
fn op_9_after_identify_backs_off() {
    common::run(async {
        let mut server = TestServer::start().await;
        let mut events = spawn(Shard::new(
            ShardId::ONE,
            config_builder(&server.url).build(),
        ));
        let start = Instant::now();

        let mut opened = Vec::new();
        while Instant::now() - start < Duration::from_secs(600) {
            let mut connection = server.next_connection().await;
            opened.push(connection.opened_at - start);
            connection.hello(45_000).await;
            connection.expect_identify().await;
            connection
                .send_json(serde_json::json!({"op": 9, "d": false}))
                .await;
        }

        let gaps: Vec<Duration> = opened
            .windows(2)
            .map(|pair| pair[1].saturating_sub(pair[0]))
            .collect();
        assert!(
            gaps.iter().all(|gap| *gap >= Duration::from_secs(1)),
            "{gaps:?}"
        );
        assert!(
            gaps.iter()
                .rev()
                .take(3)
                .all(|gap| *gap >= Duration::from_secs(30)),
            "the backoff grows to its cap: {gaps:?}"
        );
        assert!(
            opened.len() <= 25,
            "{} connections in 10 minutes",
            opened.len()
        );
        let mut delays = Vec::new();
        while let Some(Ok(event)) = events.try_next() {
            if let ShardEvent::Reconnecting(reconnecting) = event {
                assert!(!reconnecting.resume);
                delays.push(reconnecting.delay);
            }
        }
        assert!(delays.len() >= 8, "{delays:?}");
    });
}

async fn fatal_close_ends_stream(code: u16, kind: FatalErrorKind) {
    let mut server = TestServer::start().await;
    let (mut events, mut connection) = established(&mut server).await;

    connection.close(code).await;
    let error = loop {
        match events.next().await {
            Some(Ok(ShardEvent::Reconnecting(reconnecting))) => {
                panic!("reconnecting after close code {code}: {reconnecting:?}")
            }
            Some(Ok(_)) => {}
            Some(Err(error)) => break error,
            None => panic!("stream ended without an error"),
        }
    };

    assert_eq!(error.kind(), kind, "close code {code}");
    assert_eq!(error.close_code(), Some(CloseCode::from_u16(code)));
    assert_eq!(error.shard(), ShardId::ONE);
    assert!(
        events.next().await.is_none(),
        "the stream ends after the error"
    );
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(server.accepted(), 1, "no reconnect after close code {code}");
}

#[test]
fn close_4914_is_fatal() {
    common::run(fatal_close_ends_stream(4914, FatalErrorKind::BotOffline));
}

#[test]
fn close_4915_is_fatal() {
    common::run(fatal_close_ends_stream(4915, FatalErrorKind::BotBanned));
}

#[test]
fn configuration_close_codes_are_fatal() {
    common::run(async {
        for (code, kind) in [
            (4010, FatalErrorKind::InvalidShard),
            (4011, FatalErrorKind::ShardingRequired),
            (4012, FatalErrorKind::InvalidVersion),
            (4013, FatalErrorKind::InvalidIntents),
            (4014, FatalErrorKind::DisallowedIntents),
        ] {
            fatal_close_ends_stream(code, kind).await;
        }
    });
}

#[test]
fn fatal_error_message_names_fix() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut connection) = established(&mut server).await;
        connection.close(4914).await;

        let error = loop {
            if let Some(Err(error)) = events.next().await {
                break error;
            }
        };

        assert_eq!(
            error.to_string(),
            "shard [0, 1] stopped: the bot is delisted and may only connect to the sandbox \
             (close code 4914); relist it in the QQ Open Platform console"
        );
    });
}

#[test]
fn close_4008_waits_then_resumes() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (_events, mut first) = established(&mut server).await;

        first.close(4008).await;
        let closed_at = Instant::now();
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        let resume = second.expect_resume().await;

        let waited = second.opened_at - closed_at;
        assert!(waited >= Duration::from_secs(60), "{waited:?}");
        assert!(waited <= Duration::from_secs(66), "{waited:?}");
        assert_eq!(resume.seq, 2);
    });
}

/// Hands out `token-1`, `token-2`, … and moves on when a token is rejected.
#[derive(Debug, Default)]
struct RotatingToken {
    rejected: AtomicUsize,
}

impl TokenProvider for RotatingToken {
    fn access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenProviderError>> {
        let number = self.rejected.load(Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(AccessToken::new(format!("token-{number}"))) })
    }

    fn reject(&self, token: &AccessToken) {
        let current = format!("token-{}", self.rejected.load(Ordering::SeqCst) + 1);
        if token.expose() == current {
            self.rejected.fetch_add(1, Ordering::SeqCst);
        }
    }
}

#[test]
fn close_4004_refreshes_token_and_resumes() {
    common::run(async {
        let mut server = TestServer::start().await;
        let config = qie_gateway::Config::builder(
            RotatingToken::default(),
            qie_model::gateway::Intents::DEFAULT,
        )
        .gateway_url(&server.url)
        .build();
        let mut events = spawn(Shard::new(ShardId::ONE, config));

        let mut first = server.next_connection().await;
        let identify = first.accept_identify("session-1", [0, 1]).await;
        first.dispatch(2, 2).await;
        events.next_dispatch().await;
        first.close(4004).await;
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        let resume = second.expect_resume().await;

        assert_eq!(identify.token.expose_wire_form(), "QQBot token-1");
        assert_eq!(resume.token.expose_wire_form(), "QQBot token-2");
        assert_eq!(resume.seq, 2);
    });
}

#[test]
fn missing_hello_times_out_and_retries() {
    common::run(async {
        let mut server = TestServer::start().await;
        let mut events = spawn(Shard::new(
            ShardId::ONE,
            config_builder(&server.url)
                .handshake_timeout(Duration::from_secs(10))
                .build(),
        ));

        let mut silent = server.next_connection().await;
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        second.expect_identify().await;

        assert!(second.opened_at - silent.opened_at >= Duration::from_secs(10));
        let reconnecting = events.until_reconnecting().await;
        assert!(matches!(
            reconnecting.reason,
            ReconnectReason::HandshakeTimeout
        ));
        assert!(matches!(silent.recv_any().await, Received::Closed(_)));
    });
}

/// Counts `GET /gateway/bot` calls; every call returns `url`, or a rate limit when `limited`.
#[derive(Debug)]
struct CountingDiscovery {
    url: String,
    calls: Arc<AtomicUsize>,
    rate_limited: bool,
}

impl GatewayDiscovery for CountingDiscovery {
    fn gateway_bot(&self) -> BoxFuture<'_, Result<GatewayBot, DiscoveryError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let result = if self.rate_limited && self.calls.load(Ordering::SeqCst) > 1 {
            Err(DiscoveryError::rate_limited(
                "code 100001: too many requests",
                Some(Duration::from_secs(120)),
            ))
        } else {
            Ok(GatewayBot::new(
                self.url.clone(),
                1,
                SessionStartLimit::new(1000, 1000, 86_400_000, 1),
            ))
        };
        Box::pin(std::future::ready(result))
    }
}

async fn discovery_calls_while_unreachable(rate_limited: bool) -> (usize, usize) {
    // A port that refuses connections: bind, note the address, close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}/websocket", listener.local_addr().unwrap());
    drop(listener);

    let calls = Arc::new(AtomicUsize::new(0));
    let discovery = CountingDiscovery {
        url,
        calls: Arc::clone(&calls),
        rate_limited,
    };
    let config = qie_gateway::Config::builder(
        qie_gateway::StaticToken::new(AccessToken::new(common::TOKEN)),
        qie_model::gateway::Intents::DEFAULT,
    )
    .discovery(discovery)
    .build();
    let mut events = spawn(Shard::new(ShardId::ONE, config));

    let start = Instant::now();
    let mut attempts = 0;
    while Instant::now() - start < Duration::from_secs(600) {
        let reconnecting = events.until_reconnecting().await;
        assert!(
            matches!(reconnecting.reason, ReconnectReason::ConnectFailed(_)),
            "{:?}",
            reconnecting.reason
        );
        attempts += 1;
    }

    (attempts, calls.load(Ordering::SeqCst))
}

#[test]
fn reconnect_loop_spares_discovery() {
    common::run(async {
        let (attempts, calls) = discovery_calls_while_unreachable(false).await;

        assert!(attempts >= 10, "{attempts} attempts");
        // One call at start, then at most one per 30 s.
        assert!(
            calls <= 1 + 600 / 30,
            "{calls} calls for {attempts} attempts"
        );
        assert!(calls >= 2, "the URL is refreshed after repeated failures");
    });
}

#[test]
fn discovery_rate_limit_respected() {
    common::run(async {
        let (attempts, calls) = discovery_calls_while_unreachable(true).await;

        assert!(attempts >= 10, "{attempts} attempts");
        // The first refresh is rate limited for 120 s; later ones each block 120 s again.
        assert!(calls <= 1 + 600 / 120 + 1, "{calls} calls");
    });
}

#[test]
fn client_close_on_reconnect_is_resumable() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (_events, mut first) = established(&mut server).await;

        first.send_json(serde_json::json!({"op": 7})).await;
        let closed = first.recv_any().await;

        assert!(matches!(closed, Received::Closed(Some(4000))), "{closed:?}");
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        second.expect_resume().await;
    });
}

#[test]
fn missing_ready_times_out_and_identifies() {
    common::run(async {
        let mut server = TestServer::start().await;
        let mut events = spawn(Shard::new(
            ShardId::ONE,
            config_builder(&server.url)
                .handshake_timeout(Duration::from_secs(10))
                .build(),
        ));

        // Identify is acknowledged with heartbeat ACKs only, never with READY.
        let mut silent = server.next_connection().await;
        silent.hello(45_000).await;
        silent.expect_identify().await;
        let identified_at = Instant::now();
        let closed = silent.recv(true).await;
        let closed_after = Instant::now() - identified_at;
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        second.expect_identify().await;

        assert!(matches!(closed, Received::Closed(Some(4000))), "{closed:?}");
        assert_eq!(closed_after, Duration::from_secs(10));
        let reconnecting = events.until_reconnecting().await;
        assert!(matches!(
            reconnecting.reason,
            ReconnectReason::HandshakeTimeout
        ));
    });
}

#[test]
fn long_replay_not_cut_off() {
    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut first) = established(&mut server).await;
        first.close(4009).await;

        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        second.expect_resume().await;
        // The replay trickles in over 30 s, more than the 15 s handshake timeout in total.
        for seq in 3..=8 {
            tokio::time::sleep(Duration::from_secs(5)).await;
            second.dispatch(seq, seq).await;
        }
        second.resumed(9).await;

        for seq in 3..=8 {
            assert_eq!(events.next_dispatch().await.0, seq);
        }
        assert_eq!(events.until_resumed().await.replayed, 6);
        assert_eq!(server.accepted(), 2);
    });
}

/// Takes items until the fatal error and checks that no reconnect came first.
async fn fatal_error(events: &mut common::Events) -> qie_gateway::FatalError {
    loop {
        match events.next().await {
            Some(Ok(ShardEvent::Reconnecting(reconnecting))) => panic!("{reconnecting:?}"),
            Some(Ok(_)) => {}
            Some(Err(error)) => return error,
            None => panic!("stream ended without an error"),
        }
    }
}

#[test]
fn missing_gateway_url_is_fatal() {
    common::run(async {
        let config = qie_gateway::Config::builder(
            qie_gateway::StaticToken::new(AccessToken::new(common::TOKEN)),
            qie_model::gateway::Intents::DEFAULT,
        )
        .build();
        let mut events = spawn(Shard::new(ShardId::ONE, config));

        let error = fatal_error(&mut events).await;

        assert_eq!(error.kind(), FatalErrorKind::InvalidUrl);
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert!(source.contains("ConfigBuilder::gateway_url"), "{source}");
    });
}

#[test]
fn malformed_gateway_url_is_fatal() {
    common::run(async {
        let config = config_builder("http://127.0.0.1:1/websocket").build();
        let mut events = spawn(Shard::new(ShardId::ONE, config));

        let error = fatal_error(&mut events).await;

        assert_eq!(error.kind(), FatalErrorKind::InvalidUrl);
        assert!(error.to_string().contains("ws:// or wss://"), "{error}");
    });
}
