//! Authentication of REST calls and gateway Identify/Resume.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use tokio::time::Instant;

use crate::respond::ApiError;
use crate::state::{App, Shared};
use crate::token::TokenProblem;

/// Message of the platform's rejection of a static bot token.
const LEGACY_DISABLED: &str = "固定Token已禁用，请使用AccessToken鉴权，参考文档：https://bot.q.qq.com/wiki/develop/api-v2/dev-prepare/interface-framework/api-use.html";

/// Why a credential was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    Missing,
    Malformed,
    LegacyDisabled,
    LegacyWrong,
    Unknown,
    Expired,
}

/// Resolves a credential to its AppID.
///
/// `value` is the `Authorization` header or the Identify/Resume `token`. `allow_bare` accepts a
/// token without the `QQBot ` prefix (botgo's Resume).
pub(crate) fn resolve(
    shared: &Shared,
    value: &str,
    allow_bare: bool,
) -> Result<String, AuthFailure> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AuthFailure::Missing);
    }

    if let Some(legacy) = value.strip_prefix("Bot ") {
        if !shared.config.legacy_bot_token {
            return Err(AuthFailure::LegacyDisabled);
        }
        let (app_id, token) = legacy.split_once('.').ok_or(AuthFailure::LegacyWrong)?;
        let inner = shared.lock();
        return match inner.world.bot(app_id) {
            Some(bot) if !bot.token.is_empty() && bot.token == token => Ok(app_id.to_owned()),
            _ => Err(AuthFailure::LegacyWrong),
        };
    }

    let token = match value.strip_prefix("QQBot ") {
        Some(token) => token,
        None if allow_bare && !value.contains(' ') => value,
        None => return Err(AuthFailure::Malformed),
    };

    shared
        .lock()
        .tokens
        .check(token, Instant::now())
        .map_err(|problem| match problem {
            TokenProblem::Unknown => AuthFailure::Unknown,
            TokenProblem::Expired => AuthFailure::Expired,
        })
}

impl AuthFailure {
    /// The REST error for this failure.
    pub(crate) fn api_error(self, shared: &Shared) -> ApiError {
        match self {
            Self::Missing | Self::Malformed => ApiError::new(
                StatusCode::UNAUTHORIZED,
                11241,
                "token missing or malformed",
            ),
            Self::LegacyDisabled => {
                let status = StatusCode::from_u16(shared.config.legacy_bot_token_status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                ApiError::new(status, 11245, LEGACY_DISABLED)
            }
            Self::LegacyWrong => {
                ApiError::new(StatusCode::UNAUTHORIZED, 11243, "token check rejected")
            }
            Self::Unknown | Self::Expired => {
                ApiError::new(StatusCode::UNAUTHORIZED, 11244, "token not exist or expire")
            }
        }
    }
}

/// The authenticated bot of a REST call.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) app_id: String,
}

/// Request extension the REST middleware adds; the extractor writes the caller into it so that
/// the middleware can log who called.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallerSlot(pub(crate) std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let app_id = resolve(app, value, false).map_err(|failure| {
            tracing::debug!(?failure, "REST call rejected by authentication");
            failure.api_error(app)
        })?;
        if let Some(slot) = parts.extensions.get::<CallerSlot>()
            && let Ok(mut caller) = slot.0.lock()
        {
            *caller = Some(app_id.clone());
        }

        Ok(Self { app_id })
    }
}
