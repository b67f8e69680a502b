//! Error responses, timeouts and which requests are retried.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Log, delayed, error_response, fixture, json_response, platform};
use qie_http::reply::ReplyContext;
use qie_http::{BodyKind, ErrorKind};
use qie_model::id::{ChannelId, GroupOpenid, GuildId, MessageId};

const HTML_413: &str = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn html_response(status: u16, body: &str) -> axum::response::Response {
    axum::response::Response::builder()
        .status(status)
        .header("content-type", "text/html")
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap()
}

fn empty_response(status: u16) -> axum::response::Response {
    axum::response::Response::builder()
        .status(status)
        .body(axum::body::Body::empty())
        .unwrap()
}

/// Counts calls and responds to the n-th (1-based) with `answer(n)`.
fn counting(
    answer: impl Fn(usize) -> axum::response::Response + Send + Sync + 'static,
) -> impl Fn(&common::Seen) -> axum::response::Response + Send + Sync + 'static {
    let calls = Arc::new(AtomicUsize::new(0));
    move |_| answer(calls.fetch_add(1, Ordering::SeqCst) + 1)
}

#[tokio::test(start_paused = true)]
async fn html_413_is_a_typed_error() {
    let log = Log::default();
    let base = platform(log.clone(), |_| html_response(413, HTML_413)).await;
    let client = common::client(&base);

    let error = client
        .create_message(ChannelId::new("1"))
        .file_image(vec![0u8; 64], "big.png")
        .await
        .unwrap_err();

    let api = error.api().unwrap();
    assert_eq!(api.status().as_u16(), 413);
    assert_eq!(api.body_kind(), BodyKind::Html);
    assert_eq!(api.message(), Some("413 Request Entity Too Large"));
    assert_eq!(api.code(), None);
    assert!(api.body_excerpt().unwrap().contains("nginx"));
    assert!(error.to_string().contains("HTTP 413"), "{error}");
    assert_eq!(log.all().len(), 1, "a 413 is not retried");
}

#[tokio::test(start_paused = true)]
async fn empty_500_on_get_is_retried_then_typed() {
    let log = Log::default();
    let base = platform(log.clone(), |_| empty_response(500)).await;
    let client = common::client(&base);

    let error = client.get_guild(GuildId::new("1")).await.unwrap_err();

    let api = error.api().unwrap();
    assert_eq!(api.status().as_u16(), 500);
    assert_eq!(api.body_kind(), BodyKind::Empty);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(log.all().len(), 4, "one try and three retries");
}

#[tokio::test(start_paused = true)]
async fn empty_500_on_proactive_post_is_not_retried() {
    let log = Log::default();
    let base = platform(log.clone(), |_| empty_response(500)).await;
    let client = common::client(&base);

    let error = client
        .create_group_message(GroupOpenid::new("G"))
        .content("hi")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(
        log.all().len(),
        1,
        "a send without msg_seq could post twice"
    );
}

#[tokio::test(start_paused = true)]
async fn get_is_retried_until_success() {
    let log = Log::default();
    let base = platform(
        log.clone(),
        counting(|call| {
            if call < 3 {
                empty_response(502)
            } else {
                json_response(200, r#"{"id":"1","name":"guild"}"#)
            }
        }),
    )
    .await;
    let client = common::client(&base);

    let guild = client.get_guild(GuildId::new("1")).await.unwrap();

    assert_eq!(guild.name, "guild");
    assert_eq!(log.all().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn timeout_is_a_typed_error() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        delayed(json_response(200, "{}"), Duration::from_secs(60))
    })
    .await;
    let client = common::client(&base);

    let error = client
        .create_group_message(GroupOpenid::new("G"))
        .content("hi")
        .await
        .unwrap_err();

    let ErrorKind::Timeout { timeout } = error.kind() else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(*timeout, Duration::from_secs(5));
    assert!(error.is_timeout());
    assert!(
        error.to_string().contains("may still have processed"),
        "{error}"
    );
    assert_eq!(
        log.all().len(),
        1,
        "a proactive send is not repeated after a timeout"
    );
}

#[tokio::test(start_paused = true)]
async fn sequenced_send_is_retried_after_500() {
    let log = Log::default();
    let base = platform(
        log.clone(),
        counting(|call| {
            if call == 1 {
                error_response(500, 50_055_001, "send failed, retry later")
            } else {
                json_response(200, fixture("rest.post_group_message.response.json"))
            }
        }),
    )
    .await;
    let client = common::client(&base);
    let context = ReplyContext::group(GroupOpenid::new("G"), MessageId::new("M"));

    let sent = client.reply(&context).content("hi").await.unwrap();

    assert_eq!(sent.msg_seq, Some(1));
    let seqs: Vec<_> = log
        .all()
        .iter()
        .map(|seen| seen.json()["msg_seq"].clone())
        .collect();
    assert_eq!(seqs, [1, 1], "the retry keeps its msg_seq");
}

#[tokio::test(start_paused = true)]
async fn duplicate_after_timeout_is_not_resent() {
    let log = Log::default();
    let base = platform(
        log.clone(),
        counting(|call| {
            if call == 1 {
                // The platform delivers the message, but the response arrives too late.
                delayed(
                    json_response(200, fixture("rest.post_group_message.response.json")),
                    Duration::from_secs(60),
                )
            } else {
                json_response(400, fixture("rest.error.msg_seq_duplicate.response.json"))
            }
        }),
    )
    .await;
    let client = common::client(&base);
    let context = ReplyContext::group(GroupOpenid::new("G"), MessageId::new("M"));

    let error = client.reply(&context).content("hi").await.unwrap_err();

    assert!(
        matches!(error.kind(), ErrorKind::DeliveryUnconfirmed { .. }),
        "{error:?}"
    );
    let seqs: Vec<_> = log
        .all()
        .iter()
        .map(|seen| seen.json()["msg_seq"].clone())
        .collect();
    assert_eq!(seqs, [1, 1], "no third send with a new msg_seq");
    assert_eq!(
        context.replies(),
        1,
        "the reply probably went out, so it stays counted"
    );
}

#[tokio::test(start_paused = true)]
async fn connection_refused_is_retried_and_typed() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let tokens = TokenReady::start().await;
    let client = qie_http::Client::builder_with_token_source(tokens.source())
        .config(common::config(&base))
        .build()
        .unwrap();

    let error = client
        .create_group_message(GroupOpenid::new("G"))
        .content("hi")
        .await
        .unwrap_err();

    assert!(
        matches!(error.kind(), ErrorKind::Transport { before_send: true }),
        "{error:?}"
    );
}

/// A token endpoint on its own server, for clients whose API host is unreachable.
struct TokenReady {
    base: String,
}

impl TokenReady {
    async fn start() -> Self {
        let base = platform(Log::default(), |_| json_response(404, "{}")).await;
        Self { base }
    }

    fn source(&self) -> qie_http::TokenSource {
        qie_http::TokenSource::builder(
            qie_model::id::AppId::new("1"),
            qie_model::secret::AppSecret::new("s"),
        )
        .config(&common::config(&self.base))
        .build()
        .unwrap()
    }
}

#[tokio::test]
async fn accepted_audit_is_pending_audit() {
    let base = platform(Log::default(), |_| {
        json_response(202, fixture("rest.error.push_audit.response.json"))
    })
    .await;
    let client = common::client(&base);

    let error = client
        .create_message(ChannelId::new("1"))
        .content("hello")
        .await
        .unwrap_err();

    assert!(error.is_pending_audit());
    let ErrorKind::PendingAudit { audit_id, code, .. } = error.kind() else {
        panic!("expected a pending audit, got {error:?}");
    };
    assert_eq!(*code, 304_023);
    assert_eq!(
        audit_id.as_ref().unwrap().as_str(),
        "0e5c3a1b-7d2f-4b8a-9c61-2f4e6a8b0c13"
    );
}

#[tokio::test]
async fn error_body_with_200_is_an_error() {
    let base = platform(Log::default(), |_| {
        json_response(200, fixture("rest.error.response.json"))
    })
    .await;
    let client = common::client(&base);

    let error = client.get_guild(GuildId::new("1")).await.unwrap_err();

    assert_eq!(error.code(), Some(11_264));
    assert_eq!(error.trace_id(), Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(
        error.api().unwrap().message(),
        Some("check guild auth not pass")
    );
}

#[tokio::test]
async fn unexpected_success_body_is_a_parse_error() {
    let base = platform(Log::default(), |_| {
        json_response(200, r#"{"unexpected":true}"#)
    })
    .await;
    let client = common::client(&base);

    let error = client.get_guild(GuildId::new("1")).await.unwrap_err();

    let ErrorKind::Parse {
        status,
        body_excerpt,
        ..
    } = error.kind()
    else {
        panic!("expected a parse error, got {error:?}");
    };
    assert_eq!(status.as_u16(), 200);
    assert!(body_excerpt.contains("unexpected"));
}

#[tokio::test(start_paused = true)]
async fn system_error_is_retried_once() {
    let log = Log::default();
    let base = platform(log.clone(), |_| {
        error_response(500, 11_242, "check token system error")
    })
    .await;
    let client = common::client(&base);

    let error = client
        .create_group_message(GroupOpenid::new("G"))
        .content("hi")
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(11_242));
    assert_eq!(log.all().len(), 2, "retried once, never more");
}

#[tokio::test]
async fn validation_fails_before_sending() {
    let log = Log::default();
    let base = platform(log.clone(), |_| json_response(200, "{}")).await;
    let client = common::client(&base);

    let error = client
        .create_group_message(GroupOpenid::new("G"))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Validation { .. }),
        "{error:?}"
    );

    let error = client.get_guild(GuildId::new("")).await.unwrap_err();
    assert!(error.to_string().contains("guild_id is empty"), "{error}");

    let error = client
        .get_guild_members(GuildId::new("1"))
        .limit(401)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("between 1 and 400"), "{error}");

    assert!(log.all().is_empty());
}
