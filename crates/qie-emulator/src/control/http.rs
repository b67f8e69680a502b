//! HTTP form of the control API, mounted under `/_emulator`.

use std::collections::HashMap;
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Change, Click, Control, UserMessage};
use crate::faults::RestFailure;
use crate::gateway::{Firehose, GatewayFault, SessionTarget};
use crate::respond::json_response;
use crate::state::App;
use crate::store::Conversation;
use crate::{Error, ErrorKind};

pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/world", get(world))
        .route("/inject/message", post(inject_message))
        .route("/inject/guild_member", post(inject_guild_member))
        .route("/inject/group_member", post(inject_group_member))
        .route("/inject/group_robot", post(inject_group_robot))
        .route("/inject/friend", post(inject_friend))
        .route("/inject/interaction", post(inject_interaction))
        .route("/inject/reaction", post(inject_reaction))
        .route("/inject/event", post(inject_event))
        .route("/interactions/{interaction_id}", get(interaction))
        .route("/sent", get(sent))
        .route("/sent/wait", get(wait_sent))
        .route("/tokens/expire", post(expire_tokens))
        .route("/messages/age", post(age))
        .route("/sessions", get(sessions))
        .route("/sessions/wait", get(wait_sessions))
        .route("/faults/gateway", post(gateway_fault))
        .route("/faults/rest", post(rest_fault))
        .route("/faults/latency", post(latency))
        .route("/faults", axum::routing::delete(clear_faults))
        .route("/firehose", post(firehose))
        .route("/inspect", get(inspect))
}

fn control(app: &App) -> Control {
    Control { app: app.clone() }
}

/// Control API error: `{"error": message, "kind": …}` with 400, 404 or 408.
struct ControlError(Error);

impl From<Error> for ControlError {
    fn from(error: Error) -> Self {
        Self(error)
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let (status, kind) = match self.0.kind() {
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ErrorKind::Timeout => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            _ => (StatusCode::BAD_REQUEST, "invalid_request"),
        };
        tracing::info!(error = %self.0, "control request failed");

        json_response(status, &json!({"error": self.0.to_string(), "kind": kind}))
    }
}

type ControlResult = Result<Response, ControlError>;

fn reply(value: &impl serde::Serialize) -> ControlResult {
    let value = serde_json::to_value(value).map_err(|error| Error::invalid(error.to_string()))?;

    Ok(json_response(StatusCode::OK, &value))
}

/// Parses a JSON body into `T`, naming what was wrong.
fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ControlError> {
    serde_json::from_slice(bytes)
        .map_err(|error| ControlError(Error::invalid(format!("invalid request body: {error}"))))
}

async fn world(State(app): State<App>) -> ControlResult {
    reply(&control(&app).world())
}

async fn inject_message(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let message: UserMessage = body(&bytes)?;
    reply(&control(&app).inject_message(&message)?)
}

#[derive(Deserialize)]
struct MemberRequest {
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    guild_id: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    user: String,
    action: Change,
}

async fn inject_guild_member(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: MemberRequest = body(&bytes)?;
    reply(&control(&app).inject_guild_member(
        request.app_id.as_deref(),
        &request.guild_id,
        &request.user_id,
        request.action,
    )?)
}

async fn inject_group_member(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: MemberRequest = body(&bytes)?;
    reply(&control(&app).inject_group_member(
        request.app_id.as_deref(),
        &request.group,
        &request.user_id,
        request.action,
    )?)
}

async fn inject_group_robot(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: MemberRequest = body(&bytes)?;
    reply(&control(&app).inject_group_robot(
        request.app_id.as_deref(),
        &request.group,
        request.operator.as_deref(),
        request.action,
    )?)
}

async fn inject_friend(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: MemberRequest = body(&bytes)?;
    reply(&control(&app).inject_friend(request.app_id.as_deref(), &request.user, request.action)?)
}

async fn inject_interaction(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let click: Click = body(&bytes)?;
    reply(&control(&app).inject_click(&click)?)
}

#[derive(Deserialize)]
struct ReactionRequest {
    #[serde(default)]
    app_id: Option<String>,
    channel_id: String,
    message_id: String,
    user_id: String,
    emoji_id: String,
    #[serde(default = "default_emoji_type")]
    emoji_type: u32,
    #[serde(default)]
    remove: bool,
}

fn default_emoji_type() -> u32 {
    1
}

async fn inject_reaction(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: ReactionRequest = body(&bytes)?;
    reply(&control(&app).inject_reaction(
        request.app_id.as_deref(),
        &request.channel_id,
        &request.message_id,
        &request.user_id,
        (request.emoji_type, &request.emoji_id),
        request.remove,
    )?)
}

#[derive(Deserialize)]
struct EventRequest {
    #[serde(default)]
    app_id: Option<String>,
    t: String,
    d: Value,
    #[serde(default)]
    guild_id: Option<String>,
}

async fn inject_event(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: EventRequest = body(&bytes)?;
    let event_id = control(&app).inject_event(
        request.app_id.as_deref(),
        &request.t,
        &request.d,
        request.guild_id.as_deref(),
    )?;
    reply(&json!({"event_id": event_id}))
}

async fn interaction(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ControlResult {
    let code = control(&app).interaction_ack(query.get("app_id").map(String::as_str), &id)?;
    reply(&json!({"interaction_id": id, "acknowledged": code.is_some(), "code": code}))
}

fn conversation_param(
    query: &HashMap<String, String>,
) -> Result<Option<Conversation>, ControlError> {
    Ok(query
        .get("conversation")
        .map(|text| text.parse())
        .transpose()?)
}

async fn sent(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> ControlResult {
    let conversation = conversation_param(&query)?;
    reply(&control(&app).sent(
        query.get("app_id").map(String::as_str),
        conversation.as_ref(),
    ))
}

fn duration_param(
    query: &HashMap<String, String>,
    name: &str,
    default_ms: u64,
) -> Result<Duration, ControlError> {
    let millis = match query.get(name) {
        Some(text) => text.parse().map_err(|_| {
            ControlError(Error::invalid(format!(
                "{name}={text:?} is not a number of milliseconds"
            )))
        })?,
        None => default_ms,
    };

    Ok(Duration::from_millis(millis))
}

async fn wait_sent(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> ControlResult {
    let conversation = conversation_param(&query)?.ok_or_else(|| {
        ControlError(Error::invalid(
            "conversation is required, e.g. conversation=group:OPENID",
        ))
    })?;
    let count = query
        .get("count")
        .and_then(|count| count.parse().ok())
        .unwrap_or(1);
    let timeout = duration_param(&query, "timeout_ms", 5000)?;
    reply(
        &control(&app)
            .wait_for_sent(&conversation, count, timeout)
            .await?,
    )
}

#[derive(Deserialize, Default)]
struct ExpireRequest {
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    token: Option<String>,
}

async fn expire_tokens(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: ExpireRequest = if bytes.is_empty() {
        ExpireRequest::default()
    } else {
        body(&bytes)?
    };
    let control = control(&app);
    let expired = match &request.token {
        Some(token) => usize::from(control.expire_token(token)),
        None => control.expire_tokens(request.app_id.as_deref()),
    };
    reply(&json!({"expired": expired}))
}

#[derive(Deserialize)]
struct AgeRequest {
    #[serde(default)]
    app_id: Option<String>,
    id: String,
    seconds: u64,
}

async fn age(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: AgeRequest = body(&bytes)?;
    control(&app).age(
        request.app_id.as_deref(),
        &request.id,
        Duration::from_secs(request.seconds),
    )?;
    reply(&json!({"aged": request.id}))
}

async fn sessions(State(app): State<App>) -> ControlResult {
    reply(&control(&app).sessions())
}

async fn wait_sessions(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> ControlResult {
    let count = query
        .get("count")
        .and_then(|count| count.parse().ok())
        .unwrap_or(1);
    let timeout = duration_param(&query, "timeout_ms", 5000)?;
    reply(
        &control(&app)
            .wait_for_sessions(query.get("app_id").map(String::as_str), count, timeout)
            .await?,
    )
}

#[derive(Deserialize)]
struct TargetFields {
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    session_id: Option<String>,
}

impl TargetFields {
    fn target(&self) -> SessionTarget {
        match (&self.session_id, &self.app_id) {
            (Some(session), _) => SessionTarget::Session(session.clone()),
            (None, Some(app_id)) => SessionTarget::Bot(app_id.clone()),
            (None, None) => SessionTarget::All,
        }
    }
}

async fn gateway_fault(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let target: TargetFields = body(&bytes)?;
    let fault: GatewayFault = body(&bytes)?;
    let affected = control(&app).gateway_fault(&target.target(), &fault);
    reply(&json!({"sessions": affected}))
}

async fn rest_fault(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let failure: RestFailure = body(&bytes)?;
    control(&app).fail_rest(failure);
    reply(&json!({"armed": true}))
}

#[derive(Deserialize)]
struct LatencyRequest {
    ms: u64,
}

async fn latency(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: LatencyRequest = body(&bytes)?;
    control(&app).set_rest_latency(Duration::from_millis(request.ms));
    reply(&json!({"latency_ms": request.ms}))
}

async fn clear_faults(State(app): State<App>) -> ControlResult {
    control(&app).clear_faults();
    reply(&json!({"cleared": true}))
}

#[derive(Deserialize)]
struct FirehoseRequest {
    #[serde(flatten)]
    target: TargetFields,
    #[serde(flatten)]
    firehose: Firehose,
    /// Start at the next READY of the bot instead of now.
    #[serde(default)]
    arm: bool,
}

async fn firehose(State(app): State<App>, bytes: axum::body::Bytes) -> ControlResult {
    let request: FirehoseRequest = body(&bytes)?;
    let control = control(&app);
    if request.arm {
        control.arm_firehose(request.target.app_id.as_deref(), request.firehose)?;
        return reply(&json!({"armed": true}));
    }
    let sessions = control.firehose(&request.target.target(), &request.firehose)?;
    reply(&json!({"sessions": sessions}))
}

async fn inspect(State(app): State<App>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| stream_inspector(app, socket))
}

async fn stream_inspector(app: App, mut socket: WebSocket) {
    let mut events = app.inspector.subscribe();
    loop {
        match events.recv().await {
            Ok(event) => {
                let text = serde_json::to_string(&event).unwrap_or_default();
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                let text = json!({"kind": "lagged", "missed": missed}).to_string();
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
    }
}
