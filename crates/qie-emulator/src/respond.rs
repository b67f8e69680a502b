//! REST responses: platform error bodies, the trace id header and exact content types.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::config::ErrorBodyFormat;

/// Name of the trace id header, spelled as the platform documents it.
pub(crate) const TRACE_HEADER: &str = "X-Tps-trace-ID";

/// A platform business error, rendered by the REST middleware in the configured body format.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: u64,
    /// Set when `err_code` differs from `code` (observed for token errors).
    pub(crate) err_code: Option<u64>,
    pub(crate) message: String,
    pub(crate) data: Option<Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: u64, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            err_code: None,
            message: message.into(),
            data: None,
        }
    }

    /// HTTP 400 with a business code.
    pub(crate) fn bad_request(code: u64, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// HTTP 400, code 12002: the body is not what the endpoint accepts.
    pub(crate) fn invalid_body(detail: impl Into<String>) -> Self {
        Self::bad_request(12002, format!("invalid request body: {}", detail.into()))
    }

    /// HTTP 403, code 11264: the guild is unknown or the bot is not in it.
    pub(crate) fn guild_auth() -> Self {
        Self::new(StatusCode::FORBIDDEN, 11264, "check guild auth not pass")
    }

    /// HTTP 404, code 10003: the channel is unknown.
    pub(crate) fn unknown_channel() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10003, "channel not exist")
    }

    /// HTTP 404, code 10001: the user or member is unknown.
    pub(crate) fn unknown_member() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10001, "member not exist")
    }

    /// HTTP 403, code 11253: the API needs a grant the bot lacks (private-domain APIs).
    pub(crate) fn no_api_permission() -> Self {
        Self::new(StatusCode::FORBIDDEN, 11253, "check app privilege not pass")
    }

    /// HTTP 403, code 11282: the API needs admin rights the bot does not have.
    pub(crate) fn not_admin() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            11282,
            "check admin privilege not pass",
        )
    }

    /// HTTP 429 with a business code.
    pub(crate) fn rate_limited(code: u64, message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, code, message)
    }

    /// Renders the body in `format` with `trace_id`.
    pub(crate) fn body(&self, format: ErrorBodyFormat, trace_id: &str) -> Value {
        let mut body = Map::new();
        let err_code = self.err_code.unwrap_or(self.code);
        match format {
            ErrorBodyFormat::Legacy => {
                body.insert("code".into(), json!(self.code));
                body.insert("message".into(), json!(self.message));
            }
            ErrorBodyFormat::Docs => {
                body.insert("err_code".into(), json!(err_code));
                body.insert("message".into(), json!(self.message));
                body.insert("trace_id".into(), json!(trace_id));
            }
            ErrorBodyFormat::Both => {
                body.insert("message".into(), json!(self.message));
                body.insert("code".into(), json!(self.code));
                body.insert("err_code".into(), json!(err_code));
                body.insert("trace_id".into(), json!(trace_id));
            }
        }
        if let Some(data) = &self.data {
            body.insert("data".into(), data.clone());
        }

        Value::Object(body)
    }
}

/// Marker left in a response's extensions for the middleware to render.
#[derive(Debug, Clone)]
pub(crate) struct PendingError(pub(crate) ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = self.status;
        response.extensions_mut().insert(PendingError(self));

        response
    }
}

/// Builds a JSON response with exactly `Content-Type: application/json`.
pub(crate) fn json_response(status: StatusCode, value: &Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );

    response
}

/// HTTP 200 with a JSON body.
pub(crate) fn ok(value: &Value) -> Response {
    json_response(StatusCode::OK, value)
}

/// HTTP 204 without a body.
pub(crate) fn no_content() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;

    response
}

/// HTTP 200 without a body (the platform's answer to several DELETE calls).
pub(crate) fn empty_ok() -> Response {
    Response::new(Body::empty())
}

/// The result type of REST handlers.
pub(crate) type ApiResult = Result<Response, ApiError>;

/// Parses a JSON body, turning malformed input into a platform error instead of axum's
/// plain-text rejection.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| ApiError::invalid_body(error.to_string()))?;
    if !value.is_object() {
        return Err(ApiError::invalid_body("expected a JSON object"));
    }

    Ok(value)
}
