//! Control of the webhook mode: registration with the op 13 validation, faults, delivery log,
//! in process on [`Control`] and over HTTP under `/_emulator/webhook`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::client::{self, Outgoing};
use super::signing::BotKey;
use super::{
    Registration, Target, WebhookDelivery, WebhookFault, WebhookInfo, WebhookRegistration,
    signed_headers,
};
use crate::clock::unix_now;
use crate::respond::json_response;
use crate::state::App;
use crate::{Control, Error, ErrorKind};

/// Length of the `plain_token` of a validation request, as in the platform's example.
const PLAIN_TOKEN_LEN: usize = 20;

impl Control {
    /// Registers a callback URL for a bot after validating it with an op 13 request.
    ///
    /// The URL is accepted only if it answers 200 with JSON that echoes `plain_token` and carries
    /// a `signature` of `event_ts + plain_token` that verifies under the bot's public key. A new
    /// registration of the same bot replaces the old one.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] for an unknown bot; [`ErrorKind::InvalidRequest`] for a bad URL or
    /// settings, or when the validation fails (the message says how).
    pub async fn register_webhook(
        &self,
        registration: WebhookRegistration,
    ) -> Result<WebhookInfo, Error> {
        let hub = self.app.webhooks.clone();
        let (app_id, secret) = self.webhook_bot(registration.app_id.as_deref())?;
        let key = BotKey::from_secret(&secret)
            .ok_or_else(|| Error::invalid(format!("bot {app_id} has an empty AppSecret")))?;
        let settings = registration
            .settings
            .unwrap_or_else(|| hub.inner.defaults.clone());
        let target = Target::parse(&registration.url, settings.platform_ports_only)?;
        let tls = match &settings.ca_certificate {
            Some(pem) => Some(client::tls_connector(pem)?),
            None if target.is_https() => {
                return Err(Error::invalid(format!(
                    "callback URL {} uses https: set settings.ca_certificate to the PEM of its CA",
                    target.url
                )));
            }
            None => None,
        };

        let plain_token = hub.ids().alnum(PLAIN_TOKEN_LEN);
        let event_ts = unix_now().to_string();
        let body =
            format!(r#"{{"d":{{"plain_token":"{plain_token}","event_ts":"{event_ts}"}},"op":13}}"#);
        let trace_id = hub.ids().hex_lower(32);
        let mut headers = signed_headers(
            &app_id,
            &event_ts,
            key.sign(&event_ts, body.as_bytes()),
            trace_id,
        );
        if !settings.sign_validation {
            headers.retain(|(name, _)| !name.starts_with("X-Signature"));
        }
        let outgoing = Outgoing {
            headers,
            body: Bytes::from(body),
            chunked: false,
        };

        let reply = client::send(&target, tls.as_ref(), &outgoing, settings.response_timeout)
            .await
            .map_err(|failure| validation_failed(&target, &failure))?;
        check_validation_response(&key, &plain_token, &event_ts, reply.status, &reply.body)
            .map_err(|reason| validation_failed(&target, &reason))?;

        let (queue, jobs) = mpsc::unbounded_channel();
        let workers = settings.max_in_flight;
        let registration = Registration {
            app_id: app_id.clone(),
            target,
            events: registration
                .events
                .map(|events| events.into_iter().collect()),
            key,
            queue,
            settings,
            tls,
            validated_with: plain_token,
        };
        let info = registration.info();
        hub.start_workers(jobs, workers);
        hub.state()
            .registrations
            .insert(app_id.clone(), Arc::new(registration));
        tracing::info!(
            app_id,
            url = info.url,
            "webhook callback validated and registered"
        );

        Ok(info)
    }

    /// Removes the callback of a bot (default: the first bot); returns whether there was one.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] for an unknown bot.
    pub fn unregister_webhook(&self, app_id: Option<&str>) -> Result<bool, Error> {
        let (app_id, _) = self.webhook_bot(app_id)?;
        let removed = self
            .app
            .webhooks
            .state()
            .registrations
            .remove(&app_id)
            .is_some();
        tracing::info!(app_id, removed, "webhook callback unregistered");

        Ok(removed)
    }

    /// Returns every registered callback.
    pub fn webhooks(&self) -> Vec<WebhookInfo> {
        let state = self.app.webhooks.state();
        let mut infos: Vec<WebhookInfo> = state
            .registrations
            .values()
            .map(|registration| registration.info())
            .collect();
        infos.sort_by(|left, right| left.app_id.cmp(&right.app_id));

        infos
    }

    /// Applies `fault` to the first attempt of the next `count` deliveries of a bot.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] for an unknown bot.
    pub fn arm_webhook_fault(
        &self,
        app_id: Option<&str>,
        fault: WebhookFault,
        count: usize,
    ) -> Result<(), Error> {
        let (app_id, _) = self.webhook_bot(app_id)?;
        let mut state = self.app.webhooks.state();
        let queue = state.faults.entry(app_id.clone()).or_default();
        queue.extend(std::iter::repeat_n(fault, count));
        tracing::info!(app_id, ?fault, count, "webhook fault armed");

        Ok(())
    }

    /// Returns the finished deliveries (the latest 1000), optionally of one bot, oldest first.
    pub fn webhook_deliveries(&self, app_id: Option<&str>) -> Vec<WebhookDelivery> {
        self.app
            .webhooks
            .state()
            .deliveries
            .iter()
            .filter(|delivery| app_id.is_none_or(|app_id| delivery.app_id == app_id))
            .cloned()
            .collect()
    }

    /// Waits until at least `count` deliveries (of one bot, or of any) have finished, retries
    /// included; returns them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Timeout`] when fewer finished within `timeout`.
    pub async fn wait_for_webhook_deliveries(
        &self,
        app_id: Option<&str>,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<WebhookDelivery>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let finished = self.app.webhooks.inner.finished.notified();
            let deliveries = self.webhook_deliveries(app_id);
            if deliveries.len() >= count {
                return Ok(deliveries);
            }
            if tokio::time::timeout_at(deadline, finished).await.is_err() {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{} of {count} webhook deliveries finished after {timeout:?}",
                        deliveries.len()
                    ),
                ));
            }
        }
    }

    /// Returns the AppID and secret of a bot (default: the first bot).
    fn webhook_bot(&self, app_id: Option<&str>) -> Result<(String, String), Error> {
        let inner = self.app.lock();
        let bot = match app_id {
            Some(app_id) => inner
                .world
                .bot(app_id)
                .ok_or_else(|| Error::not_found(format!("no bot with AppID {app_id}")))?,
            None => inner
                .world
                .bots
                .first()
                .ok_or_else(|| Error::not_found("the world has no bot"))?,
        };

        Ok((bot.app_id.clone(), bot.secret.clone()))
    }
}

fn validation_failed(target: &Target, reason: &str) -> Error {
    Error::invalid(format!(
        "callback validation of {} failed: {reason}",
        target.url
    ))
}

/// Checks the answer to a validation: 200, JSON, the same `plain_token`, a valid signature.
fn check_validation_response(
    key: &BotKey,
    plain_token: &str,
    event_ts: &str,
    status: u16,
    body: &[u8],
) -> Result<(), String> {
    if status != 200 {
        return Err(format!("the callback answered HTTP {status}, expected 200"));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| "the response is not JSON {\"plain_token\", \"signature\"}".to_owned())?;
    if value.get("plain_token").and_then(Value::as_str) != Some(plain_token) {
        return Err(format!(
            "the response does not echo plain_token {plain_token:?}"
        ));
    }
    let signature = value
        .get("signature")
        .and_then(Value::as_str)
        .ok_or_else(|| "the response has no signature".to_owned())?;
    if !key.verifies(event_ts, plain_token.as_bytes(), signature) {
        return Err(format!(
            "the signature does not verify under the bot's public key {}",
            key.public_key_hex()
        ));
    }

    Ok(())
}

/// Routes of the webhook mode, merged into the control API.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/webhook", post(register).get(list).delete(unregister))
        .route("/webhook/faults", post(arm_fault))
        .route("/webhook/deliveries", get(deliveries))
        .route("/webhook/deliveries/wait", get(wait_deliveries))
}

fn control(app: &App) -> Control {
    Control { app: app.clone() }
}

fn ok(value: &impl serde::Serialize) -> Response {
    let value = serde_json::to_value(value).unwrap_or(Value::Null);

    json_response(StatusCode::OK, &value)
}

fn error_response(error: &Error) -> Response {
    let (status, kind) = match error.kind() {
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        ErrorKind::Timeout => (StatusCode::REQUEST_TIMEOUT, "timeout"),
        _ => (StatusCode::BAD_REQUEST, "invalid_request"),
    };
    tracing::info!(%error, "webhook control request failed");

    json_response(status, &json!({"error": error.to_string(), "kind": kind}))
}

fn respond<T: serde::Serialize>(result: Result<T, Error>) -> Response {
    match result {
        Ok(value) => ok(&value),
        Err(error) => error_response(&error),
    }
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes)
        .map_err(|error| Error::invalid(format!("invalid request body: {error}")))
}

fn app_id_param(query: &HashMap<String, String>) -> Option<&str> {
    query.get("app_id").map(String::as_str)
}

async fn register(State(app): State<App>, bytes: Bytes) -> Response {
    let registration = match parse::<WebhookRegistration>(&bytes) {
        Ok(registration) => registration,
        Err(error) => return error_response(&error),
    };

    respond(control(&app).register_webhook(registration).await)
}

async fn list(State(app): State<App>) -> Response {
    ok(&control(&app).webhooks())
}

async fn unregister(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    respond(
        control(&app)
            .unregister_webhook(app_id_param(&query))
            .map(|removed| json!({"removed": removed})),
    )
}

#[derive(Deserialize)]
struct FaultRequest {
    #[serde(default)]
    app_id: Option<String>,
    fault: WebhookFault,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

async fn arm_fault(State(app): State<App>, bytes: Bytes) -> Response {
    let request = match parse::<FaultRequest>(&bytes) {
        Ok(request) => request,
        Err(error) => return error_response(&error),
    };

    respond(
        control(&app)
            .arm_webhook_fault(request.app_id.as_deref(), request.fault, request.count)
            .map(|()| json!({"armed": request.count, "fault": request.fault})),
    )
}

async fn deliveries(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    ok(&control(&app).webhook_deliveries(app_id_param(&query)))
}

async fn wait_deliveries(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let number = |name: &str, default: u64| -> Result<u64, Error> {
        query.get(name).map_or(Ok(default), |text| {
            text.parse()
                .map_err(|_| Error::invalid(format!("{name} must be a whole number, got {text:?}")))
        })
    };
    let (count, timeout_ms) = match (number("count", 1), number("timeout_ms", 5000)) {
        (Ok(count), Ok(timeout_ms)) => (count, timeout_ms),
        (Err(error), _) | (_, Err(error)) => return error_response(&error),
    };
    let count = usize::try_from(count).unwrap_or(usize::MAX);

    respond(
        control(&app)
            .wait_for_webhook_deliveries(
                app_id_param(&query),
                count,
                Duration::from_millis(timeout_ms),
            )
            .await,
    )
}
