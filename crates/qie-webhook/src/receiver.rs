//! The request pipeline: route, authenticate, read, verify, then validate or enqueue.
//!
//! Order matters for safety. Nothing from the body is used before the signature over the raw
//! bytes verifies, except for unsigned callback validations, which are read with a small limit
//! and signed only under the rule of [`crate::validation`]. Content-Type is never consulted.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use http::header::CONTENT_LENGTH;
use http::{HeaderMap, Method, Request, Response};
use http_body_util::BodyExt as _;
use qie_model::gateway::{Dispatch, ServerFrame};
use qie_model::id::{AppId, EventId};
use qie_model::webhook::ValidationRequest;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::event::WebhookEvent;
use crate::key::WebhookKey;
use crate::response::{self, Rejection};
use crate::stats::Counters;
use crate::validation::{is_plain_token, is_unix_timestamp};
use crate::webhook::{BotEntry, Shared, UnsignedValidation};

const HEADER_APP_ID: &str = "x-bot-appid";
const HEADER_SIGNATURE: &str = "x-signature-ed25519";
const HEADER_TIMESTAMP: &str = "x-signature-timestamp";
const HEADER_TRACE_ID: &str = "x-tps-trace-id";

/// Largest body read from a request without signature headers: enough for any validation
/// request, which is about 80 bytes.
const UNSIGNED_BODY_LIMIT: usize = 4096;

/// Minimum time between two warnings about rejected requests.
const WARN_INTERVAL: Duration = Duration::from_secs(60);

/// The signature headers of a request.
struct SignatureHeaders<'a> {
    signature: &'a str,
    timestamp: &'a str,
}

pub(crate) async fn handle(shared: &Shared, request: Request<Body>) -> Response<Body> {
    let trace_id = trace_id(request.headers());
    // Logged only when it looks like an AppID, so a forged header cannot fill the logs.
    let app_id = request
        .headers()
        .get(HEADER_APP_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|value| {
            (1..=20).contains(&value.len()) && value.bytes().all(|byte| byte.is_ascii_digit())
        })
        .map(str::to_owned);

    match process(shared, request, trace_id.as_deref()).await {
        Ok(response) => response,
        Err(rejection) => {
            rejection.count(&shared.counters);
            tracing::debug!(
                app_id = app_id.as_deref(),
                trace_id = trace_id.as_deref(),
                status = rejection.status().as_u16(),
                reason = rejection.reason(),
                "webhook request rejected"
            );
            if rejection.is_operator_concern() {
                shared.warnings.warn(rejection, app_id.as_deref());
            }

            rejection.into_response()
        }
    }
}

async fn process(
    shared: &Shared,
    request: Request<Body>,
    trace_id: Option<&str>,
) -> Result<Response<Body>, Rejection> {
    if request.method() != Method::POST {
        return Err(Rejection::MethodNotAllowed);
    }

    let (parts, body) = request.into_parts();
    let (app_id, bot) = resolve_bot(shared, &parts.headers)?;
    let signature = signature_headers(&parts.headers)?;
    let limit = match &signature {
        Some(headers) => {
            check_freshness(shared, headers.timestamp)?;
            shared.settings.body_limit
        }
        None if shared.settings.unsigned_validation == UnsignedValidation::Answer => {
            UNSIGNED_BODY_LIMIT.min(shared.settings.body_limit)
        }
        None => return Err(Rejection::MissingSignature),
    };

    let body = match read_body(shared, body, declared_length(&parts.headers), limit).await {
        Err(Rejection::TooLarge) if signature.is_none() => return Err(Rejection::MissingSignature),
        other => other?,
    };

    if let Some(headers) = &signature {
        bot.key
            .verify(headers.timestamp, &body, headers.signature)
            .map_err(|error| Rejection::Signature(error.kind()))?;
    }

    let frame = ServerFrame::from_slice(&body).map_err(|_| Rejection::NotAFrame)?;
    match frame {
        ServerFrame::CallbackValidation(request) => {
            answer_validation(shared, &bot.key, &app_id, &request)
        }
        _ if signature.is_none() => Err(Rejection::MissingSignature),
        ServerFrame::Dispatch(dispatch) => {
            // Ed25519 signatures are deterministic and their S is checked to be canonical, so a
            // dispatch without an `id` is still recognised when the same request is replayed.
            let replay_key = signature
                .as_ref()
                .map(|headers| headers.signature.to_ascii_lowercase());
            accept_dispatch(shared, &bot.sender, app_id, dispatch, replay_key, trace_id).await
        }
        other => {
            Counters::bump(&shared.counters.ignored);
            tracing::debug!(app_id = %app_id, op = ?other.opcode(), "webhook frame acknowledged and ignored");

            Ok(response::ack())
        }
    }
}

/// Finds the bot of a request by `X-Bot-Appid`, or the only bot when the header is absent.
fn resolve_bot<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
) -> Result<(AppId, &'a BotEntry), Rejection> {
    let app_id = match single_header(headers, HEADER_APP_ID)? {
        Some(value) => AppId::new(value),
        None => shared.only_bot.clone().ok_or(Rejection::MissingAppId)?,
    };

    match shared.bots.get(&app_id) {
        Some(bot) => Ok((app_id, bot)),
        None => Err(Rejection::UnknownBot),
    }
}

/// Reads both signature headers: both absent is `None`, one without the other is malformed.
fn signature_headers(headers: &HeaderMap) -> Result<Option<SignatureHeaders<'_>>, Rejection> {
    let signature = single_header(headers, HEADER_SIGNATURE)?;
    let timestamp = single_header(headers, HEADER_TIMESTAMP)?;

    match (signature, timestamp) {
        (None, None) => Ok(None),
        (Some(signature), Some(timestamp)) if is_unix_timestamp(timestamp) => {
            Ok(Some(SignatureHeaders {
                signature,
                timestamp,
            }))
        }
        _ => Err(Rejection::MalformedHeaders),
    }
}

/// Returns the value of a header that may appear at most once, as visible ASCII.
fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, Rejection> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Rejection::MalformedHeaders);
    }

    value
        .to_str()
        .map(|value| Some(value.trim()))
        .map_err(|_| Rejection::MalformedHeaders)
}

/// Rejects a timestamp (already checked to be digits) outside the freshness window.
fn check_freshness(shared: &Shared, timestamp: &str) -> Result<(), Rejection> {
    let Some(window) = shared.settings.freshness_window else {
        return Ok(());
    };
    let timestamp: u64 = timestamp.parse().map_err(|_| Rejection::Stale)?;

    if timestamp.abs_diff(shared.unix_now()) > window.as_secs() {
        return Err(Rejection::Stale);
    }

    Ok(())
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
}

/// Reads the whole body, whatever its transfer encoding, up to `limit` bytes.
async fn read_body(
    shared: &Shared,
    body: Body,
    declared: Option<u64>,
    limit: usize,
) -> Result<Bytes, Rejection> {
    if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(Rejection::TooLarge);
    }

    tokio::time::timeout(shared.settings.body_timeout, collect_limited(body, limit))
        .await
        .map_err(|_| Rejection::BodyTimeout)?
}

async fn collect_limited(mut body: Body, limit: usize) -> Result<Bytes, Rejection> {
    let mut buffer = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Rejection::BodyAborted)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if buffer.len() + data.len() > limit {
            return Err(Rejection::TooLarge);
        }
        buffer.extend_from_slice(&data);
    }

    Ok(buffer.freeze())
}

/// Signs the response to a callback validation that passes the rule of [`crate::validation`].
fn answer_validation(
    shared: &Shared,
    key: &WebhookKey,
    app_id: &AppId,
    request: &ValidationRequest,
) -> Result<Response<Body>, Rejection> {
    if !is_unix_timestamp(&request.event_ts) || !is_plain_token(&request.plain_token) {
        return Err(Rejection::UnsafeValidation);
    }
    check_freshness(shared, &request.event_ts)?;

    let answer = key.sign_validation(request);
    Counters::bump(&shared.counters.validations);
    tracing::info!(app_id = %app_id, "callback URL validation signed");

    Ok(response::validation(&answer))
}

/// De-duplicates a dispatch, queues it and acknowledges it.
///
/// The key is the dispatch's `id`, or the request's signature when the body has no `id`.
///
/// The id is recorded only once the event is queued, so a delivery rejected with 503 is handled
/// when the platform retries it.
async fn accept_dispatch(
    shared: &Shared,
    sender: &mpsc::Sender<WebhookEvent>,
    app_id: AppId,
    dispatch: Dispatch,
    signature_hex: Option<String>,
    trace_id: Option<&str>,
) -> Result<Response<Body>, Rejection> {
    let key = dispatch
        .id
        .clone()
        .or_else(|| signature_hex.map(|hex| EventId::new(format!("signature:{hex}"))))
        .map(|event_id| (app_id.clone(), event_id));
    if let Some(key) = &key
        && lock(&shared.dedupe).contains(key, Instant::now())
    {
        return Ok(duplicate(shared, &app_id, &dispatch));
    }

    // Waiting here, not in the handler, bounds the time to the acknowledgement.
    let reserve = sender.reserve();
    let Ok(Ok(permit)) = tokio::time::timeout(shared.settings.enqueue_timeout, reserve).await
    else {
        return Err(Rejection::Busy);
    };

    // The check and the insert happen under one lock, so two concurrent copies of one delivery
    // queue it once.
    if let Some(key) = key
        && !lock(&shared.dedupe).insert(key, Instant::now())
    {
        return Ok(duplicate(shared, &app_id, &dispatch));
    }

    tracing::debug!(
        app_id = %app_id,
        event_id = dispatch.id.as_ref().map(EventId::as_str),
        event = dispatch.event.name(),
        trace_id,
        "webhook event queued"
    );
    Counters::bump(&shared.counters.events);
    permit.send(WebhookEvent {
        app_id,
        dispatch,
        trace_id: trace_id.map(str::to_owned),
    });

    Ok(response::ack())
}

fn duplicate(shared: &Shared, app_id: &AppId, dispatch: &Dispatch) -> Response<Body> {
    Counters::bump(&shared.counters.duplicates);
    tracing::debug!(
        app_id = %app_id,
        event_id = dispatch.id.as_ref().map(EventId::as_str),
        "duplicate webhook event acknowledged and dropped"
    );

    response::ack()
}

/// Returns `X-Tps-trace-ID` when it is short and made of letters, digits and `-`.
fn trace_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(HEADER_TRACE_ID)?.to_str().ok()?;
    let valid = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');

    valid.then(|| value.to_owned())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Warns about rejected requests at most once per [`WARN_INTERVAL`], with the number of
/// rejections since the last warning.
#[derive(Debug, Default)]
pub(crate) struct RejectionWarnings {
    state: Mutex<WarningState>,
}

#[derive(Debug, Default)]
struct WarningState {
    last: Option<Instant>,
    suppressed: u64,
}

impl RejectionWarnings {
    fn warn(&self, rejection: Rejection, app_id: Option<&str>) {
        let now = Instant::now();
        let mut state = lock(&self.state);
        if state
            .last
            .is_some_and(|last| now.saturating_duration_since(last) < WARN_INTERVAL)
        {
            state.suppressed += 1;
            return;
        }

        let suppressed = std::mem::take(&mut state.suppressed);
        state.last = Some(now);
        drop(state);

        tracing::warn!(
            app_id,
            reason = rejection.reason(),
            status = rejection.status().as_u16(),
            suppressed,
            "webhook request rejected: check the AppSecret, the AppID, the server clock and the event consumer"
        );
    }
}
