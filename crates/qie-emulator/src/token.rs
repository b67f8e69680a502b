//! The access-token endpoint, `POST /app/getAppAccessToken`.
//!
//! Rules (platform documentation): the body is JSON `{"appId", "clientSecret"}`; the answer is
//! `{"access_token", "expires_in"}` with `expires_in` a string of the remaining seconds; the same
//! token is returned until the last 60 s of its life, then a new one is minted while the old one
//! stays valid until it expires; errors are HTTP 200 with `{"code", "message"}`.

use std::collections::HashMap;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::respond::ok;
use crate::state::App;

/// Path of the token endpoint.
pub const TOKEN_PATH: &str = "/app/getAppAccessToken";

/// A minted token.
#[derive(Debug, Clone)]
pub(crate) struct TokenInfo {
    pub(crate) app_id: String,
    pub(crate) expires_at: Instant,
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Unknown,
    Expired,
}

/// Tokens per bot.
#[derive(Debug, Default)]
pub(crate) struct TokenStore {
    /// Newest token per AppID.
    current: HashMap<String, String>,
    /// Every token minted, current and previous.
    tokens: HashMap<String, TokenInfo>,
}

impl TokenStore {
    /// Returns the token to hand out and its remaining lifetime, minting one when none exists or
    /// the current one is inside its refresh window.
    pub(crate) fn issue(
        &mut self,
        app_id: &str,
        now: Instant,
        lifetime: Duration,
        refresh_window: Duration,
        mint: impl FnOnce() -> String,
    ) -> (String, Duration) {
        if let Some(token) = self.current.get(app_id)
            && let Some(info) = self.tokens.get(token)
        {
            let remaining = info.expires_at.saturating_duration_since(now);
            if remaining > refresh_window {
                return (token.clone(), remaining);
            }
        }

        // Forget tokens that expired long ago so the map stays small.
        self.tokens.retain(|_, info| {
            now.saturating_duration_since(info.expires_at) < lifetime.max(Duration::from_secs(60))
        });

        let token = mint();
        self.tokens.insert(
            token.clone(),
            TokenInfo {
                app_id: app_id.to_owned(),
                expires_at: now + lifetime,
            },
        );
        self.current.insert(app_id.to_owned(), token.clone());

        (token, lifetime)
    }

    /// Returns the AppID of a valid token.
    pub(crate) fn check(&self, token: &str, now: Instant) -> Result<String, TokenProblem> {
        let info = self.tokens.get(token).ok_or(TokenProblem::Unknown)?;
        if info.expires_at <= now {
            return Err(TokenProblem::Expired);
        }

        Ok(info.app_id.clone())
    }

    /// Expires every token of a bot (or one token) now; returns how many were valid.
    pub(crate) fn expire(
        &mut self,
        app_id: Option<&str>,
        token: Option<&str>,
        now: Instant,
    ) -> usize {
        let mut count = 0;
        for (value, info) in &mut self.tokens {
            let matches = token.is_none_or(|wanted| wanted == value)
                && app_id.is_none_or(|wanted| wanted == info.app_id);
            if matches && info.expires_at > now {
                info.expires_at = now;
                count += 1;
            }
        }

        count
    }
}

/// Router of the token endpoint.
pub(crate) fn router() -> Router<App> {
    Router::new().route(TOKEN_PATH, post(get_app_access_token))
}

fn token_error(code: u64, message: &str) -> Response {
    ok(&json!({"code": code, "message": message}))
}

async fn get_app_access_token(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    // The platform answers a body that is not JSON (form-encoded, missing content type) with
    // "appid invalid".
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !is_json {
        return token_error(100_007, "appid invalid");
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&body) else {
        return token_error(100_007, "appid invalid");
    };

    // NOTE: a numeric appId is rejected; the platform documents it as a string and clients send
    // strings.
    let Some(app_id) = fields.get("appId").and_then(Value::as_str) else {
        return token_error(100_007, "appid invalid");
    };
    let secret = fields
        .get("clientSecret")
        .and_then(Value::as_str)
        .unwrap_or_default();

    let mut inner = app.lock();
    let Some(bot) = inner.world.bot(app_id) else {
        tracing::debug!(app_id, "token request for an unknown AppID");
        return token_error(100_007, "appid invalid");
    };
    if bot.secret != secret {
        tracing::debug!(app_id, "token request with a wrong secret");
        return token_error(100_016, "invalid appid or secret");
    }

    let now = Instant::now();
    let inner = &mut *inner;
    let ids = &mut inner.ids;
    let (token, remaining) = inner.tokens.issue(
        app_id,
        now,
        app.config.token_lifetime,
        app.config.token_refresh_window,
        || ids.alnum(48),
    );
    tracing::debug!(
        app_id,
        expires_in = remaining.as_secs(),
        "access token issued"
    );

    // `expires_in` is the remaining lifetime as a string, at least 1 while the token is valid.
    ok(&json!({
        "access_token": token,
        "expires_in": remaining.as_secs().max(1).to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn same_token_until_refresh_window() {
        let mut store = TokenStore::default();
        let lifetime = Duration::from_secs(100);
        let window = Duration::from_secs(10);
        let mut counter = 0;
        let mut mint = || {
            counter += 1;
            format!("t{counter}")
        };

        let (first, remaining) = store.issue("1", Instant::now(), lifetime, window, &mut mint);
        assert_eq!(remaining, lifetime);
        tokio::time::advance(Duration::from_secs(89)).await;
        let (again, remaining) = store.issue("1", Instant::now(), lifetime, window, &mut mint);
        assert_eq!(again, first);
        assert_eq!(remaining, Duration::from_secs(11));

        tokio::time::advance(Duration::from_secs(2)).await;
        let (second, _) = store.issue("1", Instant::now(), lifetime, window, &mut mint);
        assert_ne!(second, first);
        assert_eq!(store.check(&first, Instant::now()), Ok("1".to_owned()));

        tokio::time::advance(Duration::from_secs(9)).await;
        assert_eq!(
            store.check(&first, Instant::now()),
            Err(TokenProblem::Expired)
        );
        assert_eq!(store.check(&second, Instant::now()), Ok("1".to_owned()));
        assert_eq!(
            store.check("nope", Instant::now()),
            Err(TokenProblem::Unknown)
        );
    }
}
