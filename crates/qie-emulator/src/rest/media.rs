//! Rich-media upload for groups and C2C: `…/files` (URL, base64 `file_data`, `upload_id`) and
//! chunked upload (`…/upload_prepare`, `PUT` of each part, `…/upload_part_finish`).
//!
//! The emulator never downloads a `url`; it records it and returns an opaque `file_info`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use base64::Engine;
use md5::{Digest, Md5};
use serde_json::{Value, json};

use super::reply::{ReplyHandles, SceneKind, check_proactive, record_sent, sent_from_body};
use super::v2::resolve;
use crate::auth::Caller;
use crate::clock::now_rfc3339;
use crate::console::MediaSource;
use crate::respond::{ApiError, ApiResult, ok, parse_json};
use crate::state::App;
use crate::store::{MediaFile, Upload, UploadPart};

/// Largest file accepted (platform hard limit, 200 MB).
const MAX_FILE_SIZE: u64 = 200 * 1024 * 1024;

pub(super) fn router() -> Router<App> {
    Router::new()
        .route("/v2/groups/{group_openid}/files", post(group_files))
        .route("/v2/users/{openid}/files", post(c2c_files))
        .route(
            "/v2/groups/{group_openid}/upload_prepare",
            post(group_prepare),
        )
        .route("/v2/users/{openid}/upload_prepare", post(c2c_prepare))
        .route(
            "/v2/groups/{group_openid}/upload_part_finish",
            post(group_part_finish),
        )
        .route(
            "/v2/users/{openid}/upload_part_finish",
            post(c2c_part_finish),
        )
}

/// Router of the presigned part URLs (no QQ authentication, like object storage).
pub(crate) fn cos_router() -> Router<App> {
    Router::new().route("/cos/{upload_id}/{index}", put(put_part))
}

fn scene_name(scene: SceneKind) -> &'static str {
    if scene == SceneKind::Group {
        "group"
    } else {
        "c2c"
    }
}

fn hex_md5(bytes: &[u8]) -> String {
    use std::fmt::Write;

    Md5::digest(bytes)
        .iter()
        .fold(String::with_capacity(32), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Reads an integer sent as a JSON number or a string of digits.
fn flexible_u64(value: Option<&Value>) -> Option<u64> {
    let value = value?;
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|text| text.parse().ok()))
}

async fn group_files(
    State(app): State<App>,
    caller: Caller,
    headers: HeaderMap,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    files(
        &app,
        &caller.app_id,
        SceneKind::Group,
        &openid,
        &headers,
        &body,
    )
}

async fn c2c_files(
    State(app): State<App>,
    caller: Caller,
    headers: HeaderMap,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    files(
        &app,
        &caller.app_id,
        SceneKind::C2c,
        &openid,
        &headers,
        &body,
    )
}

fn host(app: &App, headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map_or_else(|| app.local_addr.to_string(), str::to_owned)
}

fn files(
    app: &App,
    app_id: &str,
    scene: SceneKind,
    openid: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult {
    let body = parse_json(body)?;
    let mut inner = app.lock();
    let target = resolve(&mut inner, app_id, scene, openid)?;

    let file_type = flexible_u64(body.get("file_type")).unwrap_or(0);
    if !(1..=4).contains(&file_type) {
        return Err(ApiError::bad_request(
            850_019,
            format!("file_type {file_type} is not 1 (image), 2 (video), 3 (voice) or 4 (file)"),
        ));
    }
    let rate_key = format!("files:{app_id}");
    let now = tokio::time::Instant::now();
    if !inner
        .store
        .windows
        .hit(&rate_key, 50, std::time::Duration::from_secs(1), now)
    {
        return Err(ApiError::rate_limited(22009, "msg limit exceed"));
    }

    let upload_id = body
        .get("upload_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty());
    let url = body
        .get("url")
        .and_then(Value::as_str)
        .filter(|url| !url.is_empty());
    let file_data = body
        .get("file_data")
        .and_then(Value::as_str)
        .filter(|data| !data.is_empty());
    let mut raw_url = None;
    let source;
    if let Some(upload_id) = upload_id {
        let upload = inner
            .store
            .uploads
            .get(upload_id)
            .filter(|upload| {
                upload.app_id == app_id
                    && upload.scene == scene_name(scene)
                    && upload.target == openid
            })
            .ok_or_else(|| {
                ApiError::invalid_body(format!(
                    "upload_id {upload_id:?} is unknown for this target"
                ))
            })?;
        if upload.parts.iter().any(|part| !part.finished) {
            return Err(ApiError::bad_request(
                40_093_001,
                "not every part was finished; retry later",
            ));
        }
        let mut whole = Vec::with_capacity(usize::try_from(upload.file_size).unwrap_or(0));
        for part in &upload.parts {
            whole.extend_from_slice(part.data.as_deref().unwrap_or_default());
        }
        if hex_md5(&whole) != upload.md5.to_ascii_lowercase() {
            return Err(ApiError::bad_request(
                850_019,
                "merged file does not match the md5 given to upload_prepare",
            ));
        }
        if file_type <= 3 {
            raw_url = Some(format!("http://{}/cos/raw/{upload_id}", host(app, headers)));
        }
        inner.store.uploads.remove(upload_id);
        source = MediaSource::Bytes(whole.into());
    } else if let Some(url) = url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ApiError::invalid_body(format!(
                "url {url:?} is not an http(s) URL"
            )));
        }
        source = MediaSource::Url(url.to_owned());
    } else if let Some(data) = file_data {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|error| {
                ApiError::invalid_body(format!("file_data is not valid base64: {error}"))
            })?;
        source = MediaSource::Bytes(bytes.into());
    } else {
        return Err(ApiError::invalid_body(
            "one of url, file_data or upload_id is required",
        ));
    }

    let srv_send_msg = body
        .get("srv_send_msg")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let file_info = format!("{}==", inner.ids.alnum(56));
    let file_uuid = inner.ids.alnum(24);
    inner.store.files.insert(
        file_info.clone(),
        MediaFile {
            app_id: app_id.to_owned(),
            scene: scene_name(scene),
        },
    );
    app.console.record_media(&file_info, file_type, source);
    let mut response = json!({"file_uuid": file_uuid, "file_info": file_info, "ttl": 86_400});
    if let Some(raw_url) = raw_url {
        response["raw_url"] = json!(raw_url);
    }

    if srv_send_msg {
        // The platform counts a direct send as a proactive message.
        check_proactive(app, &mut inner, app_id, scene, &target.key, target.opted_in)?;
        let id = inner.ids.robot_message_id();
        let send_body = json!({"msg_type": 7, "media": {"file_info": file_info}});
        let sent = sent_from_body(
            app_id,
            target.conversation,
            id.clone(),
            now_rfc3339(),
            &send_body,
            &ReplyHandles::default(),
        );
        record_sent(app, &mut inner, sent);
        response["id"] = json!(id);
    }

    Ok(ok(&response))
}

async fn group_prepare(
    State(app): State<App>,
    caller: Caller,
    headers: HeaderMap,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    prepare(
        &app,
        &caller.app_id,
        SceneKind::Group,
        &openid,
        &headers,
        &body,
    )
}

async fn c2c_prepare(
    State(app): State<App>,
    caller: Caller,
    headers: HeaderMap,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    prepare(
        &app,
        &caller.app_id,
        SceneKind::C2c,
        &openid,
        &headers,
        &body,
    )
}

fn prepare(
    app: &App,
    app_id: &str,
    scene: SceneKind,
    openid: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult {
    let body = parse_json(body)?;
    let mut inner = app.lock();
    resolve(&mut inner, app_id, scene, openid)?;
    if !inner.store.windows.hit(
        &format!("prepare:{app_id}"),
        10,
        std::time::Duration::from_secs(1),
        tokio::time::Instant::now(),
    ) {
        return Err(ApiError::rate_limited(22009, "msg limit exceed"));
    }

    let file_type = flexible_u64(body.get("file_type")).unwrap_or(0);
    if !(1..=4).contains(&file_type) {
        return Err(ApiError::bad_request(
            850_019,
            format!("file_type {file_type} is not 1, 2, 3 or 4"),
        ));
    }
    let file_name = body
        .get("file_name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if file_name.is_empty() {
        return Err(ApiError::invalid_body("file_name is required"));
    }
    let file_size = flexible_u64(body.get("file_size")).unwrap_or(0);
    if file_size == 0 {
        return Err(ApiError::invalid_body(
            "file_size must be a positive integer (bytes)",
        ));
    }
    if file_size > MAX_FILE_SIZE {
        return Err(ApiError::bad_request(
            850_031,
            format!("file_size {file_size} exceeds 200 MB"),
        ));
    }
    let md5 = body
        .get("md5")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let sha1 = body.get("sha1").and_then(Value::as_str).unwrap_or_default();
    let md5_10m = body
        .get("md5_10m")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !is_hex(&md5, 32) || !is_hex(sha1, 40) || !is_hex(md5_10m, 32) {
        return Err(ApiError::invalid_body(
            "md5 and md5_10m must be 32 hex digits and sha1 40 hex digits",
        ));
    }

    let block_size = app.config.upload_block_size.max(1);
    let part_count = file_size.div_ceil(block_size);
    let upload_id = inner.ids.alnum(32);
    let base = app.config.part_index_base;
    let host = host(app, headers);
    let parts: Vec<Value> = (0..part_count)
        .map(|index| {
            let length = block_size.min(file_size - index * block_size);
            let number = u64::from(base) + index;
            json!({
                "index": number,
                "presigned_url": format!("http://{host}/cos/{upload_id}/{number}"),
                "block_size": length.to_string(),
            })
        })
        .collect();
    inner.store.uploads.insert(
        upload_id.clone(),
        Upload {
            app_id: app_id.to_owned(),
            scene: scene_name(scene),
            target: openid.to_owned(),
            file_size,
            md5,
            block_size,
            parts: vec![UploadPart::default(); usize::try_from(part_count).unwrap_or(0)],
        },
    );
    tracing::debug!(
        app_id,
        upload_id,
        part_count,
        file_type,
        file_name,
        "chunked upload prepared"
    );

    Ok(ok(&json!({
        "upload_id": upload_id,
        "block_size": block_size.to_string(),
        "parts": parts,
        "upload_config": {"concurrency": 1, "retry_timeout": 300, "retry_delay": 1},
        "concurrency": 1,
        "retry_timeout": 300,
    })))
}

/// Position of a part from its issued index.
fn part_position(app: &App, index: u64) -> Option<usize> {
    index
        .checked_sub(u64::from(app.config.part_index_base))
        .and_then(|position| usize::try_from(position).ok())
}

async fn put_part(
    State(app): State<App>,
    Path((upload_id, index)): Path<(String, u64)>,
    body: Bytes,
) -> Response {
    let mut inner = app.lock();
    let position = part_position(&app, index);
    let Some(part) = inner
        .store
        .uploads
        .get_mut(&upload_id)
        .and_then(|upload| position.and_then(|position| upload.parts.get_mut(position)))
    else {
        tracing::debug!(upload_id, index, "PUT of an unknown upload part");
        return StatusCode::NOT_FOUND.into_response();
    };
    part.data = Some(body.to_vec());
    tracing::debug!(upload_id, index, bytes = body.len(), "upload part stored");

    StatusCode::OK.into_response()
}

async fn group_part_finish(
    State(app): State<App>,
    caller: Caller,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    part_finish(&app, &caller.app_id, SceneKind::Group, &openid, &body)
}

async fn c2c_part_finish(
    State(app): State<App>,
    caller: Caller,
    Path(openid): Path<String>,
    body: Bytes,
) -> ApiResult {
    part_finish(&app, &caller.app_id, SceneKind::C2c, &openid, &body)
}

fn part_finish(app: &App, app_id: &str, scene: SceneKind, openid: &str, body: &[u8]) -> ApiResult {
    let body = parse_json(body)?;
    let mut inner = app.lock();
    resolve(&mut inner, app_id, scene, openid)?;

    let upload_id = body
        .get("upload_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let index = flexible_u64(body.get("part_index"))
        .ok_or_else(|| ApiError::invalid_body("part_index must be an integer"))?;
    let block_size = flexible_u64(body.get("block_size"));
    let md5 = body
        .get("md5")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let position = part_position(app, index);

    let upload = inner
        .store
        .uploads
        .get_mut(upload_id)
        .filter(|upload| upload.app_id == app_id && upload.target == openid)
        .ok_or_else(|| {
            ApiError::invalid_body(format!(
                "upload_id {upload_id:?} is unknown for this target"
            ))
        })?;
    let expected_len = position.map(|position| {
        let start = u64::try_from(position).unwrap_or(0) * upload.block_size;
        upload
            .block_size
            .min(upload.file_size.saturating_sub(start))
    });
    let part = position
        .and_then(|position| upload.parts.get_mut(position))
        .ok_or_else(|| {
            ApiError::invalid_body(format!("part_index {index} is not a part of this upload"))
        })?;
    let Some(data) = &part.data else {
        return Err(ApiError::bad_request(
            40_093_001,
            "part has not been uploaded yet; retry",
        ));
    };
    if Some(data.len() as u64) != expected_len
        || block_size.is_some_and(|size| size != data.len() as u64)
    {
        return Err(ApiError::invalid_body(format!(
            "part {index} contains {} bytes, expected {expected_len:?} and block_size {block_size:?}",
            data.len()
        )));
    }
    if hex_md5(data) != md5 {
        return Err(ApiError::invalid_body(format!(
            "md5 of part {index} does not match the uploaded bytes"
        )));
    }
    part.finished = true;

    Ok(ok(&json!({})))
}
