//! The client against a scripted HTTP server on 127.0.0.1: envelopes, retries, token renewal.

#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use qie_miniapp::{
    ApiCode, AppId, AppSecret, Client, ErrorKind, MediaType, OpenId, RetryPolicy, TemplateId,
    Verdict,
};
use serde_json::{Value, json};

/// A request the mock received.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    query: HashMap<String, String>,
    content_type: String,
    body: Bytes,
}

#[derive(Clone)]
struct Scripted {
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
}

fn json_reply(value: Value) -> Scripted {
    #![allow(clippy::needless_pass_by_value)]
    Scripted {
        status: StatusCode::OK,
        content_type: "application/json",
        body: value.to_string().into_bytes(),
    }
}

#[derive(Default)]
struct MockState {
    script: HashMap<String, VecDeque<Scripted>>,
    seen: Vec<Seen>,
}

#[derive(Clone, Default)]
struct Mock {
    state: Arc<Mutex<MockState>>,
}

impl Mock {
    /// Queues answers for a path; the last one repeats.
    fn script(&self, path: &str, replies: impl IntoIterator<Item = Scripted>) {
        self.state
            .lock()
            .unwrap()
            .script
            .insert(path.to_owned(), replies.into_iter().collect());
    }

    fn seen(&self, path: &str) -> Vec<Seen> {
        self.state
            .lock()
            .unwrap()
            .seen
            .iter()
            .filter(|seen| seen.path == path)
            .cloned()
            .collect()
    }

    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = Router::new().fallback(handle).with_state(self.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });

        format!("http://{address}")
    }
}

async fn handle(State(mock): State<Mock>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let query = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = axum::body::to_bytes(request.into_body(), 4 << 20)
        .await
        .unwrap();

    let mut state = mock.state.lock().unwrap();
    state.seen.push(Seen {
        path: path.clone(),
        query,
        content_type,
        body,
    });
    let Some(queue) = state.script.get_mut(&path) else {
        return (StatusCode::NOT_FOUND, "no script").into_response();
    };
    let reply = if queue.len() > 1 {
        queue.pop_front().unwrap()
    } else {
        queue.front().cloned().unwrap()
    };

    (
        reply.status,
        [(header::CONTENT_TYPE, reply.content_type)],
        reply.body,
    )
        .into_response()
}

const TOKEN_PATH: &str = "/api/getToken";

fn client(base_url: &str) -> Client {
    Client::builder(AppId::new("1109816085"), AppSecret::new("the-app-secret"))
        .base_url(base_url)
        .retry(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

fn token_ok(mock: &Mock, token: &str) {
    mock.script(
        TOKEN_PATH,
        [json_reply(
            json!({"access_token": token, "expires_in": 7200}),
        )],
    );
}

#[tokio::test]
async fn code2session_returns_the_session() {
    let mock = Mock::default();
    mock.script(
        "/sns/jscode2session",
        [json_reply(json!({
            "openid": "OPENID1",
            "session_key": "PuP8doVMWusQM567o6BUvQ==",
            "unionid": "UNION1",
            "errcode": 0,
            "errmsg": "ok"
        }))],
    );
    let base = mock.start().await;

    let session = client(&base).code2session("CODE1").await.unwrap();

    assert_eq!(session.openid.as_str(), "OPENID1");
    assert_eq!(session.session_key.expose(), "PuP8doVMWusQM567o6BUvQ==");
    assert_eq!(session.unionid.unwrap().as_str(), "UNION1");
    let seen = mock.seen("/sns/jscode2session");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].query["appid"], "1109816085");
    assert_eq!(seen[0].query["secret"], "the-app-secret");
    assert_eq!(seen[0].query["js_code"], "CODE1");
    assert_eq!(seen[0].query["grant_type"], "authorization_code");
}

#[tokio::test]
async fn session_debug_redacts_the_key() {
    let mock = Mock::default();
    mock.script(
        "/sns/jscode2session",
        [json_reply(
            json!({"openid": "O", "session_key": "c2VjcmV0LWtleS0xMjM0NQ==", "unionid": ""}),
        )],
    );
    let base = mock.start().await;

    let session = client(&base).code2session("C").await.unwrap();

    assert!(session.unionid.is_none());
    assert!(!format!("{session:?}").contains("c2VjcmV0"));
}

#[tokio::test]
async fn invalid_code_is_not_retried() {
    let mock = Mock::default();
    mock.script(
        "/sns/jscode2session",
        [json_reply(
            json!({"errcode": 40029, "errmsg": "invalid code"}),
        )],
    );
    let base = mock.start().await;

    let error = client(&base).code2session("USED").await.unwrap_err();

    assert_eq!(error.api().unwrap().kind(), ApiCode::InvalidCode);
    assert_eq!(error.code(), Some(40029));
    assert_eq!(mock.seen("/sns/jscode2session").len(), 1);
}

#[tokio::test]
async fn system_busy_is_retried() {
    let mock = Mock::default();
    mock.script(
        "/sns/jscode2session",
        [
            json_reply(json!({"errcode": -1, "errmsg": "system busy"})),
            json_reply(json!({"openid": "O", "session_key": "PuP8doVMWusQM567o6BUvQ=="})),
        ],
    );
    let base = mock.start().await;

    let session = client(&base).code2session("C").await.unwrap();

    assert_eq!(session.openid.as_str(), "O");
    assert_eq!(mock.seen("/sns/jscode2session").len(), 2);
}

#[tokio::test]
async fn retries_stop_at_the_limit() {
    let mock = Mock::default();
    mock.script(
        "/sns/jscode2session",
        [json_reply(json!({"errcode": -1, "errmsg": "system busy"}))],
    );
    let base = mock.start().await;

    let error = client(&base).code2session("C").await.unwrap_err();

    assert_eq!(error.api().unwrap().kind(), ApiCode::SystemBusy);
    assert_eq!(mock.seen("/sns/jscode2session").len(), 3);
}

#[tokio::test]
async fn empty_code_is_rejected_before_sending() {
    let mock = Mock::default();
    let base = mock.start().await;

    let error = client(&base).code2session("  ").await.unwrap_err();

    assert!(matches!(error.kind(), ErrorKind::InvalidInput { .. }));
    assert!(mock.seen("/sns/jscode2session").is_empty());
}

#[tokio::test]
async fn token_without_expires_in_is_cached() {
    let mock = Mock::default();
    mock.script(TOKEN_PATH, [json_reply(json!({"access_token": "TOKEN1"}))]);
    let base = mock.start().await;
    let client = client(&base);

    let grant = client.fetch_access_token().await.unwrap();
    assert_eq!(grant.expires_in, Duration::from_secs(7200));

    let first = client.access_token().await.unwrap();
    let second = client.access_token().await.unwrap();
    assert_eq!(first.expose(), "TOKEN1");
    assert_eq!(first, second);
    let seen = mock.seen(TOKEN_PATH);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].query["grant_type"], "client_credential");
    assert_eq!(seen[0].query["appid"], "1109816085");
    assert_eq!(seen[0].query["secret"], "the-app-secret");
}

#[tokio::test]
async fn token_error_is_typed() {
    let mock = Mock::default();
    mock.script(
        TOKEN_PATH,
        [json_reply(
            json!({"errcode": 40013, "errmsg": "invalid appid"}),
        )],
    );
    let base = mock.start().await;

    let error = client(&base).access_token().await.unwrap_err();

    assert_eq!(error.api().unwrap().kind(), ApiCode::InvalidAppId);
    assert_eq!(error.api().unwrap().endpoint(), "getToken");
    assert_eq!(mock.seen(TOKEN_PATH).len(), 1);
}

#[tokio::test]
async fn concurrent_calls_fetch_one_token() {
    let mock = Mock::default();
    token_ok(&mock, "SHARED");
    mock.script(
        "/api/json/security/MsgSecCheck",
        [json_reply(json!({"errCode": 0, "errMsg": "ok"}))],
    );
    let base = mock.start().await;
    let client = client(&base);

    let mut tasks = Vec::new();
    for index in 0..10 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.msg_sec_check(format!("text {index}")).await
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), Verdict::Pass);
    }

    assert_eq!(mock.seen(TOKEN_PATH).len(), 1);
    let checks = mock.seen("/api/json/security/MsgSecCheck");
    assert_eq!(checks.len(), 10);
    assert!(
        checks
            .iter()
            .all(|seen| seen.query["access_token"] == "SHARED")
    );
}

#[tokio::test]
async fn msg_sec_check_reads_camel_case_verdicts() {
    let mock = Mock::default();
    token_ok(&mock, "T");
    mock.script(
        "/api/json/security/MsgSecCheck",
        [
            json_reply(json!({"errCode": 87014, "errMsg": "risky content"})),
            json_reply(json!({"errCode": 0, "errMsg": "ok"})),
            json_reply(json!({"errCode": 44004, "errMsg": "empty content"})),
        ],
    );
    let base = mock.start().await;
    let client = client(&base);

    let risky = client.msg_sec_check("bad words").await.unwrap();
    assert_eq!(
        risky,
        Verdict::Risky {
            message: "risky content".to_owned()
        }
    );
    assert!(risky.is_risky());
    assert_eq!(client.msg_sec_check("hello").await.unwrap(), Verdict::Pass);
    let error = client.msg_sec_check("").await.unwrap_err();
    assert_eq!(error.code(), Some(44004));

    let body: Value =
        serde_json::from_slice(&mock.seen("/api/json/security/MsgSecCheck")[0].body).unwrap();
    assert_eq!(body, json!({"appid": "1109816085", "content": "bad words"}));
}

#[tokio::test]
async fn rejected_token_is_renewed_once() {
    let mock = Mock::default();
    mock.script(
        TOKEN_PATH,
        [
            json_reply(json!({"access_token": "OLD", "expires_in": 7200})),
            json_reply(json!({"access_token": "NEW", "expires_in": 7200})),
        ],
    );
    // A failure body with the bare `code` member, as some security answers have.
    mock.script(
        "/api/json/security/MsgSecCheck",
        [
            json_reply(json!({"code": -1_800_110_107, "message": "token expired"})),
            json_reply(json!({"errCode": 0, "errMsg": "ok"})),
        ],
    );
    let base = mock.start().await;

    let verdict = client(&base).msg_sec_check("hello").await.unwrap();

    assert_eq!(verdict, Verdict::Pass);
    let checks = mock.seen("/api/json/security/MsgSecCheck");
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0].query["access_token"], "OLD");
    assert_eq!(checks[1].query["access_token"], "NEW");
    assert_eq!(mock.seen(TOKEN_PATH).len(), 2);
}

#[tokio::test]
async fn img_sec_check_sends_multipart() {
    let mock = Mock::default();
    token_ok(&mock, "T");
    mock.script(
        "/api/json/security/ImgSecCheck",
        [json_reply(json!({"errCode": 0, "errMsg": "ok"}))],
    );
    let base = mock.start().await;
    let png = b"\x89PNG\r\n\x1a\nfake-image-bytes".to_vec();

    let verdict = client(&base).img_sec_check(png).await.unwrap();

    assert_eq!(verdict, Verdict::Pass);
    let seen = &mock.seen("/api/json/security/ImgSecCheck")[0];
    assert!(seen.content_type.starts_with("multipart/form-data"));
    let body = String::from_utf8_lossy(&seen.body);
    assert!(body.contains("name=\"appid\""));
    assert!(body.contains("1109816085"));
    assert!(body.contains("name=\"media\"; filename=\"image.png\""));
    assert!(body.contains("Content-Type: image/png"));
    assert!(body.contains("fake-image-bytes"));
}

#[tokio::test]
async fn img_sec_check_rejects_unknown_images() {
    let mock = Mock::default();
    let base = mock.start().await;

    let error = client(&base)
        .img_sec_check(b"BM-bitmap".to_vec())
        .await
        .unwrap_err();

    assert!(error.to_string().contains("PNG, JPEG or GIF"));
    assert!(mock.seen(TOKEN_PATH).is_empty());
}

#[tokio::test]
async fn media_check_async_returns_trace_id() {
    let mock = Mock::default();
    token_ok(&mock, "T");
    mock.script(
        "/api/json/security/MediaCheckAsync",
        [json_reply(
            json!({"errCode": 0, "errMsg": "ok", "trace_id": "trace-1"}),
        )],
    );
    let base = mock.start().await;

    let ticket = client(&base)
        .media_check_async("https://example.invalid/a.mp3", MediaType::Audio)
        .await
        .unwrap();

    assert_eq!(ticket.trace_id.as_deref(), Some("trace-1"));
    let body: Value =
        serde_json::from_slice(&mock.seen("/api/json/security/MediaCheckAsync")[0].body).unwrap();
    assert_eq!(body["media_type"], 1);
    assert_eq!(body["media_url"], "https://example.invalid/a.mp3");
}

#[tokio::test]
async fn subscribe_message_body_and_errors() {
    let mock = Mock::default();
    token_ok(&mock, "T");
    mock.script(
        "/api/json/subscribe/SendSubscriptionMessage",
        [
            json_reply(json!({"errcode": 0, "errmsg": "ok"})),
            json_reply(json!({"errcode": 46001, "errmsg": "user not subscribed"})),
        ],
    );
    let base = mock.start().await;
    let client = client(&base);

    client
        .send_subscribe_message(OpenId::new("OPENID1"), TemplateId::new("TEMPLATE1"))
        .page("pages/index/index?from=msg")
        .data("keyword1", "已发货")
        .emphasis_keyword("keyword1.DATA")
        .oac_appid(AppId::new("2000001"))
        .await
        .unwrap();
    let error = client
        .send_subscribe_message(OpenId::new("OPENID1"), TemplateId::new("TEMPLATE1"))
        .await
        .unwrap_err();

    assert_eq!(error.api().unwrap().kind(), ApiCode::NotSubscribed);
    let seen = mock.seen("/api/json/subscribe/SendSubscriptionMessage");
    let body: Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(
        body,
        json!({
            "appid": "1109816085",
            "touser": "OPENID1",
            "template_id": "TEMPLATE1",
            "page": "pages/index/index?from=msg",
            "data": {"keyword1": {"value": "已发货"}},
            "emphasis_keyword": "keyword1.DATA",
            "oac_appid": "2000001"
        })
    );
    assert_eq!(seen[0].content_type, "application/json");
    let second: Value = serde_json::from_slice(&seen[1].body).unwrap();
    assert!(second.get("page").is_none());
    assert!(second.get("data").is_none());
}

#[tokio::test]
async fn mini_code_returns_image_or_error() {
    let mock = Mock::default();
    token_ok(&mock, "T");
    mock.script(
        "/api/json/qqa/CreateMiniCode",
        [
            Scripted {
                status: StatusCode::OK,
                content_type: "image/jpeg",
                body: vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
            },
            json_reply(json!({"errcode": 45029, "errmsg": "quota reached"})),
        ],
    );
    let base = mock.start().await;
    let client = client(&base);

    let code = client
        .create_mini_code()
        .path("pages/item/item?id=1")
        .await
        .unwrap();
    assert_eq!(code.content_type, "image/jpeg");
    assert_eq!(code.image, vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);

    let error = client.create_mini_code().await.unwrap_err();
    assert_eq!(error.api().unwrap().kind(), ApiCode::MiniCodeQuotaExhausted);
    let body: Value =
        serde_json::from_slice(&mock.seen("/api/json/qqa/CreateMiniCode")[0].body).unwrap();
    assert_eq!(
        body,
        json!({"appid": "1109816085", "path": "pages/item/item?id=1"})
    );
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let mock = Mock::default();
    mock.script(
        "/proxy/qq/sns/jscode2session",
        [json_reply(
            json!({"openid": "O", "session_key": "PuP8doVMWusQM567o6BUvQ=="}),
        )],
    );
    let base = mock.start().await;

    let session = client(&format!("{base}/proxy/qq/"))
        .code2session("C")
        .await
        .unwrap();

    assert_eq!(session.openid.as_str(), "O");
}

#[tokio::test]
async fn http_error_without_body_is_a_status_error() {
    let mock = Mock::default();
    mock.script(
        "/sns/jscode2session",
        [Scripted {
            status: StatusCode::BAD_GATEWAY,
            content_type: "text/html",
            body: b"<html>bad gateway</html>".to_vec(),
        }],
    );
    let base = mock.start().await;

    let error = client(&base).code2session("C").await.unwrap_err();

    assert_eq!(
        error.kind(),
        &ErrorKind::Status {
            endpoint: "jscode2session",
            status: 502
        }
    );
    // 502 is transient: three attempts in all.
    assert_eq!(mock.seen("/sns/jscode2session").len(), 3);
}

#[tokio::test]
async fn transport_errors_hide_secrets() {
    // Bind and drop a listener so the port is closed.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);

    let client = Client::builder(AppId::new("1109816085"), AppSecret::new("the-app-secret"))
        .base_url(format!("http://{address}"))
        .retry(RetryPolicy::NONE)
        .build()
        .unwrap();
    let error = client.code2session("CODE-XYZ").await.unwrap_err();

    assert_eq!(
        error.kind(),
        &ErrorKind::Transport {
            endpoint: "jscode2session"
        }
    );
    let mut text = format!("{error} {error:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    assert!(!text.contains("the-app-secret"));
    assert!(!text.contains("CODE-XYZ"));
}

#[tokio::test]
async fn redirects_to_another_host_are_not_followed() {
    let other = Mock::default();
    other.script(
        "/sns/jscode2session",
        [json_reply(json!({
            "openid": "FORGED",
            "session_key": "PuP8doVMWusQM567o6BUvQ==",
            "errcode": 0
        }))],
    );
    let other_base = other.start().await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let redirect = Router::new().fallback(move |request: Request| {
        let location = format!("{other_base}{}", request.uri());
        async move {
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, location)],
            )
        }
    });
    tokio::spawn(async move {
        axum::serve(listener, redirect).await.unwrap();
    });

    let result = client(&format!("http://{address}"))
        .code2session("CODE1")
        .await;

    assert!(result.is_err(), "a 307 must not yield a session");
    assert!(other.seen("/sns/jscode2session").is_empty());
}
