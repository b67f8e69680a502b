//! Webhook delivery mode against a recording receiver on 127.0.0.1: the op 13 registration,
//! signed deliveries, retries and each fault.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ed25519_dalek::{Signature, Signer as _, SigningKey};
use qie_emulator::control::{Scene, UserMessage};
use qie_emulator::webhook::{AttemptOutcome, WebhookFault, WebhookRegistration, WebhookSettings};
use qie_emulator::{Emulator, EmulatorHandle, ErrorKind};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Captured {
    headers: HeaderMap,
    body: Bytes,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// Returns whether the signature headers verify over the body under the key of `seed`.
    fn signed_by(&self, seed: &[u8; 32]) -> bool {
        let timestamp = self.header("x-signature-timestamp").unwrap_or_default();
        let signature = self.header("x-signature-ed25519").unwrap_or_default();

        verifies(seed, timestamp, &self.body, signature)
    }
}

/// The receiver's responses to dispatches, in order; the last entry repeats.
#[derive(Clone, Debug)]
enum Answer {
    Ack,
    Status(u16),
    RetryRequested,
    Sleep(Duration),
}

/// The receiver's response to validations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValidationAnswer {
    Correct,
    WrongToken,
    WrongSignature,
    ServerError,
}

#[derive(Clone)]
struct Receiver {
    seed: [u8; 32],
    requests: Arc<Mutex<Vec<Captured>>>,
    answers: Arc<Mutex<Vec<Answer>>>,
    validation: ValidationAnswer,
}

fn seed(secret: &str) -> [u8; 32] {
    let mut seed = [0u8; 32];
    for (byte, source) in seed.iter_mut().zip(secret.as_bytes().iter().cycle()) {
        *byte = *source;
    }

    seed
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;

    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

fn verifies(seed: &[u8; 32], timestamp: &str, body: &[u8], signature_hex: &str) -> bool {
    let Ok(bytes) = (0..64)
        .map(|index| {
            u8::from_str_radix(
                signature_hex.get(index * 2..index * 2 + 2).unwrap_or("zz"),
                16,
            )
        })
        .collect::<Result<Vec<u8>, _>>()
    else {
        return false;
    };
    let signature = Signature::from_bytes(&bytes.try_into().unwrap());
    let message = [timestamp.as_bytes(), body].concat();

    SigningKey::from_bytes(seed)
        .verifying_key()
        .verify_strict(&message, &signature)
        .is_ok()
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> Response {
    let captured = Captured { headers, body };
    let value: Value = serde_json::from_slice(&captured.body).unwrap_or(Value::Null);
    receiver.requests.lock().unwrap().push(captured);

    if value["op"] == 13 {
        let token = value["d"]["plain_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let event_ts = value["d"]["event_ts"].as_str().unwrap_or_default();
        let key = SigningKey::from_bytes(&receiver.seed);
        let mut signature = hex(&key.sign(format!("{event_ts}{token}").as_bytes()).to_bytes());
        let mut echoed = token.clone();
        match receiver.validation {
            ValidationAnswer::Correct => {}
            ValidationAnswer::WrongToken => echoed.push('x'),
            ValidationAnswer::WrongSignature => signature = hex(&key.sign(b"other").to_bytes()),
            ValidationAnswer::ServerError => {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
        let answer = serde_json::json!({"plain_token": echoed, "signature": signature});
        return ([("content-type", "application/json")], answer.to_string()).into_response();
    }

    let answer = {
        let mut answers = receiver.answers.lock().unwrap();
        if answers.len() > 1 {
            answers.remove(0)
        } else {
            answers[0].clone()
        }
    };
    match answer {
        Answer::Ack => r#"{"op":12,"d":0}"#.into_response(),
        Answer::RetryRequested => r#"{"op":12,"d":1}"#.into_response(),
        Answer::Status(status) => StatusCode::from_u16(status).unwrap().into_response(),
        Answer::Sleep(pause) => {
            tokio::time::sleep(pause).await;
            r#"{"op":12,"d":0}"#.into_response()
        }
    }
}

/// Starts a recording receiver for the emulator's first bot; returns it and its URL.
async fn start_receiver(
    emulator: &EmulatorHandle,
    answers: Vec<Answer>,
    validation: ValidationAnswer,
) -> (Receiver, String) {
    let receiver = Receiver {
        seed: seed(&emulator.bot().secret),
        requests: Arc::default(),
        answers: Arc::new(Mutex::new(answers)),
        validation,
    };
    let app = Router::new()
        .route("/qq/webhook", axum::routing::post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/qq/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    (receiver, url)
}

fn fast_settings() -> WebhookSettings {
    let mut settings = WebhookSettings::default();
    settings.response_timeout = Duration::from_millis(500);
    settings.retries = 2;
    settings.backoff = vec![Duration::from_millis(10)];
    settings.max_in_flight = 1;
    settings
}

async fn registered(answers: Vec<Answer>) -> (EmulatorHandle, Receiver) {
    let emulator = Emulator::builder().start().await.unwrap();
    let (receiver, url) = start_receiver(&emulator, answers, ValidationAnswer::Correct).await;
    emulator
        .register_webhook(WebhookRegistration::new(url).settings(fast_settings()))
        .await
        .unwrap();
    receiver.requests.lock().unwrap().clear();

    (emulator, receiver)
}

/// Injects a C2C message from the first user of the world; returns the event id.
fn inject(emulator: &EmulatorHandle, content: &str) -> String {
    let world = emulator.world();
    let user = &world.users[0];
    let message = UserMessage::new(Scene::C2c, user.id.clone(), content);

    emulator.inject_message(&message).unwrap().event_ids[0].clone()
}

fn requests(receiver: &Receiver) -> Vec<Captured> {
    receiver.requests.lock().unwrap().clone()
}

#[tokio::test]
async fn registration_sends_a_signed_validation() {
    let emulator = Emulator::builder().start().await.unwrap();
    let (receiver, url) =
        start_receiver(&emulator, vec![Answer::Ack], ValidationAnswer::Correct).await;

    let info = emulator
        .register_webhook(WebhookRegistration::new(url.clone()))
        .await
        .unwrap();

    let bot = emulator.bot();
    assert_eq!(info.app_id, bot.app_id);
    assert_eq!(info.url, url);
    assert_eq!(
        info.public_key,
        hex(SigningKey::from_bytes(&seed(&bot.secret))
            .verifying_key()
            .as_bytes())
    );
    let requests = requests(&receiver);
    assert_eq!(requests.len(), 1);
    let validation = &requests[0];
    let body = validation.json();
    assert_eq!(body["op"], 13);
    let token = body["d"]["plain_token"].as_str().unwrap();
    assert_eq!(token.len(), 20);
    assert!(token.bytes().all(|byte| byte.is_ascii_alphanumeric()));
    assert_eq!(token, info.validated_with);
    let event_ts = body["d"]["event_ts"].as_str().unwrap();
    assert_eq!(validation.header("x-signature-timestamp"), Some(event_ts));
    assert_eq!(validation.header("user-agent"), Some("QQBot-Callback"));
    assert_eq!(validation.header("x-bot-appid"), Some(bot.app_id.as_str()));
    let signature = validation.header("x-signature-ed25519").unwrap();
    assert!(verifies(
        &receiver.seed,
        event_ts,
        &validation.body,
        signature
    ));
    assert_eq!(emulator.webhooks(), vec![info]);
}

#[tokio::test]
async fn registration_can_skip_validation_signature() {
    let emulator = Emulator::builder().start().await.unwrap();
    let (receiver, url) =
        start_receiver(&emulator, vec![Answer::Ack], ValidationAnswer::Correct).await;
    let mut settings = WebhookSettings::default();
    settings.sign_validation = false;

    emulator
        .register_webhook(WebhookRegistration::new(url).settings(settings))
        .await
        .unwrap();

    let requests = requests(&receiver);
    assert!(requests[0].header("x-signature-ed25519").is_none());
    assert!(requests[0].header("x-signature-timestamp").is_none());
}

#[tokio::test]
async fn registration_rejects_bad_validation_answers() {
    for answer in [
        ValidationAnswer::WrongToken,
        ValidationAnswer::WrongSignature,
        ValidationAnswer::ServerError,
    ] {
        let emulator = Emulator::builder().start().await.unwrap();
        let (_receiver, url) = start_receiver(&emulator, vec![Answer::Ack], answer).await;

        let error = emulator
            .register_webhook(WebhookRegistration::new(url))
            .await
            .unwrap_err();

        assert_eq!(error.kind(), &ErrorKind::InvalidRequest, "{answer:?}");
        assert!(
            error.to_string().contains("callback validation"),
            "{answer:?}: {error}"
        );
        assert!(emulator.webhooks().is_empty(), "{answer:?}");
    }
}

#[tokio::test]
async fn registration_checks_urls() {
    let emulator = Emulator::builder().start().await.unwrap();
    let mut strict = WebhookSettings::default();
    strict.platform_ports_only = true;

    let port = emulator
        .register_webhook(WebhookRegistration::new("http://127.0.0.1:9/qq").settings(strict))
        .await
        .unwrap_err();
    let scheme = emulator
        .register_webhook(WebhookRegistration::new("ftp://127.0.0.1/"))
        .await
        .unwrap_err();
    let https = emulator
        .register_webhook(WebhookRegistration::new("https://127.0.0.1:8443/"))
        .await
        .unwrap_err();
    let bot = emulator
        .register_webhook(WebhookRegistration::new("http://127.0.0.1/").app_id("999"))
        .await
        .unwrap_err();

    assert!(port.to_string().contains("port 9"), "{port}");
    assert!(scheme.to_string().contains("http://"), "{scheme}");
    assert!(https.to_string().contains("ca_certificate"), "{https}");
    assert_eq!(bot.kind(), &ErrorKind::NotFound);
}

#[tokio::test]
async fn deliveries_are_signed_over_the_raw_body() {
    let (emulator, receiver) = registered(vec![Answer::Ack]).await;

    let event_id = inject(&emulator, "a <b> & c");
    let deliveries = emulator
        .wait_for_webhook_deliveries(None, 1, Duration::from_secs(5))
        .await
        .unwrap();

    assert!(deliveries[0].acknowledged);
    assert_eq!(deliveries[0].event_id, event_id);
    assert_eq!(deliveries[0].attempts.len(), 1);
    let request = &requests(&receiver)[0];
    assert!(request.signed_by(&receiver.seed));
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    assert_eq!(request.header("x-signature-method"), Some("Ed25519"));
    assert_eq!(request.header("x-tps-trace-id").map(str::len), Some(32));
    let text = String::from_utf8(request.body.to_vec()).unwrap();
    assert!(text.starts_with(r#"{"op":0,"id":""#), "{text}");
    assert!(text.contains(r"a \u003cb\u003e \u0026 c"), "{text}");
    let body = request.json();
    assert_eq!(body["id"], event_id.as_str());
    assert_eq!(body["t"], "C2C_MESSAGE_CREATE");
    assert_eq!(body["d"]["content"], "a <b> & c");
}

#[tokio::test]
async fn failed_attempts_are_retried_with_the_same_body() {
    let answers = vec![Answer::Status(500), Answer::RetryRequested, Answer::Ack];
    let (emulator, receiver) = registered(answers).await;

    inject(&emulator, "retry me");
    let deliveries = emulator
        .wait_for_webhook_deliveries(None, 1, Duration::from_secs(5))
        .await
        .unwrap();

    let outcomes: Vec<AttemptOutcome> = deliveries[0]
        .attempts
        .iter()
        .map(|attempt| attempt.outcome)
        .collect();
    assert_eq!(
        outcomes,
        [
            AttemptOutcome::Rejected,
            AttemptOutcome::RetryRequested,
            AttemptOutcome::Acknowledged
        ]
    );
    assert!(deliveries[0].acknowledged);
    let requests = requests(&receiver);
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.body, requests[0].body);
        assert!(request.signed_by(&receiver.seed));
    }
}

#[tokio::test]
async fn slow_receiver_times_out_and_gives_up() {
    let (emulator, receiver) = registered(vec![Answer::Sleep(Duration::from_secs(2))]).await;

    inject(&emulator, "too slow");
    let deliveries = emulator
        .wait_for_webhook_deliveries(None, 1, Duration::from_secs(10))
        .await
        .unwrap();

    assert!(!deliveries[0].acknowledged);
    assert_eq!(deliveries[0].attempts.len(), 3);
    for attempt in &deliveries[0].attempts {
        assert_eq!(attempt.outcome, AttemptOutcome::Failed);
        assert_eq!(attempt.status, None);
        assert!(
            attempt.detail.contains("no response within 500 ms"),
            "{}",
            attempt.detail
        );
    }
    assert_eq!(requests(&receiver).len(), 3);
}

#[tokio::test]
async fn event_filter_limits_deliveries() {
    let emulator = Emulator::builder().start().await.unwrap();
    let (receiver, url) =
        start_receiver(&emulator, vec![Answer::Ack], ValidationAnswer::Correct).await;
    let registration = WebhookRegistration::new(url)
        .events(["GROUP_AT_MESSAGE_CREATE"])
        .settings(fast_settings());
    emulator.register_webhook(registration).await.unwrap();

    inject(&emulator, "not subscribed");
    tokio::time::sleep(Duration::from_millis(200)).await;

    assert_eq!(requests(&receiver).len(), 1, "only the validation");
    assert!(emulator.webhook_deliveries(None).is_empty());
}

/// Arms `fault`, delivers one event, and returns the requests and the attempts.
async fn with_fault(
    fault: WebhookFault,
    answers: Vec<Answer>,
) -> (Receiver, qie_emulator::webhook::WebhookDelivery) {
    let (emulator, receiver) = registered(answers).await;
    emulator.arm_webhook_fault(None, fault, 1).unwrap();

    inject(&emulator, "fault");
    let mut deliveries = emulator
        .wait_for_webhook_deliveries(None, 1, Duration::from_secs(5))
        .await
        .unwrap();

    (receiver, deliveries.remove(0))
}

#[tokio::test]
async fn tampered_body_fault_breaks_the_signature() {
    let (receiver, delivery) = with_fault(
        WebhookFault::TamperedBody,
        vec![Answer::Status(403), Answer::Ack],
    )
    .await;
    let requests = requests(&receiver);

    assert_eq!(delivery.attempts[0].fault, Some(WebhookFault::TamperedBody));
    assert_eq!(delivery.attempts[1].fault, None);
    assert!(delivery.acknowledged);
    let (forged, genuine) = (&requests[0], &requests[1]);
    assert_eq!(forged.json()["d"]["tampered"], true);
    assert!(!forged.signed_by(&receiver.seed));
    assert!(genuine.signed_by(&receiver.seed));
    assert!(genuine.json()["d"].get("tampered").is_none());
}

#[tokio::test]
async fn wrong_signature_fault_uses_another_key() {
    let (receiver, delivery) = with_fault(
        WebhookFault::WrongSignature,
        vec![Answer::Status(403), Answer::Ack],
    )
    .await;
    let forged = &requests(&receiver)[0];

    assert_eq!(delivery.attempts[0].outcome, AttemptOutcome::Rejected);
    assert_eq!(
        forged.header("x-signature-ed25519").map(str::len),
        Some(128)
    );
    assert!(!forged.signed_by(&receiver.seed));
}

#[tokio::test]
async fn old_timestamp_fault_is_signed_but_stale() {
    let (receiver, delivery) = with_fault(
        WebhookFault::OldTimestamp,
        vec![Answer::Status(403), Answer::Ack],
    )
    .await;
    let requests = requests(&receiver);
    let stale: i64 = requests[0]
        .header("x-signature-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let fresh: i64 = requests[1]
        .header("x-signature-timestamp")
        .unwrap()
        .parse()
        .unwrap();

    assert!(fresh - stale >= 3600 - 5, "stale {stale}, fresh {fresh}");
    assert!(verifies(
        &receiver.seed,
        &stale.to_string(),
        &requests[0].body,
        requests[0].header("x-signature-ed25519").unwrap()
    ));
    assert!(delivery.acknowledged);
}

#[tokio::test]
async fn replay_fault_resends_the_same_request() {
    let (receiver, delivery) = with_fault(WebhookFault::Replay, vec![Answer::Ack]).await;
    let requests = requests(&receiver);

    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    for name in [
        "x-signature-timestamp",
        "x-signature-ed25519",
        "x-tps-trace-id",
    ] {
        assert_eq!(requests[0].header(name), requests[1].header(name), "{name}");
    }
    assert_eq!(delivery.attempts[1].fault, Some(WebhookFault::Replay));
}

#[tokio::test]
async fn chunked_fault_omits_content_length() {
    let (receiver, delivery) = with_fault(WebhookFault::Chunked, vec![Answer::Ack]).await;
    let request = &requests(&receiver)[0];

    assert!(request.header("content-length").is_none());
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    assert!(request.signed_by(&receiver.seed));
    assert_eq!(delivery.attempts.len(), 1);
}

/// Sends one HTTP/1.1 request to the emulator and returns the status and JSON body.
async fn control_call(
    emulator: &EmulatorHandle,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .unwrap();
    let request = format!(
        "{method} /_emulator{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8(response).unwrap();
    let status = text[9..12].parse().unwrap();
    let (_, body) = text.split_once("\r\n\r\n").unwrap();

    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn control_api_registers_and_reports() {
    let emulator = Emulator::builder().start().await.unwrap();
    let (_receiver, url) =
        start_receiver(&emulator, vec![Answer::Ack], ValidationAnswer::Correct).await;
    let registration =
        serde_json::json!({"url": url, "settings": {"retries": 0, "backoff_ms": [10]}});

    let (status, info) =
        control_call(&emulator, "POST", "/webhook", &registration.to_string()).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["url"], url.as_str());

    let (status, armed) = control_call(
        &emulator,
        "POST",
        "/webhook/faults",
        r#"{"fault":"replay"}"#,
    )
    .await;
    assert_eq!(status, 200, "{armed}");
    inject(&emulator, "over http");
    let (status, deliveries) = control_call(
        &emulator,
        "GET",
        "/webhook/deliveries/wait?count=1&timeout_ms=5000",
        "",
    )
    .await;
    assert_eq!(status, 200, "{deliveries}");
    assert_eq!(deliveries[0]["acknowledged"], true);
    assert_eq!(deliveries[0]["attempts"][1]["fault"], "replay");

    let (status, list) = control_call(&emulator, "GET", "/webhook", "").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let (status, removed) = control_call(&emulator, "DELETE", "/webhook", "").await;
    assert_eq!(status, 200);
    assert_eq!(removed["removed"], true);

    let (status, error) =
        control_call(&emulator, "POST", "/webhook", r#"{"url":"ftp://x/"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(error["kind"], "invalid_request");
    let (status, error) = control_call(
        &emulator,
        "POST",
        "/webhook/faults",
        r#"{"fault":"unknown"}"#,
    )
    .await;
    assert_eq!(status, 400, "{error}");
}

#[tokio::test]
async fn single_worker_keeps_order() {
    let (emulator, receiver) = registered(vec![Answer::Ack]).await;

    for index in 0..6 {
        inject(&emulator, &format!("message {index}"));
    }
    emulator
        .wait_for_webhook_deliveries(None, 6, Duration::from_secs(5))
        .await
        .unwrap();

    let contents: Vec<String> = requests(&receiver)
        .iter()
        .map(|request| request.json()["d"]["content"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..6).map(|index| format!("message {index}")).collect();
    assert_eq!(contents, expected);
}

#[tokio::test]
async fn unregistered_bot_gets_nothing() {
    let (emulator, receiver) = registered(vec![Answer::Ack]).await;

    assert!(emulator.unregister_webhook(None).unwrap());
    inject(&emulator, "after removal");
    tokio::time::sleep(Duration::from_millis(200)).await;

    assert!(requests(&receiver).is_empty());
    assert!(emulator.webhooks().is_empty());
    assert!(!emulator.unregister_webhook(None).unwrap());
}
