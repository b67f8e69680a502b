//! The `api.q.qq.com` endpoints.
//!
//! Error envelopes as the platform sends them: `errcode`/`errmsg` everywhere except the
//! content-security endpoints, which use `errCode`/`errMsg`. Every response is HTTP 200.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest as _, Multipart, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::state::{LoginProblem, MediaCheck, MiniappMessage, TokenProblem};
use crate::respond::ok;
use crate::state::App;

/// Maximum text size of `MsgSecCheck`: 500 KB.
const MAX_TEXT_BYTES: usize = 500 * 1024;

/// Maximum image size of `ImgSecCheck`: 1 MB.
const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// A 1×1 PNG, the image `CreateMiniCode` returns.
const MINI_CODE_PNG: [u8; 67] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x37, 0x6E, 0xF9,
    0x24, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x01, 0x48, 0xAF, 0xA4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

type Params = Query<HashMap<String, String>>;

/// The two error envelopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Envelope {
    /// `errcode`/`errmsg`.
    Snake,
    /// `errCode`/`errMsg` (content security).
    Camel,
}

fn respond(envelope: Envelope, code: i64, message: &str) -> Response {
    match envelope {
        Envelope::Snake => ok(&json!({"errcode": code, "errmsg": message})),
        Envelope::Camel => ok(&json!({"errCode": code, "errMsg": message})),
    }
}

/// A platform error response.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rejection {
    envelope: Envelope,
    code: i64,
    message: &'static str,
}

fn reject(envelope: Envelope, code: i64, message: &'static str) -> Rejection {
    Rejection {
        envelope,
        code,
        message,
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        respond(self.envelope, self.code, self.message)
    }
}

type Answer = Result<Response, Rejection>;

fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> &'a str {
    params.get(name).map_or("", String::as_str)
}

/// Checks appid and secret.
fn check_credentials(app: &App, appid: &str, secret: &str) -> Result<(), Rejection> {
    let inner = app.lock();
    let Some(record) = inner.miniapp.apps.get(appid) else {
        tracing::debug!(appid, "mini-program call with an unknown appid");
        return Err(reject(Envelope::Snake, 40013, "invalid appid"));
    };
    if record.secret != secret {
        tracing::debug!(appid, "mini-program call with a wrong secret");
        return Err(reject(
            Envelope::Snake,
            40001,
            "invalid secret: AppSecret error or AppSecret does not belong to this appid",
        ));
    }

    Ok(())
}

pub(super) async fn jscode2session(State(app): State<App>, Query(params): Params) -> Answer {
    let appid = param(&params, "appid");
    check_credentials(&app, appid, param(&params, "secret"))?;
    if param(&params, "grant_type") != "authorization_code" {
        return Err(reject(
            Envelope::Snake,
            40002,
            "invalid grant_type: must be authorization_code",
        ));
    }

    let mut inner = app.lock();
    let inner = &mut *inner;
    let seed = inner.world.seed;
    let outcome = inner.miniapp.exchange_code(
        &mut inner.ids,
        seed,
        appid,
        param(&params, "js_code"),
        Instant::now(),
    );

    let login = match outcome {
        Ok(login) => login,
        Err(LoginProblem::InvalidCode) => {
            tracing::debug!(appid, "jscode2session with an invalid code");
            return Err(reject(Envelope::Snake, 40029, "invalid code"));
        }
        Err(LoginProblem::RateLimited) => {
            tracing::info!(appid, "jscode2session over the per-user limit");
            return Err(reject(
                Envelope::Snake,
                45011,
                "api minute-quota reach limit: retry next minute",
            ));
        }
    };
    tracing::debug!(appid, openid = login.openid, "jscode2session succeeded");

    let mut body = json!({
        "errcode": 0,
        "errmsg": "ok",
        "openid": login.openid,
        "session_key": login.session_key,
    });
    if let Some(unionid) = login.unionid {
        body["unionid"] = json!(unionid);
    }

    Ok(ok(&body))
}

pub(super) async fn get_token(State(app): State<App>, Query(params): Params) -> Answer {
    if param(&params, "grant_type") != "client_credential" {
        return Err(reject(
            Envelope::Snake,
            40002,
            "invalid grant_type: must be client_credential",
        ));
    }
    let appid = param(&params, "appid");
    check_credentials(&app, appid, param(&params, "secret"))?;

    let mut inner = app.lock();
    let inner = &mut *inner;
    let token = inner
        .miniapp
        .mint_token(&mut inner.ids, appid, Instant::now());
    tracing::debug!(appid, "mini-program access token issued");

    // The documented success body has no errcode.
    Ok(ok(&json!({
        "access_token": token,
        "expires_in": inner.miniapp.config.token_lifetime.as_secs(),
    })))
}

/// Checks the `access_token` query parameter and returns the token's appid.
fn authorize(
    app: &App,
    params: &HashMap<String, String>,
    envelope: Envelope,
) -> Result<String, Rejection> {
    let token = param(params, "access_token");
    let outcome = app.lock().miniapp.check_token(token, Instant::now());

    outcome.map_err(|problem| {
        tracing::debug!(?problem, "mini-program call with a rejected access token");
        match (envelope, problem) {
            (Envelope::Snake, _) => reject(envelope, 40014, "access_token expired or invalid"),
            (Envelope::Camel, TokenProblem::Unknown) => {
                reject(envelope, -1_800_110_107, "access_token invalid")
            }
            (Envelope::Camel, TokenProblem::Expired) => {
                reject(envelope, -1_800_110_108, "access_token expired")
            }
        }
    })
}

/// Parses a JSON object body; the platform accepts no form-encoded bodies on these endpoints.
fn json_body(
    headers: &HeaderMap,
    body: &[u8],
    envelope: Envelope,
) -> Result<Map<String, Value>, Rejection> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    // NOTE: the platform's code for a non-JSON body is not documented; 40035 ("invalid
    // parameter") is this emulator's choice.
    let invalid = reject(
        envelope,
        40035,
        "invalid args: the body must be a JSON object",
    );
    if !is_json {
        return Err(invalid);
    }

    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(invalid),
    }
}

fn text<'a>(object: &'a Map<String, Value>, name: &str) -> &'a str {
    object.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// Checks that an `appid` in the body names the token's app.
fn check_body_appid(
    object: &Map<String, Value>,
    token_appid: &str,
    envelope: Envelope,
) -> Result<(), Rejection> {
    match object.get("appid").and_then(Value::as_str) {
        Some(appid) if appid != token_appid => Err(reject(
            envelope,
            40013,
            "invalid appid: the appid does not match the access_token",
        )),
        _ => Ok(()),
    }
}

/// Authorizes a JSON call and returns the token's appid and the body.
fn json_call(
    app: &App,
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &[u8],
    envelope: Envelope,
) -> Result<(String, Map<String, Value>), Rejection> {
    let appid = authorize(app, params, envelope)?;
    let object = json_body(headers, body, envelope)?;
    check_body_appid(&object, &appid, envelope)?;

    Ok((appid, object))
}

fn verdict(risky: bool) -> Answer {
    if risky {
        return Err(reject(Envelope::Camel, 87014, "risky content"));
    }

    Ok(respond(Envelope::Camel, 0, "ok"))
}

pub(super) async fn msg_sec_check(
    State(app): State<App>,
    Query(params): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let envelope = Envelope::Camel;
    let (appid, object) = json_call(&app, &params, &headers, &body, envelope)?;

    let content = text(&object, "content");
    if content.is_empty() {
        return Err(reject(envelope, 40035, "invalid args: content is empty"));
    }
    if content.len() > MAX_TEXT_BYTES {
        return Err(reject(
            envelope,
            40035,
            "invalid args: content is over 500 KB",
        ));
    }

    let risky = app
        .lock()
        .miniapp
        .config
        .risky_words
        .iter()
        .any(|word| !word.is_empty() && content.contains(word.as_str()));
    tracing::debug!(appid, risky, "MsgSecCheck");

    verdict(risky)
}

pub(super) async fn img_sec_check(
    State(app): State<App>,
    Query(params): Params,
    request: Request,
) -> Answer {
    let envelope = Envelope::Camel;
    let appid = authorize(&app, &params, envelope)?;
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|_| {
        reject(
            envelope,
            40035,
            "invalid args: the body must be multipart/form-data",
        )
    })?;

    let mut form_appid = None;
    let mut media = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| reject(envelope, 40035, "invalid args: malformed multipart body"))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| reject(envelope, 40035, "invalid args: unreadable form field"))?;
        match name.as_str() {
            "appid" => form_appid = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "media" => media = Some(bytes),
            _ => {}
        }
    }

    if form_appid.as_deref().is_some_and(|value| value != appid) {
        return Err(reject(
            envelope,
            40013,
            "invalid appid: the appid does not match the access_token",
        ));
    }
    let Some(media) = media.filter(|media| !media.is_empty()) else {
        return Err(reject(
            envelope,
            40035,
            "invalid args: the media field is missing",
        ));
    };
    if media.len() > MAX_IMAGE_BYTES {
        return Err(reject(
            envelope,
            40006,
            "invalid media size: the image is over 1 MB",
        ));
    }

    let marker = app.lock().miniapp.config.risky_image_marker.clone();
    let risky = !marker.is_empty()
        && media
            .windows(marker.len())
            .any(|window| window == marker.as_bytes());
    tracing::debug!(appid, bytes = media.len(), risky, "ImgSecCheck");

    verdict(risky)
}

pub(super) async fn media_check_async(
    State(app): State<App>,
    Query(params): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let envelope = Envelope::Camel;
    let (appid, object) = json_call(&app, &params, &headers, &body, envelope)?;

    let media_url = text(&object, "media_url");
    let media_type = object
        .get("media_type")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if !(media_url.starts_with("http://") || media_url.starts_with("https://")) {
        return Err(reject(
            envelope,
            40035,
            "invalid args: media_url must be an http or https URL",
        ));
    }
    if !matches!(media_type, 1 | 2) {
        return Err(reject(
            envelope,
            40035,
            "invalid args: media_type must be 1 (audio) or 2 (image)",
        ));
    }

    let mut inner = app.lock();
    let trace_id = inner.ids.hex_lower(24);
    inner.miniapp.media_checks.push(MediaCheck {
        appid: appid.clone(),
        media_url: media_url.to_owned(),
        media_type,
        trace_id: trace_id.clone(),
    });
    tracing::debug!(appid, media_type, "MediaCheckAsync submitted");

    Ok(ok(
        &json!({"errCode": 0, "errMsg": "ok", "trace_id": trace_id}),
    ))
}

/// Validates and records a subscription or template message.
fn record_message(
    app: &App,
    appid: &str,
    object: &Map<String, Value>,
    kind: &str,
) -> Result<(), Rejection> {
    let envelope = Envelope::Snake;
    let touser = text(object, "touser");
    let template_id = text(object, "template_id");
    if touser.is_empty() {
        return Err(reject(envelope, 40035, "invalid args: touser is missing"));
    }

    let mut inner = app.lock();
    let state = &mut inner.miniapp;
    let keywords = state
        .apps
        .get(appid)
        .and_then(|record| record.templates.get(template_id))
        .copied()
        .ok_or(reject(envelope, 40037, "invalid template_id"))?;
    let data = object
        .get("data")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    if data.as_object().map_or(0, Map::len) != keywords {
        return Err(reject(
            envelope,
            40035,
            "invalid args: data does not match the template's keywords",
        ));
    }

    if kind == "subscription" {
        if let Some(oac_appid) = object.get("oac_appid").and_then(Value::as_str) {
            // No official account is bound to an emulated mini-program.
            tracing::debug!(
                appid,
                oac_appid,
                "subscription message through an unbound official account"
            );
            return Err(reject(
                envelope,
                46005,
                "official account not bound to the mini-program",
            ));
        }

        let key = (appid.to_owned(), touser.to_owned(), template_id.to_owned());
        match state.grants.get_mut(&key) {
            Some(count) if *count > 0 => *count -= 1,
            _ => return Err(reject(envelope, 46001, "user not subscribed")),
        }
    }

    state.messages.push(MiniappMessage {
        kind: kind.to_owned(),
        appid: appid.to_owned(),
        touser: touser.to_owned(),
        template_id: template_id.to_owned(),
        page: object
            .get("page")
            .and_then(Value::as_str)
            .map(str::to_owned),
        data,
        emphasis_keyword: object
            .get("emphasis_keyword")
            .and_then(Value::as_str)
            .map(str::to_owned),
    });
    tracing::debug!(appid, touser, kind, "mini-program message recorded");

    Ok(())
}

pub(super) async fn send_subscription_message(
    State(app): State<App>,
    Query(params): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let (appid, object) = json_call(&app, &params, &headers, &body, Envelope::Snake)?;
    record_message(&app, &appid, &object, "subscription")?;

    Ok(respond(Envelope::Snake, 0, "ok"))
}

pub(super) async fn send_template_message(
    State(app): State<App>,
    Query(params): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let (appid, object) = json_call(&app, &params, &headers, &body, Envelope::Snake)?;
    if text(&object, "form_id").is_empty() {
        return Err(reject(
            Envelope::Snake,
            40035,
            "invalid args: form_id is missing",
        ));
    }
    record_message(&app, &appid, &object, "template")?;

    Ok(respond(Envelope::Snake, 0, "ok"))
}

pub(super) async fn create_mini_code(
    State(app): State<App>,
    Query(params): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let envelope = Envelope::Snake;
    let (appid, object) = json_call(&app, &params, &headers, &body, envelope)?;
    if text(&object, "appid").is_empty() {
        return Err(reject(envelope, 40035, "invalid args: appid is required"));
    }

    let mut inner = app.lock();
    let quota = inner.miniapp.config.mini_code_quota;
    let created = inner.miniapp.mini_codes.entry(appid.clone()).or_insert(0);
    if *created >= quota {
        tracing::info!(appid, quota, "mini-program code quota exhausted");
        return Err(reject(envelope, 45029, "mini code quota reached"));
    }
    *created += 1;
    tracing::debug!(
        appid,
        path = text(&object, "path"),
        "mini-program code created"
    );

    let mut response = Response::new(Body::from(MINI_CODE_PNG.to_vec()));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));

    Ok(response)
}
