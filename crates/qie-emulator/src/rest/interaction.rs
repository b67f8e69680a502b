//! `PUT /interactions/{interaction_id}`: acknowledging a button click.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::put;
use serde_json::Value;

use super::check_call_rate;
use crate::auth::Caller;
use crate::respond::{ApiError, ApiResult, no_content, parse_json};
use crate::state::App;

pub(super) fn router() -> Router<App> {
    Router::new().route("/interactions/{interaction_id}", put(acknowledge))
}

async fn acknowledge(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let code = body
        .get("code")
        .and_then(Value::as_u64)
        .filter(|code| *code <= 5)
        .ok_or_else(|| ApiError::bad_request(630_001, "code must be an integer from 0 to 5"))?;

    let mut inner = app.lock();
    check_call_rate(
        &app,
        &mut inner,
        &caller.app_id,
        "/interactions/{interaction_id}",
    )?;
    let Some(ack) = inner
        .store
        .interactions
        .get_mut(&(caller.app_id.clone(), id.clone()))
    else {
        return Err(ApiError::bad_request(
            630_001,
            format!("interaction {id} is unknown to this bot"),
        ));
    };
    *ack = Some(code);
    tracing::debug!(app_id = %caller.app_id, interaction_id = %id, code, "interaction acknowledged");

    Ok(no_content())
}
