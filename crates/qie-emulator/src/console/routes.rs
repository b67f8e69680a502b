//! HTTP and WebSocket routes of the console.
//!
//! | Route | What |
//! | --- | --- |
//! | `GET /` | the page |
//! | `GET /_emulator/console/assets/{name}` | its scripts, style sheet and icon |
//! | `GET /_emulator/console/state` | bots and conversations (no secrets) |
//! | `GET /_emulator/console/feed` | WebSocket: timeline, inspector events, sessions |
//! | `POST /_emulator/console/upload` | a PNG, JPEG, GIF or WebP a user is about to send |
//! | `GET /_emulator/console/files/{id}` | such an upload (the attachment URL bots download) |
//! | `GET /_emulator/console/media/{file_info}` | bytes a bot uploaded as rich media |

use std::collections::HashMap;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::view::{entry_json, inspect_json, sessions_json, world_view};
use super::{FeedItem, MediaSource, UploadedFile, assets, files};
use crate::respond::json_response;
use crate::state::App;

/// Largest picture a user can send through the console.
const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;
/// How often an open page gets the sessions even when nothing changed (heartbeat ages).
const SESSIONS_EVERY: Duration = Duration::from_secs(1);

/// Router of the page at `/`.
pub(crate) fn page_router() -> Router<App> {
    Router::new().route("/", get(page))
}

/// Router of the console's data, nested under `/_emulator`.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/console/assets/{name}", get(asset))
        .route("/console/state", get(state))
        .route("/console/feed", get(feed))
        .route(
            "/console/upload",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/console/files/{id}", get(uploaded_file))
        .route("/console/media/{file_info}", get(media))
}

/// Headers every console response carries.
fn harden(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

fn text_response(content_type: &'static str, body: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    harden(&mut response);

    response
}

fn not_found(what: &str) -> Response {
    let mut response = json_response(
        StatusCode::NOT_FOUND,
        &json!({"error": format!("{what} not found"), "kind": "not_found"}),
    );
    harden(&mut response);

    response
}

async fn page() -> Response {
    let mut response = text_response("text/html; charset=utf-8", assets::INDEX_HTML);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(assets::PAGE_CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));

    response
}

async fn asset(Path(name): Path<String>) -> Response {
    match assets::find(&name) {
        Some(asset) => text_response(asset.content_type, asset.body),
        None => not_found(&format!("console file {name:?}")),
    }
}

async fn state(State(app): State<App>) -> Response {
    let mut view = {
        let mut inner = app.lock();
        world_view(&mut inner)
    };
    view["hello_interval_ms"] =
        json!(u64::try_from(app.config.hello_interval.as_millis()).unwrap_or(u64::MAX));
    view["base_url"] = json!(app.base_url());
    let mut response = json_response(StatusCode::OK, &view);
    harden(&mut response);

    response
}

/// Serves bytes as a download or, for the four picture types, inline; never as a page.
fn bytes_response(bytes: Bytes, content_type: Option<&'static str>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    match content_type {
        Some(content_type) => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        None => {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment"),
            );
        }
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    harden(&mut response);

    response
}

fn bad_request(message: &str) -> Response {
    let mut response = json_response(
        StatusCode::BAD_REQUEST,
        &json!({"error": message, "kind": "invalid_request"}),
    );
    harden(&mut response);

    response
}

/// Keeps a picture and returns the attachment object a user message carries.
///
/// Query: `filename`, `width`, `height` (pixels, measured by the page). The body is the file.
async fn upload(
    State(app): State<App>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let Some(content_type) = files::sniff_image(&body) else {
        return bad_request("the file is not a PNG, JPEG, GIF or WebP picture; pick one of those");
    };
    let dimension = |name: &str| {
        query
            .get(name)
            .and_then(|value| value.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let size = body.len();
    let id = app.console.store_upload(UploadedFile {
        content_type,
        bytes: body,
    });
    let filename = query
        .get("filename")
        .map(|name| {
            name.chars()
                .filter(|character| !character.is_control() && !matches!(character, '/' | '\\'))
                .take(100)
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| format!("{id}.{}", files::extension(content_type)));
    // The bot downloads the picture from the address the page reached the emulator at.
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map_or_else(|| app.local_addr.to_string(), str::to_owned);
    // NOTE: the platform gives guild attachments URLs without a scheme
    // (`gchat.qpic.cn/…`); console uploads always carry `http://` so any bot can fetch them.
    let attachment = json!({
        "content_type": content_type,
        "filename": filename,
        "height": dimension("height"),
        "width": dimension("width"),
        "size": size,
        "url": format!("http://{host}{}/console/files/{id}", crate::CONTROL_PREFIX),
    });
    let mut response = json_response(StatusCode::OK, &attachment);
    harden(&mut response);

    response
}

async fn uploaded_file(State(app): State<App>, Path(id): Path<String>) -> Response {
    match app.console.upload(&id) {
        Some(file) => bytes_response(file.bytes, Some(file.content_type)),
        None => not_found(&format!("uploaded file {id:?}")),
    }
}

async fn media(State(app): State<App>, Path(file_info): Path<String>) -> Response {
    match app.console.media(&file_info).map(|media| media.source) {
        Some(MediaSource::Bytes(bytes)) => {
            let content_type = files::sniff_image(&bytes);
            bytes_response(bytes, content_type)
        }
        Some(MediaSource::Url(_) | MediaSource::Omitted) | None => {
            not_found(&format!("media bytes of file_info {file_info:?}"))
        }
    }
}

async fn feed(State(app): State<App>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    // Browsers let any site open a WebSocket to 127.0.0.1; only the console's own page may read
    // the feed. Clients that send no Origin (tests, scripts) are not browsers and are let in.
    if let Some(origin) = cross_site_origin(&headers) {
        tracing::info!(origin, "console feed rejected for a page of another origin");
        let mut response = json_response(
            StatusCode::FORBIDDEN,
            &json!({
                "error": format!("the console feed is only for the console page, not for {origin}"),
                "kind": "forbidden",
            }),
        );
        harden(&mut response);
        return response;
    }

    upgrade.on_upgrade(move |socket| stream_feed(app, socket))
}

/// Returns the `Origin` of a request from a page whose host differs from the requested `Host`.
pub(crate) fn cross_site_origin(headers: &HeaderMap) -> Option<String> {
    let origin = headers.get(header::ORIGIN)?.to_str().unwrap_or("invalid");
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .unwrap_or_default();
    if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
        return None;
    }

    Some(origin.to_owned())
}

/// Builds the `hello` message: the whole timeline, recent inspector events and the sessions.
fn hello(app: &App) -> (String, tokio::sync::broadcast::Receiver<FeedItem>) {
    let inner = app.lock();
    let (timeline, inspector, receiver) = app.console.snapshot();
    let timeline: Vec<Value> = timeline
        .iter()
        .filter_map(|entry| entry_json(&inner, &app.console, entry))
        .collect();
    let inspector: Vec<Value> = inspector.iter().map(|event| inspect_json(event)).collect();
    let sessions = sessions_json(&inner, &app.console, app.config.resume_window);
    drop(inner);
    let message = json!({
        "type": "hello",
        "timeline": timeline,
        "inspector": inspector,
        "sessions": sessions["sessions"],
    });

    (message.to_string(), receiver)
}

fn render_item(app: &App, item: &FeedItem) -> Option<String> {
    let value = match item {
        FeedItem::Entry(entry) => {
            let inner = app.lock();
            json!({"type": "entry", "entry": entry_json(&inner, &app.console, entry)?})
        }
        FeedItem::Inspect(event) => inspect_json(event),
    };

    Some(value.to_string())
}

fn sessions_message(app: &App) -> String {
    let inner = app.lock();

    sessions_json(&inner, &app.console, app.config.resume_window).to_string()
}

/// Sends the snapshot, then every new entry and inspector event, and the sessions whenever they
/// change and once a second. The page may ask for a fresh snapshot with `{"type":"snapshot"}`.
async fn stream_feed(app: App, mut socket: WebSocket) {
    let (message, mut items) = hello(&app);
    if socket.send(Message::Text(message.into())).await.is_err() {
        return;
    }
    let mut ticker = tokio::time::interval(SESSIONS_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

    loop {
        let outgoing = tokio::select! {
            item = items.recv() => match item {
                Ok(item) => render_item(&app, &item),
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "console feed lagged, sending a fresh snapshot");
                    let (message, receiver) = hello(&app);
                    items = receiver;
                    Some(message)
                }
                Err(RecvError::Closed) => return,
            },
            () = app.session_notify.notified() => Some(sessions_message(&app)),
            _ = ticker.tick() => Some(sessions_message(&app)),
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let request: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
                    if request["type"] != "snapshot" {
                        continue;
                    }
                    let (message, receiver) = hello(&app);
                    items = receiver;
                    Some(message)
                }
                Some(Ok(_)) => None,
                Some(Err(_)) | None => return,
            },
        };
        if let Some(text) = outgoing
            && socket.send(Message::Text(text.into())).await.is_err()
        {
            return;
        }
    }
}
