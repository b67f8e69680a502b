//! The OpenAPI (REST) endpoints, answered from the world state.
//!
//! Each area has its own module and router function; [`router`] merges them. All of them run
//! behind [`middleware`], which adds `X-Tps-trace-ID`, renders platform error bodies, injects
//! REST faults and logs each call.

mod guild;
mod interaction;
mod media;
mod message;
mod objects;
mod reply;
mod user;
mod v2;

use std::time::Instant as StdInstant;

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::CallerSlot;
use crate::inspect::{InspectorEvent, RestEvent};
use crate::respond::{ApiError, PendingError, TRACE_HEADER};
use crate::state::{App, Inner};
use crate::token::TOKEN_PATH;
use crate::world::{Channel, Guild};

pub(crate) use media::cos_router;
pub(crate) use v2::c2c_state;

/// Router of every OpenAPI endpoint (without the middleware).
pub(crate) fn router() -> Router<App> {
    Router::new()
        .merge(user::router())
        .merge(guild::router())
        .merge(message::router())
        .merge(v2::router())
        .merge(media::router())
        .merge(interaction::router())
}

/// Answers unknown paths like the platform's API gateway.
pub(crate) fn fallback() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, 404, "API not found")
}

/// Middleware of the token and REST routers.
pub(crate) async fn middleware(
    State(app): State<App>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = StdInstant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| path.clone(), |matched| matched.as_str().to_owned());
    let slot = CallerSlot::default();
    request.extensions_mut().insert(slot.clone());

    let (trace_id, latency, failure) = {
        let mut inner = app.lock();
        let trace_id = inner.ids.hex_lower(32);
        let latency = inner.rest_faults.latency;
        let failure = inner.rest_faults.take_failure(&path, path == TOKEN_PATH);
        (trace_id, latency, failure)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let response = match failure {
        Some(failure) => {
            tracing::info!(
                method,
                route,
                status = failure.status,
                code = failure.code,
                "injected REST failure"
            );
            let status =
                StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            ApiError::new(status, failure.code, failure.message).into_response()
        }
        None => next.run(request).await,
    };
    let (response, code) = finish(&app, response, &trace_id);

    let caller = slot.0.lock().ok().and_then(|caller| caller.clone());
    let status = response.status().as_u16();
    let latency = started.elapsed();
    tracing::info!(
        method,
        route,
        status,
        code,
        app_id = caller.as_deref(),
        trace_id,
        latency_ms = latency.as_secs_f64() * 1000.0,
        "REST call"
    );
    app.inspect(InspectorEvent::Rest(RestEvent {
        method,
        route,
        path,
        status,
        code,
        latency,
        app_id: caller,
        trace_id,
    }));

    response
}

/// Renders a pending platform error and adds the trace id header.
pub(crate) fn finish(app: &App, response: Response, trace_id: &str) -> (Response, Option<u64>) {
    let (mut parts, body) = response.into_parts();
    let mut code = None;
    let body = match parts.extensions.remove::<PendingError>() {
        Some(PendingError(error)) => {
            code = Some(error.code);
            let rendered = error.body(app.config.error_body_format, trace_id);
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(rendered.to_string())
        }
        None => body,
    };
    if let Ok(value) = HeaderValue::from_str(trace_id) {
        parts.headers.insert(TRACE_HEADER, value);
    }

    (Response::from_parts(parts, body), code)
}

/// Returns the guild if it exists and the bot is in it (else 11264).
pub(crate) fn guild_of<'a>(
    inner: &'a Inner,
    app_id: &str,
    guild_id: &str,
) -> Result<&'a Guild, ApiError> {
    inner
        .world
        .guild_for(app_id, guild_id)
        .ok_or_else(ApiError::guild_auth)
}

/// Returns a channel and its guild (10003 when unknown to the bot).
pub(crate) fn channel_of<'a>(
    inner: &'a Inner,
    app_id: &str,
    channel_id: &str,
) -> Result<(&'a Guild, &'a Channel), ApiError> {
    inner
        .world
        .channel_for(app_id, channel_id)
        .ok_or_else(ApiError::unknown_channel)
}

/// Fails with 11253 unless the bot is a private-domain bot.
pub(crate) fn require_private(inner: &Inner, app_id: &str) -> Result<(), ApiError> {
    match inner.world.bot(app_id) {
        Some(bot) if bot.private_domain => Ok(()),
        _ => Err(ApiError::no_api_permission()),
    }
}

/// Fails with 11282 unless the bot is an admin (role 2) or the owner (role 4) of the guild.
pub(crate) fn require_admin(inner: &Inner, app_id: &str, guild: &Guild) -> Result<(), ApiError> {
    let bot_user = inner
        .world
        .bot(app_id)
        .map(|bot| bot.user_id.as_str())
        .unwrap_or_default();
    let is_admin = guild
        .member(bot_user)
        .is_some_and(|member| member.roles.iter().any(|role| role == "2" || role == "4"));
    if is_admin {
        return Ok(());
    }

    Err(ApiError::not_admin())
}

/// Applies the per-bot, per-route call rate; 429 with code 610013 when exceeded.
pub(crate) fn check_call_rate(
    app: &App,
    inner: &mut Inner,
    app_id: &str,
    route: &str,
) -> Result<(), ApiError> {
    let key = format!("call:{app_id}:{route}");
    let limit = app.config.rate_limits.bot_calls_per_second;
    let allowed = inner.store.windows.hit(
        &key,
        limit,
        std::time::Duration::from_secs(1),
        tokio::time::Instant::now(),
    );
    if allowed {
        return Ok(());
    }
    tracing::info!(app_id, route, "REST call rate limited");

    Err(ApiError::rate_limited(610_013, "rate limited"))
}

/// Parses an optional query integer; names the parameter when it is not a number.
pub(crate) fn query_u64(value: Option<&String>, name: &str) -> Result<Option<u64>, ApiError> {
    value
        .filter(|text| !text.is_empty())
        .map(|text| {
            text.parse::<u64>().map_err(|_| {
                ApiError::invalid_body(format!(
                    "query parameter {name}={text:?} is not a non-negative integer"
                ))
            })
        })
        .transpose()
}
