//! The receiver behind a real socket on 127.0.0.1: acceptance, each fault, replay, dedupe and
//! the signing-oracle attack.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{RawRequest, exchange, field, fixed_clock, fixture, key, start, unix_now};
use qie_model::event::Event;
use qie_model::secret::AppSecret;
use qie_model::webhook::ValidationRequest;
use qie_webhook::{UnsignedValidation, Webhook, WebhookStats};
use tokio::io::AsyncWriteExt as _;

const APP_ID: &str = "102000001";
const SECRET: &str = "Zq7Lm2Xp9Rt4Wv8Kb3Nc";
const FIXTURE_TIME: u64 = 1_767_240_000;

fn builder() -> qie_webhook::WebhookBuilder {
    Webhook::builder().bot(APP_ID, AppSecret::new(SECRET))
}

/// Builds a C2C message dispatch with event id `id`.
fn dispatch_body(id: &str, content: &str) -> String {
    format!(
        r#"{{"op":0,"id":"{id}","t":"C2C_MESSAGE_CREATE","d":{{"id":"ROBOT1.0_{id}","content":"{content}","timestamp":"2026-01-01T12:00:00+08:00","author":{{"user_openid":"3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C"}}}}}}"#
    )
}

fn signed_now(body: &str) -> RawRequest {
    RawRequest::signed(APP_ID, &key(SECRET), &unix_now().to_string(), body)
}

/// Returns the V1 fixture request exactly as captured.
fn fixture_request() -> RawRequest {
    RawRequest::from_fixture("webhook.dispatch.request.json")
}

#[tokio::test]
async fn dispatch_fixture_is_acknowledged_and_delivered() {
    let (webhook, mut events, address) = start(builder().clock(fixed_clock(FIXTURE_TIME))).await;

    let response = fixture_request().send(address).await;

    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.json(), fixture("webhook.dispatch.ack.json"));
    let event = events
        .try_recv()
        .expect("the event is queued before the ACK");
    assert_eq!(event.app_id, APP_ID);
    assert_eq!(
        event.id().unwrap(),
        "C2C_MESSAGE_CREATE:0f3c2a9e-1b7d-4c55-9a1e-6d2f8b4c7e10"
    );
    assert_eq!(
        event.trace_id.as_deref(),
        Some("1a2b3c4d5e6f708192a3b4c5d6e7f809")
    );
    let Event::C2cMessageCreate(message) = event.event() else {
        panic!("expected C2C_MESSAGE_CREATE, got {:?}", event.event());
    };
    assert_eq!(message.content, "hello bot");
    assert_eq!(webhook.stats().events, 1);
}

#[tokio::test]
async fn tampered_body_is_rejected() {
    let (webhook, mut events, address) = start(builder().clock(fixed_clock(FIXTURE_TIME))).await;
    let mut request = fixture_request();
    request.body = String::from_utf8(request.body)
        .unwrap()
        .replace("hello bot", "hello bog")
        .into_bytes();

    let response = request.send(address).await;

    assert_eq!(response.status, 403);
    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().bad_signature, 1);
}

#[tokio::test]
async fn wrong_signature_is_rejected() {
    let (webhook, mut events, address) = start(builder()).await;
    let body = dispatch_body("E1", "hi");
    let timestamp = unix_now().to_string();
    let other_key = key("AnotherBotsSecret");

    let response = RawRequest::signed(APP_ID, &other_key, &timestamp, body.as_str())
        .send(address)
        .await;

    assert_eq!(response.status, 403);
    assert_eq!(response.text(), "invalid signature / 签名无效\n");
    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().bad_signature, 1);
}

#[tokio::test]
async fn old_and_future_timestamps_are_rejected() {
    let (webhook, mut events, address) =
        start(builder().freshness_window(Some(Duration::from_secs(300)))).await;
    let key = key(SECRET);
    let now = unix_now();

    for (index, timestamp) in [now - 3600, now + 3600, 0].into_iter().enumerate() {
        let body = dispatch_body(&format!("STALE{index}"), "hi");
        let response = RawRequest::signed(APP_ID, &key, &timestamp.to_string(), body.as_str())
            .send(address)
            .await;
        assert_eq!(response.status, 403, "timestamp {timestamp}");
    }

    let body = dispatch_body("FRESH", "hi");
    let response = RawRequest::signed(APP_ID, &key, &(now - 200).to_string(), body.as_str())
        .send(address)
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(events.try_recv().unwrap().id().unwrap(), "FRESH");
    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().stale, 3);
}

#[tokio::test]
async fn replayed_request_is_handled_once() {
    let (webhook, mut events, address) = start(builder()).await;
    let request = signed_now(&dispatch_body("REPLAY", "once"));

    for _ in 0..3 {
        let response = request.send(address).await;
        assert_eq!(response.status, 200);
        assert_eq!(response.body, br#"{"op":12,"d":0}"#);
    }

    assert_eq!(events.try_recv().unwrap().id().unwrap(), "REPLAY");
    assert!(events.try_recv().is_none());
    let stats = webhook.stats();
    assert_eq!(stats.events, 1);
    assert_eq!(stats.duplicates, 2);
}

#[tokio::test]
async fn replayed_request_without_id_is_handled_once() {
    let (webhook, mut events, address) = start(builder()).await;
    let body = dispatch_body("UNUSED", "no id").replacen(r#""id":"UNUSED","#, "", 1);
    assert!(!body.starts_with(r#"{"op":0,"id""#));
    let request = signed_now(&body);

    for _ in 0..3 {
        let response = request.send(address).await;
        assert_eq!(response.status, 200);
    }

    assert!(events.try_recv().is_some());
    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().duplicates, 2);
}

#[tokio::test]
async fn redelivery_with_fresh_signature_is_handled_once() {
    let (_webhook, mut events, address) = start(builder()).await;
    let key = key(SECRET);
    let body = dispatch_body("RETRY", "once");
    let now = unix_now();

    for offset in 0..4 {
        let timestamp = (now + offset).to_string();
        let response = RawRequest::signed(APP_ID, &key, &timestamp, body.as_str())
            .send(address)
            .await;
        assert_eq!(response.status, 200);
    }

    assert!(events.try_recv().is_some());
    assert!(events.try_recv().is_none());
}

#[tokio::test]
async fn concurrent_copies_are_handled_once() {
    let (webhook, mut events, address) = start(builder()).await;
    let request = signed_now(&dispatch_body("RACE", "once"));

    let sends: Vec<_> = (0..8)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move { request.send(address).await.status })
        })
        .collect();
    for send in sends {
        assert_eq!(send.await.unwrap(), 200);
    }

    assert!(events.try_recv().is_some());
    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().duplicates, 7);
}

#[tokio::test]
async fn chunked_body_without_content_length_is_verified() {
    let (_webhook, mut events, address) = start(builder()).await;
    let request = signed_now(&dispatch_body("CHUNKED", "streamed")).chunked();
    assert!(!String::from_utf8_lossy(&request.to_bytes()).contains("Content-Length"));

    let response = request.send(address).await;

    assert_eq!(response.status, 200);
    let event = events.try_recv().unwrap();
    assert_eq!(event.id().unwrap(), "CHUNKED");
}

#[tokio::test]
async fn tampered_chunked_body_is_rejected() {
    let (_webhook, mut events, address) = start(builder()).await;
    let mut request = signed_now(&dispatch_body("CHUNKED", "streamed")).chunked();
    request.body.insert(0, b' ');

    let response = request.send(address).await;

    assert_eq!(response.status, 403);
    assert!(events.try_recv().is_none());
}

#[tokio::test]
async fn oversized_bodies_are_rejected() {
    let (webhook, mut events, address) = start(builder().body_limit(256)).await;
    let body = dispatch_body("BIG", &"x".repeat(400));

    let chunked = signed_now(&body).chunked().send(address).await;
    assert_eq!(chunked.status, 413);

    // Only the head is sent: the declared length alone is enough to reject.
    let request = signed_now(&body).to_bytes();
    let head_end = request
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap()
        + 4;
    let declared = exchange(address, &request[..head_end]).await;
    assert_eq!(declared.status, 413);

    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().too_large, 2);
}

#[tokio::test]
async fn slow_body_times_out() {
    let (webhook, mut events, address) =
        start(builder().body_timeout(Duration::from_millis(200))).await;
    let request = signed_now(&dispatch_body("SLOW", "hi")).to_bytes();

    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(&request[..request.len() - 10])
        .await
        .unwrap();
    let response = common::read_response(&mut stream).await;

    assert_eq!(response.status, 408);
    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().malformed, 1);
}

#[tokio::test]
async fn content_type_is_not_trusted() {
    let (_webhook, mut events, address) = start(builder()).await;

    let plain = signed_now(&dispatch_body("CT1", "hi"))
        .without("Content-Type")
        .header("Content-Type", "text/plain");
    let missing = signed_now(&dispatch_body("CT2", "hi")).without("Content-Type");
    let form = signed_now(&dispatch_body("CT3", "hi"))
        .without("Content-Type")
        .header("Content-Type", "application/x-www-form-urlencoded");

    for request in [plain, missing, form] {
        assert_eq!(request.send(address).await.status, 200);
    }
    for id in ["CT1", "CT2", "CT3"] {
        assert_eq!(events.try_recv().unwrap().id().unwrap(), id);
    }
}

#[tokio::test]
async fn missing_or_malformed_headers_are_401() {
    let (webhook, mut events, address) = start(builder()).await;
    let body = dispatch_body("HDR", "hi");
    let signed = signed_now(&body);
    let signature = key(SECRET).sign(&unix_now().to_string(), body.as_bytes());

    let cases = [
        (
            "no signature headers",
            signed
                .clone()
                .without("X-Signature-Ed25519")
                .without("X-Signature-Timestamp"),
        ),
        (
            "no signature",
            signed.clone().without("X-Signature-Ed25519"),
        ),
        (
            "no timestamp",
            signed.clone().without("X-Signature-Timestamp"),
        ),
        (
            "empty timestamp",
            signed
                .clone()
                .without("X-Signature-Timestamp")
                .header("X-Signature-Timestamp", ""),
        ),
        (
            "timestamp with sign",
            signed
                .clone()
                .without("X-Signature-Timestamp")
                .header("X-Signature-Timestamp", "+1767240000"),
        ),
        (
            "short signature",
            signed
                .clone()
                .without("X-Signature-Ed25519")
                .header("X-Signature-Ed25519", &signature[..126]),
        ),
        (
            "not hex",
            signed
                .clone()
                .without("X-Signature-Ed25519")
                .header("X-Signature-Ed25519", &"zz".repeat(64)),
        ),
        (
            "repeated signature",
            signed.clone().header("X-Signature-Ed25519", &signature),
        ),
        ("non-canonical S", {
            let mut bad = signature.clone();
            bad.replace_range(126..128, "ff");
            signed
                .clone()
                .without("X-Signature-Ed25519")
                .header("X-Signature-Ed25519", &bad)
        }),
    ];
    for (name, request) in &cases {
        let response = request.send(address).await;
        assert_eq!(response.status, 401, "{name}");
    }

    assert!(events.try_recv().is_none());
    assert_eq!(
        webhook.stats().unauthenticated,
        u64::try_from(cases.len()).unwrap()
    );
}

#[tokio::test]
async fn upper_case_signature_is_accepted() {
    let (_webhook, mut events, address) = start(builder()).await;
    let body = dispatch_body("UPPER", "hi");
    let timestamp = unix_now().to_string();
    let signature = key(SECRET)
        .sign(&timestamp, body.as_bytes())
        .to_ascii_uppercase();

    let response = RawRequest::post(body.as_str())
        .header("x-bot-appid", APP_ID)
        .header("x-signature-timestamp", &timestamp)
        .header("x-signature-ed25519", &signature)
        .send(address)
        .await;

    assert_eq!(response.status, 200);
    assert!(events.try_recv().is_some());
}

#[tokio::test]
async fn other_methods_are_405() {
    let (_webhook, _events, address) = start(builder()).await;
    let mut request = signed_now(&dispatch_body("GET", "hi"));
    request.method = "PUT";

    let response = request.send(address).await;

    assert_eq!(response.status, 405);
    assert_eq!(response.header("allow"), Some("POST"));
}

#[tokio::test]
async fn bots_are_routed_by_app_id() {
    let builder = Webhook::builder()
        .bot("102000001", AppSecret::new("FirstBotSecretValue1"))
        .bot("102000002", AppSecret::new("SecondBotSecretValue"));
    let (webhook, mut events, address) = start(builder).await;
    let first = key("FirstBotSecretValue1");
    let second = key("SecondBotSecretValue");
    let now = unix_now().to_string();

    let to_first = RawRequest::signed(
        "102000001",
        &first,
        &now,
        dispatch_body("A", "first").as_str(),
    );
    let to_second = RawRequest::signed(
        "102000002",
        &second,
        &now,
        dispatch_body("B", "second").as_str(),
    );
    assert_eq!(to_first.send(address).await.status, 200);
    assert_eq!(to_second.send(address).await.status, 200);

    let event = events.try_recv().unwrap();
    assert_eq!(
        (event.app_id.as_str(), event.id().unwrap().as_str()),
        ("102000001", "A")
    );
    let event = events.try_recv().unwrap();
    assert_eq!(
        (event.app_id.as_str(), event.id().unwrap().as_str()),
        ("102000002", "B")
    );

    // The same event id for two bots is two events.
    let same_id = RawRequest::signed(
        "102000002",
        &second,
        &now,
        dispatch_body("A", "second").as_str(),
    );
    assert_eq!(same_id.send(address).await.status, 200);
    assert_eq!(events.try_recv().unwrap().app_id, "102000002");

    let crossed = RawRequest::signed(
        "102000002",
        &first,
        &now,
        dispatch_body("C", "crossed").as_str(),
    );
    assert_eq!(crossed.send(address).await.status, 403);
    let unknown = RawRequest::signed(
        "102000003",
        &first,
        &now,
        dispatch_body("D", "unknown").as_str(),
    );
    assert_eq!(unknown.send(address).await.status, 403);
    let missing = RawRequest::signed(
        "102000001",
        &first,
        &now,
        dispatch_body("E", "missing").as_str(),
    )
    .without("X-Bot-Appid");
    assert_eq!(missing.send(address).await.status, 401);

    assert!(events.try_recv().is_none());
    let stats = webhook.stats();
    assert_eq!(stats.bad_signature, 1);
    assert_eq!(stats.unknown_bot, 1);
    assert_eq!(stats.unauthenticated, 1);
}

#[tokio::test]
async fn per_bot_streams_are_independent() {
    let builder = Webhook::builder()
        .bot("102000001", AppSecret::new("FirstBotSecretValue1"))
        .bot("102000002", AppSecret::new("SecondBotSecretValue"))
        .queue_capacity(1)
        .enqueue_timeout(Duration::from_millis(100));
    let (webhook, mut streams) = builder.build_per_bot().unwrap();
    let address = common::serve(&webhook).await;
    let first = key("FirstBotSecretValue1");
    let second = key("SecondBotSecretValue");
    let now = unix_now().to_string();
    let send = |app_id: &str, key: &qie_webhook::WebhookKey, id: &str| {
        RawRequest::signed(app_id, key, &now, dispatch_body(id, "hi").as_str())
    };

    assert_eq!(
        send("102000001", &first, "A1").send(address).await.status,
        200
    );
    assert_eq!(
        send("102000001", &first, "A2").send(address).await.status,
        503
    );
    assert_eq!(
        send("102000002", &second, "B1").send(address).await.status,
        200
    );

    let first_events = streams.get_mut("102000001").unwrap();
    assert_eq!(first_events.try_recv().unwrap().id().unwrap(), "A1");
    assert!(first_events.try_recv().is_none());
    let second_events = streams.get_mut("102000002").unwrap();
    assert_eq!(second_events.try_recv().unwrap().id().unwrap(), "B1");
    assert_eq!(streams.len(), 2);
}

#[tokio::test]
async fn single_bot_without_app_id_header() {
    let (_webhook, mut events, address) = start(builder()).await;

    let missing = signed_now(&dispatch_body("NOAPPID", "hi")).without("X-Bot-Appid");
    assert_eq!(missing.send(address).await.status, 200);
    assert_eq!(events.try_recv().unwrap().app_id, APP_ID);

    let other = signed_now(&dispatch_body("OTHER", "hi"))
        .without("X-Bot-Appid")
        .header("X-Bot-Appid", "999");
    assert_eq!(other.send(address).await.status, 403);
}

#[tokio::test]
async fn full_queue_answers_503_and_keeps_the_event() {
    let builder = builder()
        .queue_capacity(1)
        .enqueue_timeout(Duration::from_millis(100));
    let (webhook, mut events, address) = start(builder).await;

    assert_eq!(
        signed_now(&dispatch_body("Q1", "hi"))
            .send(address)
            .await
            .status,
        200
    );
    let busy = signed_now(&dispatch_body("Q2", "hi")).send(address).await;
    assert_eq!(busy.status, 503);
    assert_eq!(busy.body, br#"{"op":12,"d":1}"#);

    // Once the consumer catches up, the platform's retry of Q2 is handled, not dropped as a
    // duplicate.
    assert_eq!(events.try_recv().unwrap().id().unwrap(), "Q1");
    assert_eq!(
        signed_now(&dispatch_body("Q2", "hi"))
            .send(address)
            .await
            .status,
        200
    );
    assert_eq!(events.try_recv().unwrap().id().unwrap(), "Q2");
    let stats = webhook.stats();
    assert_eq!(stats.busy, 1);
    assert_eq!(stats.events, 2);
    assert_eq!(stats.duplicates, 0);
}

#[tokio::test(start_paused = true)]
async fn slow_handler_never_delays_the_ack() {
    let (_webhook, mut events, address) =
        start(builder().enqueue_timeout(Duration::from_secs(1))).await;
    let handled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = handled.clone();
    tokio::spawn(async move {
        while events.recv().await.is_some() {
            tokio::time::sleep(Duration::from_secs(30)).await;
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });

    for index in 0..5 {
        let started = tokio::time::Instant::now();
        let response = signed_now(&dispatch_body(&format!("SLOW{index}"), "hi"))
            .send(address)
            .await;

        assert_eq!(response.status, 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "ACK {index} waited {:?}",
            started.elapsed()
        );
    }
    assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn unsigned_dispatch_never_reaches_the_handler() {
    let (webhook, mut events, address) = start(builder()).await;

    for body in [
        dispatch_body("UNSIGNED", "forged"),
        dispatch_body("UNSIGNED2", &"x".repeat(8000)),
    ] {
        let response = RawRequest::post(body.as_str())
            .header("X-Bot-Appid", APP_ID)
            .send(address)
            .await;
        assert_eq!(response.status, 401);
    }

    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().unauthenticated, 2);
}

#[tokio::test]
async fn events_stream_ends_with_the_receiver() {
    let (webhook, mut events) = builder().build().unwrap();
    drop(webhook);

    assert!(events.recv().await.is_none());
}

#[tokio::test]
async fn stats_start_at_zero() {
    let (webhook, _events) = builder().build().unwrap();

    assert_eq!(webhook.stats(), WebhookStats::default());
}

mod validation {
    use super::*;

    const V2_SECRET: &str = "ExampleBotSecret01";
    const V2_TIME: u64 = 1_767_240_001;

    fn v2_builder() -> qie_webhook::WebhookBuilder {
        Webhook::builder()
            .bot(APP_ID, AppSecret::new(V2_SECRET))
            .clock(fixed_clock(V2_TIME))
    }

    fn fixture_request() -> RawRequest {
        RawRequest::from_fixture("webhook.validation.request.json")
    }

    #[tokio::test]
    async fn signed_fixture_is_answered_byte_for_byte() {
        let (webhook, mut events, address) = start(v2_builder()).await;

        let response = fixture_request().send(address).await;

        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.json(), fixture("webhook.validation.response.json"));
        assert!(events.try_recv().is_none());
        assert_eq!(webhook.stats().validations, 1);
    }

    #[tokio::test]
    async fn unsigned_docs_example_is_answered() {
        let builder = Webhook::builder()
            .bot("11111111", AppSecret::new("DG5g3B4j9X2KOErG"))
            .clock(fixed_clock(1_725_442_341));
        let (_webhook, _events, address) = start(builder).await;
        let body =
            r#"{"d":{"plain_token":"Arq0D5A61EgUu4OxUvOp","event_ts":"1725442341"},"op":13}"#;

        let response = RawRequest::post(body)
            .header("X-Bot-Appid", "11111111")
            .send(address)
            .await;

        assert_eq!(response.status, 200);
        assert_eq!(response.json()["plain_token"], "Arq0D5A61EgUu4OxUvOp");
        assert_eq!(
            response.json()["signature"],
            "87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706"
        );
    }

    #[tokio::test]
    async fn wrong_header_signature_is_rejected() {
        let (webhook, _events, address) = start(v2_builder()).await;
        let fixture = fixture("webhook.validation.request.json");
        let body = field(&fixture, "/body_raw");
        let forged = key("NotTheBotSecret").sign(&V2_TIME.to_string(), body.as_bytes());
        let request = fixture_request()
            .without("X-Signature-Ed25519")
            .header("X-Signature-Ed25519", &forged);

        let response = request.send(address).await;

        assert_eq!(response.status, 403);
        assert!(!response.text().contains("signature\""));
        assert_eq!(webhook.stats().validations, 0);
    }

    #[tokio::test]
    async fn unsigned_is_rejected_when_configured() {
        let builder = v2_builder().unsigned_validation(UnsignedValidation::Reject);
        let (_webhook, _events, address) = start(builder).await;
        let request = fixture_request()
            .without("X-Signature-Ed25519")
            .without("X-Signature-Timestamp");

        assert_eq!(request.send(address).await.status, 401);
        assert_eq!(fixture_request().send(address).await.status, 200);
    }

    #[tokio::test]
    async fn stale_event_ts_is_rejected() {
        let (_webhook, _events, address) = start(v2_builder()).await;
        let body =
            r#"{"d":{"plain_token":"Yk3PqR8vL2mN5tW9xA1c","event_ts":"1600000000"},"op":13}"#;

        let response = RawRequest::post(body)
            .header("X-Bot-Appid", APP_ID)
            .send(address)
            .await;

        assert_eq!(response.status, 403);
    }

    /// The oracle attack: ask for a signature over `event_ts + plain_token` where
    /// `plain_token` is a forged event body, then present it as an event signature.
    #[tokio::test]
    async fn oracle_attack_is_refused() {
        let (webhook, mut events, address) = start(builder()).await;
        let timestamp = unix_now().to_string();
        let forged = dispatch_body("FORGED", "transfer everything");

        // The attack is real: the signature a naive receiver would return is a valid event
        // signature for the forged body.
        let naive = key(SECRET)
            .sign_validation(&ValidationRequest::new(forged.as_str(), timestamp.as_str()));
        assert_eq!(
            key(SECRET).verify(&timestamp, forged.as_bytes(), &naive.signature),
            Ok(())
        );

        let validation =
            serde_json::json!({"op": 13, "d": {"plain_token": forged, "event_ts": timestamp}});
        let response = RawRequest::post(validation.to_string())
            .header("X-Bot-Appid", APP_ID)
            .send(address)
            .await;

        assert_eq!(response.status, 400);
        assert!(!response.text().contains(&naive.signature));
        assert!(!response.text().contains("\"signature\""));
        assert!(events.try_recv().is_none());
        let stats = webhook.stats();
        assert_eq!(stats.unsafe_validation, 1);
        assert_eq!(stats.validations, 0);
        assert_eq!(stats.events, 0);
    }

    /// The same attack with signature headers copied from a genuine request: the header
    /// signature does not cover the new body, so the request is rejected before the rule.
    #[tokio::test]
    async fn signed_oracle_attack_is_refused() {
        let (_webhook, _events, address) = start(v2_builder()).await;
        let forged = dispatch_body("FORGED", "hi");
        let validation = serde_json::json!({"op": 13, "d": {"plain_token": forged, "event_ts": V2_TIME.to_string()}});
        let mut request = fixture_request();
        request.body = validation.to_string().into_bytes();

        let response = request.send(address).await;

        assert_eq!(response.status, 403);
        assert!(!response.text().contains("\"signature\""));
    }

    #[tokio::test]
    async fn json_in_event_ts_is_refused() {
        let (webhook, _events, address) = start(builder().freshness_window(None)).await;
        let forged = dispatch_body("FORGED", "hi");
        let validation = serde_json::json!({"op": 13, "d": {"plain_token": "abc", "event_ts": format!("1767240000{forged}")}});

        let response = RawRequest::post(validation.to_string())
            .header("X-Bot-Appid", APP_ID)
            .send(address)
            .await;

        assert_eq!(response.status, 400);
        assert_eq!(webhook.stats().unsafe_validation, 1);
    }

    /// An accepted validation response signs `event_ts + plain_token`. Presented as an event
    /// signature under every split into timestamp and body, it verifies cryptographically for
    /// one split, yet the body is never an event and the handler is not called.
    #[tokio::test]
    async fn accepted_answer_never_passes_as_an_event() {
        let (webhook, mut events, address) = start(builder().freshness_window(None)).await;
        let event_ts = unix_now().to_string();
        let plain_token = "Yk3PqR8vL2mN5tW9xA1c";
        let validation =
            serde_json::json!({"op": 13, "d": {"plain_token": plain_token, "event_ts": event_ts}});
        let response = RawRequest::post(validation.to_string())
            .header("X-Bot-Appid", APP_ID)
            .send(address)
            .await;
        assert_eq!(response.status, 200);
        let signature = field(&response.json(), "/signature");

        let message = format!("{event_ts}{plain_token}");
        for split in 1..message.len() {
            let (timestamp, body) = message.split_at(split);
            let attempt = RawRequest::post(body)
                .header("X-Bot-Appid", APP_ID)
                .header("X-Signature-Timestamp", timestamp)
                .header("X-Signature-Ed25519", &signature);
            let status = attempt.send(address).await.status;
            assert_ne!(status, 200, "split at {split}");
        }

        assert!(events.try_recv().is_none());
        assert_eq!(webhook.stats().events, 0);
    }
}

#[tokio::test]
async fn server_stops_on_signal() {
    let (webhook, mut events) = builder().build().unwrap();
    let server = qie_webhook::Server::builder("127.0.0.1:0".parse().unwrap())
        .serve(webhook.router(common::PATH).unwrap())
        .await
        .unwrap();
    let address = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    let response = signed_now(&dispatch_body("BEFORE", "hi"))
        .send(address)
        .await;
    assert_eq!(response.status, 200);
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();

    assert!(tokio::net::TcpStream::connect(address).await.is_err());
    assert_eq!(events.try_recv().unwrap().id().unwrap(), "BEFORE");
}
