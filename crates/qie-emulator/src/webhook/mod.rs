//! Webhook delivery mode: the platform side of HTTP callbacks.
//!
//! A bot registers a callback URL with [`Control::register_webhook`](crate::Control::register_webhook)
//! (or `POST /_emulator/webhook`), and the emulator validates it as the platform's console does.
//! It sends an op 13 request with a fresh 20-character `plain_token` and `event_ts`, signed like a
//! dispatch unless [`WebhookSettings::sign_validation`] is off. It accepts the URL only if the
//! response is 200 JSON echoing `plain_token` with a `signature` that verifies under the bot's
//! public key. From then on every dispatch of that bot (optionally only the listed event types)
//! is serialized once as `{"op":0,"id",…,"d",…,"t",…}`, signed over `X-Signature-Timestamp` and
//! the body, and POSTed with the platform's headers.
//!
//! A delivery succeeds on any 2xx response except one whose body is `{"op":12,"d":1}`. Any other
//! result (non-2xx, `d` 1, no response within the timeout, connection failure) is retried with
//! the same body and event id, a fresh timestamp and signature, after the configured backoff.
//! Third parties observed the platform retry up to 3 times with the same `id`, which is the
//! default here. The platform's timeout and retry spacing are undocumented, so the defaults of
//! 5 s and 1 s / 2 s / 4 s are the emulator's choice.
//!
//! Faults armed with [`Control::arm_webhook_fault`](crate::Control::arm_webhook_fault) change the
//! first attempt of the next deliveries (see [`WebhookFault`]); retries are genuine, so a
//! receiver that rejects the faulty attempt still gets the event once.

mod client;
mod control;
mod signing;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Notify, mpsc};

use self::client::{Outgoing, Reply, Target};
pub(crate) use self::control::router;
use self::signing::BotKey;
use crate::clock::unix_now;
use crate::gateway::{DeliverySink, DispatchFrame, escape_html};
use crate::ids::IdGen;

/// Number of finished deliveries kept for inspection.
const DELIVERY_LOG: usize = 1000;

/// Delivery settings of a webhook registration.
///
/// In JSON (control API) durations are integer milliseconds: `response_timeout_ms`,
/// `backoff_ms`, `stale_by_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct WebhookSettings {
    /// Time allowed for the callback's response; default 5 s.
    #[serde(rename = "response_timeout_ms", with = "millis")]
    pub response_timeout: Duration,
    /// Retries after a failed attempt; default 3.
    pub retries: u32,
    /// Pause before each retry; the last entry repeats. Default 1 s, 2 s, 4 s.
    #[serde(rename = "backoff_ms", with = "millis_list")]
    pub backoff: Vec<Duration>,
    /// Signs validation requests like dispatches (header timestamp = `event_ts`); default on.
    /// The platform's docs show validation requests without signature headers.
    pub sign_validation: bool,
    /// Rejects callback URLs whose port is not 80, 443, 8080 or 8443, as the platform does.
    /// It is off by default, so tests can use any local port.
    pub platform_ports_only: bool,
    /// Delivery workers of one bot, each sending one event at a time, retries included; default
    /// 8. Events start in order, and with 1 worker they also finish in order.
    pub max_in_flight: usize,
    /// Age of the timestamp sent by the [`WebhookFault::OldTimestamp`] fault; default 1 hour.
    #[serde(rename = "stale_by_ms", with = "millis")]
    pub stale_by: Duration,
    /// PEM certificates trusted for `https://` callbacks (for example a test CA). Without it
    /// only `http://` callbacks can be reached.
    pub ca_certificate: Option<String>,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            response_timeout: Duration::from_secs(5),
            retries: 3,
            backoff: vec![
                Duration::from_secs(1),
                Duration::from_secs(2),
                Duration::from_secs(4),
            ],
            sign_validation: true,
            platform_ports_only: false,
            max_in_flight: 8,
            stale_by: Duration::from_secs(3600),
            ca_certificate: None,
        }
    }
}

/// A callback URL to register for a bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookRegistration {
    /// The bot; default the first bot of the world.
    #[serde(default)]
    pub app_id: Option<String>,
    /// `http://` or `https://` URL, for example `http://127.0.0.1:8080/qq/webhook`.
    pub url: String,
    /// Event types to deliver (`t` values); `None` delivers every event.
    #[serde(default)]
    pub events: Option<Vec<String>>,
    /// Delivery settings; `None` uses the emulator's defaults.
    #[serde(default)]
    pub settings: Option<WebhookSettings>,
}

impl WebhookRegistration {
    /// Registers `url` for the first bot, for every event, with the default settings.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            app_id: None,
            url: url.into(),
            events: None,
            settings: None,
        }
    }

    /// Selects the bot.
    #[must_use]
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Delivers only these event types.
    #[must_use]
    pub fn events<I, S>(mut self, events: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.events = Some(events.into_iter().map(Into::into).collect());
        self
    }

    /// Uses these delivery settings.
    #[must_use]
    pub fn settings(mut self, settings: WebhookSettings) -> Self {
        self.settings = Some(settings);
        self
    }
}

/// A registered callback, as reported by the control API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookInfo {
    /// The bot.
    pub app_id: String,
    /// The callback URL.
    pub url: String,
    /// Delivered event types; `None` for every event.
    pub events: Option<Vec<String>>,
    /// The bot's Ed25519 public key, lowercase hex.
    pub public_key: String,
    /// The `plain_token` of the validation the URL passed.
    pub validated_with: String,
}

/// A change to the first attempt of a delivery, to test a receiver's defences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WebhookFault {
    /// The body is changed after signing (a `"tampered":true` member is added to `d`).
    TamperedBody,
    /// The signature is valid Ed25519 but made with a key that is not the bot's.
    WrongSignature,
    /// The timestamp is [`WebhookSettings::stale_by`] in the past, correctly signed.
    OldTimestamp,
    /// After the delivery, the exact same request (same timestamp, signature and body) is sent
    /// again.
    Replay,
    /// The body is sent with `Transfer-Encoding: chunked` and no `Content-Length`, correctly
    /// signed. A receiver must accept it.
    Chunked,
}

/// The result of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// A 2xx response: the event is delivered.
    Acknowledged,
    /// A 2xx response with `{"op":12,"d":1}`: the receiver asked for a retry.
    RetryRequested,
    /// A non-2xx response.
    Rejected,
    /// No response: connection failure, TLS failure or timeout.
    Failed,
}

/// One HTTP attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookAttempt {
    /// The fault applied to this attempt.
    pub fault: Option<WebhookFault>,
    /// `X-Signature-Timestamp` sent.
    pub timestamp: String,
    /// The response status, when there was a response.
    pub status: Option<u16>,
    /// The result of the attempt.
    pub outcome: AttemptOutcome,
    /// The response body (up to 256 bytes, lossy UTF-8), or the failure.
    pub detail: String,
}

/// A finished delivery of one event to one callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The bot.
    pub app_id: String,
    /// The top-level `id` of the event.
    pub event_id: String,
    /// The event type.
    pub t: String,
    /// Whether an attempt other than a replay was acknowledged.
    pub acknowledged: bool,
    /// Every attempt, in order.
    pub attempts: Vec<WebhookAttempt>,
}

/// A registered callback with what its deliveries need.
struct Registration {
    app_id: String,
    target: Target,
    events: Option<BTreeSet<String>>,
    key: BotKey,
    settings: WebhookSettings,
    tls: Option<tokio_rustls::TlsConnector>,
    /// Queue of the delivery workers. The workers stop once the registration is replaced or
    /// removed and its queued jobs are done, because the jobs hold the last references to it.
    queue: mpsc::UnboundedSender<Job>,
    validated_with: String,
}

/// One event waiting for a delivery worker.
struct Job {
    registration: Arc<Registration>,
    body: Bytes,
    fault: Option<WebhookFault>,
    event_id: String,
    t: String,
}

impl Registration {
    fn info(&self) -> WebhookInfo {
        WebhookInfo {
            app_id: self.app_id.clone(),
            url: self.target.url.clone(),
            events: self
                .events
                .as_ref()
                .map(|events| events.iter().cloned().collect()),
            public_key: self.key.public_key_hex(),
            validated_with: self.validated_with.clone(),
        }
    }
}

#[derive(Default)]
struct HubState {
    registrations: HashMap<String, Arc<Registration>>,
    faults: HashMap<String, VecDeque<WebhookFault>>,
    deliveries: VecDeque<WebhookDelivery>,
}

struct HubInner {
    defaults: WebhookSettings,
    state: Mutex<HubState>,
    ids: Mutex<IdGen>,
    /// Woken whenever a delivery finishes.
    finished: Notify,
}

/// Webhook registrations and deliveries of one emulator; the delivery sink of every dispatch.
#[derive(Clone)]
pub(crate) struct WebhookHub {
    inner: Arc<HubInner>,
}

impl std::fmt::Debug for WebhookHub {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("WebhookHub")
            .field("defaults", &self.inner.defaults)
            .finish_non_exhaustive()
    }
}

impl WebhookHub {
    /// Creates a hub; `seed` makes its plain tokens and trace ids reproducible.
    pub(crate) fn new(defaults: WebhookSettings, seed: u64) -> Self {
        Self {
            inner: Arc::new(HubInner {
                defaults,
                state: Mutex::new(HubState::default()),
                ids: Mutex::new(IdGen::new(seed ^ 0x7765_6268_6F6F_6B00)),
                finished: Notify::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, HubState> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn ids(&self) -> MutexGuard<'_, IdGen> {
        self.inner
            .ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts `count` workers that take jobs from `jobs` in order and deliver them.
    fn start_workers(&self, jobs: mpsc::UnboundedReceiver<Job>, count: usize) {
        let jobs = Arc::new(tokio::sync::Mutex::new(jobs));
        for _ in 0..count.max(1) {
            let hub = self.clone();
            let jobs = Arc::clone(&jobs);
            tokio::spawn(async move {
                loop {
                    let job = jobs.lock().await.recv().await;
                    let Some(job) = job else {
                        break;
                    };
                    let delivery = hub.run_delivery(job).await;
                    hub.finish(delivery);
                }
            });
        }
    }
}

impl DeliverySink for WebhookHub {
    fn deliver(&self, app_id: &str, frame: &DispatchFrame) -> bool {
        let (registration, fault) = {
            let mut state = self.state();
            let Some(registration) = state.registrations.get(app_id).cloned() else {
                return false;
            };
            if registration
                .events
                .as_ref()
                .is_some_and(|events| !events.contains(&frame.t))
            {
                return false;
            }
            let fault = state.faults.get_mut(app_id).and_then(VecDeque::pop_front);
            (registration, fault)
        };

        let job = Job {
            registration: Arc::clone(&registration),
            body: Bytes::from(envelope(frame)),
            fault,
            event_id: frame.id.clone(),
            t: frame.t.clone(),
        };
        if registration.queue.send(job).is_err() {
            tracing::warn!(app_id, event_id = %frame.id, "webhook delivery skipped: the delivery workers stopped");
            return false;
        }

        true
    }
}

impl WebhookHub {
    /// Sends one event with retries and returns the record.
    async fn run_delivery(&self, job: Job) -> WebhookDelivery {
        let Job {
            registration,
            body,
            fault,
            event_id,
            t,
        } = job;
        let registration = registration.as_ref();
        let settings = &registration.settings;
        let mut attempts = Vec::new();
        let mut acknowledged = false;
        let mut last_sent = None;

        for attempt in 0..=settings.retries {
            if attempt > 0 {
                let index = usize::try_from(attempt - 1).unwrap_or(usize::MAX);
                let pause = settings
                    .backoff
                    .get(index)
                    .or(settings.backoff.last())
                    .copied()
                    .unwrap_or_default();
                tokio::time::sleep(pause).await;
            }

            // Faults change the first attempt only; a replay is a genuine attempt sent twice.
            let applied = fault.filter(|fault| attempt == 0 && *fault != WebhookFault::Replay);
            let (outgoing, timestamp) = self.build_request(registration, &body, applied);
            let record = send_attempt(registration, &outgoing, applied, timestamp).await;
            tracing::debug!(
                app_id = registration.app_id,
                event_id,
                attempt,
                fault = ?applied,
                outcome = ?record.outcome,
                status = record.status,
                "webhook delivery attempt"
            );
            let success = record.outcome == AttemptOutcome::Acknowledged;
            attempts.push(record);
            last_sent = Some(outgoing);
            if success {
                acknowledged = true;
                break;
            }
        }

        if fault == Some(WebhookFault::Replay)
            && let Some(outgoing) = last_sent
        {
            let timestamp = outgoing
                .headers
                .iter()
                .find(|(name, _)| *name == "X-Signature-Timestamp")
                .map(|(_, value)| value.clone())
                .unwrap_or_default();
            attempts.push(
                send_attempt(
                    registration,
                    &outgoing,
                    Some(WebhookFault::Replay),
                    timestamp,
                )
                .await,
            );
        }

        if acknowledged {
            tracing::debug!(
                app_id = registration.app_id,
                event_id,
                t,
                "webhook event delivered"
            );
        } else {
            tracing::warn!(
                app_id = registration.app_id,
                event_id,
                t,
                attempts = attempts.len(),
                url = registration.target.url,
                "webhook delivery failed after every retry"
            );
        }

        WebhookDelivery {
            app_id: registration.app_id.clone(),
            event_id,
            t,
            acknowledged,
            attempts,
        }
    }

    /// Builds the headers and body of one attempt; returns them with the timestamp sent.
    fn build_request(
        &self,
        registration: &Registration,
        body: &Bytes,
        fault: Option<WebhookFault>,
    ) -> (Outgoing, String) {
        let now = unix_now();
        let timestamp = match fault {
            Some(WebhookFault::OldTimestamp) => {
                let stale_by =
                    i64::try_from(registration.settings.stale_by.as_secs()).unwrap_or(i64::MAX);
                now.saturating_sub(stale_by).max(0).to_string()
            }
            _ => now.to_string(),
        };
        let signature = match fault {
            Some(WebhookFault::WrongSignature) => {
                wrong_key(&registration.key).sign(&timestamp, body)
            }
            _ => registration.key.sign(&timestamp, body),
        };
        let sent_body = match fault {
            Some(WebhookFault::TamperedBody) => tamper(body),
            _ => body.clone(),
        };
        let trace_id = self.ids().hex_lower(32);

        let outgoing = Outgoing {
            headers: signed_headers(&registration.app_id, &timestamp, signature, trace_id),
            body: sent_body,
            chunked: fault == Some(WebhookFault::Chunked),
        };

        (outgoing, timestamp)
    }

    fn finish(&self, delivery: WebhookDelivery) {
        let mut state = self.state();
        if state.deliveries.len() >= DELIVERY_LOG {
            state.deliveries.pop_front();
        }
        state.deliveries.push_back(delivery);
        drop(state);

        self.inner.finished.notify_waiters();
    }
}

/// The platform's request headers, in the order of captured requests.
fn signed_headers(
    app_id: &str,
    timestamp: &str,
    signature: String,
    trace_id: String,
) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", "application/json".to_owned()),
        ("User-Agent", "QQBot-Callback".to_owned()),
        ("X-Bot-Appid", app_id.to_owned()),
        ("X-Signature-Method", "Ed25519".to_owned()),
        ("X-Signature-Timestamp", timestamp.to_owned()),
        ("X-Signature-Ed25519", signature),
        ("X-Tps-trace-ID", trace_id),
    ]
}

/// Sends one attempt and classifies its result.
async fn send_attempt(
    registration: &Registration,
    outgoing: &Outgoing,
    fault: Option<WebhookFault>,
    timestamp: String,
) -> WebhookAttempt {
    let result = client::send(
        &registration.target,
        registration.tls.as_ref(),
        outgoing,
        registration.settings.response_timeout,
    )
    .await;

    let (status, outcome, detail) = match result {
        Ok(Reply { status, body }) => (Some(status), classify(status, &body), excerpt(&body)),
        Err(failure) => (None, AttemptOutcome::Failed, failure),
    };

    WebhookAttempt {
        fault,
        timestamp,
        status,
        outcome,
        detail,
    }
}

/// Reads a response: 2xx is success unless the body is an op 12 with `d` 1.
fn classify(status: u16, body: &[u8]) -> AttemptOutcome {
    if !(200..300).contains(&status) {
        return AttemptOutcome::Rejected;
    }

    let retry_requested = serde_json::from_slice::<Value>(body).is_ok_and(|value| {
        value.get("op").and_then(Value::as_u64) == Some(12)
            && value.get("d").and_then(Value::as_u64) == Some(1)
    });
    if retry_requested {
        AttemptOutcome::RetryRequested
    } else {
        AttemptOutcome::Acknowledged
    }
}

fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(256)]).into_owned()
}

/// Serializes a dispatch once, as the platform does: `op`, `id`, `d`, `t`, with `<`, `>`, `&`
/// escaped as `\u003c`, `\u003e`, `\u0026`.
fn envelope(frame: &DispatchFrame) -> String {
    let id = Value::String(frame.id.clone());
    let t = Value::String(frame.t.clone());

    escape_html(&format!(r#"{{"op":0,"id":{id},"d":{},"t":{t}}}"#, frame.d))
}

/// Adds a `"tampered":true` member to `d`, keeping the body valid JSON.
fn tamper(body: &Bytes) -> Bytes {
    let text = String::from_utf8_lossy(body);
    let tampered = match text.find(r#""d":{"#) {
        Some(position) => {
            let insert_at = position + r#""d":{"#.len();
            let separator = if text[insert_at..].starts_with('}') {
                ""
            } else {
                ","
            };
            format!(
                r#"{}"tampered":true{separator}{}"#,
                &text[..insert_at],
                &text[insert_at..]
            )
        }
        None => format!("{text} "),
    };

    Bytes::from(tampered)
}

/// A key that is not the bot's: derived from the bot's public key, so it differs for each bot.
fn wrong_key(key: &BotKey) -> BotKey {
    BotKey::from_secret(&format!("wrong-{}", key.public_key_hex())).unwrap_or_else(|| key.clone())
}

/// Serde helpers: a `Duration` as integer milliseconds.
mod millis {
    use std::time::Duration;

    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        duration: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_millis)
    }
}

/// Serde helpers: a list of `Duration`s as integer milliseconds.
mod millis_list {
    use std::time::Duration;

    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        durations: &[Duration],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            durations
                .iter()
                .map(|duration| u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)),
        )
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Duration>, D::Error> {
        Vec::<u64>::deserialize(deserializer)
            .map(|list| list.into_iter().map(Duration::from_millis).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(d: Value) -> DispatchFrame {
        DispatchFrame {
            t: "C2C_MESSAGE_CREATE".to_owned(),
            id: "C2C_MESSAGE_CREATE:1".to_owned(),
            d,
        }
    }

    #[test]
    fn envelope_escapes_like_the_platform() {
        let body = envelope(&frame(serde_json::json!({"content": "<b>&"})));

        assert_eq!(
            body,
            r#"{"op":0,"id":"C2C_MESSAGE_CREATE:1","d":{"content":"\u003cb\u003e\u0026"},"t":"C2C_MESSAGE_CREATE"}"#
        );
    }

    #[test]
    fn tamper_keeps_valid_json() {
        for d in [serde_json::json!({}), serde_json::json!({"content": "hi"})] {
            let body = Bytes::from(envelope(&frame(d)));
            let tampered = tamper(&body);

            assert_ne!(tampered, body);
            let value: Value = serde_json::from_slice(&tampered).unwrap();
            assert_eq!(value["d"]["tampered"], true);
        }
    }

    #[test]
    fn classify_reads_retry_requests() {
        assert_eq!(
            classify(200, br#"{"op":12,"d":0}"#),
            AttemptOutcome::Acknowledged
        );
        assert_eq!(classify(204, b""), AttemptOutcome::Acknowledged);
        assert_eq!(
            classify(200, br#"{"op":12,"d":1}"#),
            AttemptOutcome::RetryRequested
        );
        assert_eq!(
            classify(503, br#"{"op":12,"d":1}"#),
            AttemptOutcome::Rejected
        );
        assert_eq!(
            classify(403, b"invalid signature"),
            AttemptOutcome::Rejected
        );
    }

    #[test]
    fn settings_read_milliseconds() {
        let settings: WebhookSettings = serde_json::from_str(
            r#"{"response_timeout_ms": 250, "backoff_ms": [10, 20], "retries": 1}"#,
        )
        .unwrap();

        assert_eq!(settings.response_timeout, Duration::from_millis(250));
        assert_eq!(
            settings.backoff,
            vec![Duration::from_millis(10), Duration::from_millis(20)]
        );
        assert_eq!(settings.retries, 1);
        assert!(settings.sign_validation);
    }
}
