//! The backend's routes: login with `qq.login()` codes, open data, a content check.
//!
//! | Route | Request | Response |
//! | --- | --- | --- |
//! | `POST /api/login` | `{"code"}` from `qq.login()` | `{"token", "openid", "unionid"}` |
//! | `POST /api/user-info` | `Authorization: Bearer <token>`, `{"encryptedData", "iv", "rawData", "signature"}` from `qq.getUserInfo()` | the decrypted profile |
//! | `POST /api/check-text` | `Authorization: Bearer <token>`, `{"content"}` | `{"risky"}` |
//! | `GET /api/health` | | `{"ok": true}` |
//!
//! Errors are `{"error", "message"}`. After `session_expired` (HTTP 401) the client calls
//! `qq.login()` and `/api/login` again.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qie_miniapp::crypto::{UserInfo, verify_signature};
use qie_miniapp::{ApiCode, Client, OpenId, SessionKey, UnionId, Verdict};
use serde::Deserialize;
use serde_json::{Value, json};

/// A logged-in user, found by the backend's own session token.
#[derive(Clone)]
struct UserSession {
    openid: OpenId,
    unionid: Option<UnionId>,
    session_key: SessionKey,
}

/// The backend: a mini-program client and the sessions it handed out.
pub(crate) struct Backend {
    client: Client,
    sessions: Mutex<HashMap<String, UserSession>>,
}

impl Backend {
    /// Creates a backend that talks to the platform (or an emulator) through `client`.
    pub(crate) fn new(client: Client) -> Arc<Self> {
        Arc::new(Self {
            client,
            sessions: Mutex::new(HashMap::new()),
        })
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, UserSession>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Returns the session behind a bearer token.
    fn user(&self, headers: &HeaderMap) -> Result<UserSession, Failure> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(Failure::unauthorized(
                "missing Authorization: Bearer <token>",
            ))?;

        self.sessions()
            .get(token)
            .cloned()
            .ok_or(Failure::unauthorized("unknown token; log in again"))
    }
}

/// Builds the routes of the backend.
pub(crate) fn router(backend: Arc<Backend>) -> Router {
    Router::new()
        .route("/api/health", get(|| async { Json(json!({"ok": true})) }))
        .route("/api/login", post(login))
        .route("/api/user-info", post(user_info))
        .route("/api/check-text", post(check_text))
        .with_state(backend)
}

/// An error response: `{"error", "message"}` with an HTTP status.
struct Failure {
    status: StatusCode,
    error: &'static str,
    message: String,
}

impl Failure {
    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error,
            message: message.into(),
        }
    }

    fn unauthorized(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    fn session_expired() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "session_expired",
            "the session_key changed; call qq.login() and /api/login again",
        )
    }
}

impl From<qie_miniapp::Error> for Failure {
    fn from(error: qie_miniapp::Error) -> Self {
        if error.is_session_key_mismatch() {
            return Self::session_expired();
        }
        if error
            .api()
            .is_some_and(|api| api.kind() == ApiCode::InvalidCode)
        {
            return Self::new(StatusCode::BAD_REQUEST, "invalid_code", error.to_string());
        }

        tracing::warn!(%error, "mini-program API call failed");
        Self::new(StatusCode::BAD_GATEWAY, "platform_error", error.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = Json(json!({"error": self.error, "message": self.message}));

        (self.status, body).into_response()
    }
}

#[derive(Deserialize)]
struct LoginRequest {
    code: String,
}

async fn login(
    State(backend): State<Arc<Backend>>,
    Json(request): Json<LoginRequest>,
) -> Result<Json<Value>, Failure> {
    let session = backend.client.code2session(request.code).await?;
    let token = new_token()?;
    tracing::info!(openid = %session.openid, "user logged in");

    let response = json!({
        "token": token,
        "openid": session.openid,
        "unionid": session.unionid,
    });
    backend.sessions().insert(
        token,
        UserSession {
            openid: session.openid,
            unionid: session.unionid,
            session_key: session.session_key,
        },
    );

    Ok(Json(response))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserInfoRequest {
    encrypted_data: String,
    iv: String,
    raw_data: String,
    signature: String,
}

async fn user_info(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    Json(request): Json<UserInfoRequest>,
) -> Result<Json<Value>, Failure> {
    let user = backend.user(&headers)?;

    // A stale session_key fails the signature check before decryption.
    if verify_signature(&request.raw_data, &user.session_key, &request.signature).is_err() {
        return Err(Failure::session_expired());
    }
    let decrypted = backend.client.decrypt::<UserInfo>(
        &user.session_key,
        &request.encrypted_data,
        &request.iv,
    )?;
    if decrypted.data.open_id != user.openid {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "wrong_user",
            "the data belongs to another user",
        ));
    }

    Ok(Json(json!({
        "openid": decrypted.data.open_id,
        "unionid": decrypted.data.union_id.or(user.unionid),
        "nickName": decrypted.data.nick_name,
        "avatarUrl": decrypted.data.avatar_url,
        "watermarkTimestamp": decrypted.watermark.timestamp,
    })))
}

#[derive(Deserialize)]
struct CheckTextRequest {
    content: String,
}

async fn check_text(
    State(backend): State<Arc<Backend>>,
    headers: HeaderMap,
    Json(request): Json<CheckTextRequest>,
) -> Result<Json<Value>, Failure> {
    backend.user(&headers)?;
    let verdict = backend.client.msg_sec_check(request.content).await?;

    Ok(Json(
        json!({"risky": matches!(verdict, Verdict::Risky { .. })}),
    ))
}

/// Returns 32 random bytes as hex, the backend's own session token.
fn new_token() -> Result<String, Failure> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("no randomness: {error}"),
        )
    })?;

    Ok(bytes
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        }))
}
