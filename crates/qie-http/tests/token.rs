//! Access-token source: parsing, refresh timing, single flight, refetch on 11244, isolation.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use axum::routing::{get, post};
use common::{Log, json_response, serve};
use qie_http::{ErrorKind, TokenSource};
use qie_model::id::AppId;
use qie_model::secret::AppSecret;

const TOKEN_PATH: &str = "/app/getAppAccessToken";

/// A token endpoint that answers `body(n)` to its n-th request (1-based).
fn token_router(
    log: Log,
    body: impl Fn(usize, &serde_json::Value) -> String + Send + Sync + 'static,
) -> Router {
    let body = Arc::new(body);
    let fetches = Arc::new(AtomicUsize::new(0));

    Router::new().route(
        TOKEN_PATH,
        post(
            move |method: Method, uri: Uri, headers: HeaderMap, bytes: Bytes| {
                let log = log.clone();
                let body = Arc::clone(&body);
                let fetches = Arc::clone(&fetches);
                async move {
                    log.record(&method, &uri, &headers, &bytes);
                    let count = fetches.fetch_add(1, Ordering::SeqCst) + 1;
                    let request: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    // A little latency, so concurrent callers overlap with the fetch.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    json_response(200, body(count, &request))
                }
            },
        ),
    )
}

fn source(base: &str, app_id: &str) -> TokenSource {
    TokenSource::builder(AppId::new(app_id), AppSecret::new("ExampleBotSecret01"))
        .config(&common::config(base))
        .build()
        .unwrap()
}

#[tokio::test]
async fn string_expires_in() {
    let log = Log::default();
    let base = serve(token_router(log.clone(), |_, _| {
        common::fixture("rest.token.response.json")
    }))
    .await;
    let source = source(&base, "102000001");

    let token = source.token().await.unwrap();

    assert_eq!(
        token.expose(),
        "EXAMPLEaccessTOKEN0123456789abcdefGHIJklmnOPQR"
    );
    let remaining = source.remaining_validity().unwrap();
    assert!(remaining > Duration::from_secs(7190), "{remaining:?}");
    assert!(remaining <= Duration::from_secs(7200), "{remaining:?}");

    let request = &log.all()[0];
    assert_eq!(request.header("content-type"), Some("application/json"));
    let expected: serde_json::Value =
        serde_json::from_str(&common::fixture("rest.token.request.json")).unwrap();
    assert_eq!(request.json(), expected);
}

#[tokio::test]
async fn number_expires_in() {
    let base = serve(token_router(Log::default(), |_, _| {
        r#"{"access_token":"numeric","expires_in":3600}"#.to_owned()
    }))
    .await;
    let source = source(&base, "1");

    assert_eq!(source.token().await.unwrap().expose(), "numeric");
    let remaining = source.remaining_validity().unwrap();
    assert!(remaining > Duration::from_secs(3590), "{remaining:?}");
    assert!(remaining <= Duration::from_secs(3600), "{remaining:?}");
}

#[tokio::test]
async fn error_body_with_http_200() {
    let base = serve(token_router(Log::default(), |_, _| {
        common::fixture("rest.token.error.response.json")
    }))
    .await;

    let error = source(&base, "1").token().await.unwrap_err();

    let ErrorKind::Token(token_error) = error.kind() else {
        panic!("expected a token error, got {error:?}");
    };
    assert_eq!(token_error.status.map(|status| status.as_u16()), Some(200));
    assert_eq!(token_error.code, Some(100_007));
    assert_eq!(token_error.message, "appid invalid");
    assert_eq!(error.code(), Some(100_007));
    assert!(error.to_string().contains("100007"), "{error}");
}

#[tokio::test]
async fn missing_expires_in_is_an_error() {
    let base = serve(token_router(Log::default(), |_, _| {
        r#"{"access_token":"x"}"#.to_owned()
    }))
    .await;

    let error = source(&base, "1").token().await.unwrap_err();

    assert!(matches!(error.kind(), ErrorKind::Token(_)), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn refresh_ahead_of_expiry() {
    let log = Log::default();
    let base = serve(token_router(log.clone(), |count, _| {
        format!(r#"{{"access_token":"token-{count}","expires_in":"7200"}}"#)
    }))
    .await;
    let source = source(&base, "1");

    assert_eq!(source.token().await.unwrap().expose(), "token-1");
    let fetched = tokio::time::Instant::now();

    // 56 s before expiry: earlier than the earliest refresh point (50 s ± 5 s).
    tokio::time::sleep_until(fetched + Duration::from_secs(7200 - 56)).await;
    assert_eq!(source.token().await.unwrap().expose(), "token-1");
    assert_eq!(log.count(TOKEN_PATH), 1);

    // 44 s before expiry: past the latest refresh point. The caller gets the still valid token
    // at once while the successor is fetched in the background.
    tokio::time::sleep_until(fetched + Duration::from_secs(7200 - 44)).await;
    assert_eq!(source.token().await.unwrap().expose(), "token-1");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(log.count(TOKEN_PATH), 2);
    assert_eq!(source.token().await.unwrap().expose(), "token-2");

    // The new token is cached again.
    assert_eq!(source.token().await.unwrap().expose(), "token-2");
    assert_eq!(log.count(TOKEN_PATH), 2);
}

#[tokio::test(start_paused = true)]
async fn expired_token_waits_for_fetch() {
    let log = Log::default();
    let base = serve(token_router(log.clone(), |count, _| {
        format!(r#"{{"access_token":"token-{count}","expires_in":"100"}}"#)
    }))
    .await;
    let source = source(&base, "1");

    assert_eq!(source.token().await.unwrap().expose(), "token-1");
    tokio::time::sleep(Duration::from_secs(101)).await;

    assert_eq!(source.token().await.unwrap().expose(), "token-2");
    assert_eq!(log.count(TOKEN_PATH), 2);
}

#[tokio::test(start_paused = true)]
async fn failed_background_refresh_keeps_valid_token() {
    let log = Log::default();
    let base = serve(token_router(log.clone(), |count, _| {
        if count == 1 {
            return r#"{"access_token":"token-1","expires_in":"7200"}"#.to_owned();
        }
        r#"{"code":100001,"message":"Too many requests"}"#.to_owned()
    }))
    .await;
    let source = source(&base, "1");
    assert_eq!(source.token().await.unwrap().expose(), "token-1");

    tokio::time::sleep(Duration::from_secs(7200 - 30)).await;
    for _ in 0..20 {
        assert_eq!(source.token().await.unwrap().expose(), "token-1");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // One background attempt (with its retries of 100001), then a pause: not one per call.
    let fetches = log.count(TOKEN_PATH);
    assert!(fetches <= 1 + 4, "{fetches} token requests in 2 s");
}

#[tokio::test(start_paused = true)]
async fn hundred_concurrent_callers_one_fetch() {
    let log = Log::default();
    let base = serve(token_router(log.clone(), |count, _| {
        format!(r#"{{"access_token":"token-{count}","expires_in":"7200"}}"#)
    }))
    .await;
    let source = source(&base, "1");

    let mut tasks = Vec::new();
    for _ in 0..100 {
        let source = source.clone();
        tasks.push(tokio::spawn(async move { source.token().await }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().expose(), "token-1");
    }

    assert_eq!(log.count(TOKEN_PATH), 1);
}

#[tokio::test(start_paused = true)]
async fn failed_fetch_is_shared_by_waiters() {
    let log = Log::default();
    let base = serve(token_router(log.clone(), |_, _| {
        r#"{"code":100016,"message":"invalid appid or secret"}"#.to_owned()
    }))
    .await;
    let source = source(&base, "1");

    let mut tasks = Vec::new();
    for _ in 0..20 {
        let source = source.clone();
        tasks.push(tokio::spawn(async move { source.token().await }));
    }
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert_eq!(error.code(), Some(100_016));
    }

    assert_eq!(log.count(TOKEN_PATH), 1);
}

/// A server whose `/gateway/bot` answers 11244 while `reject` says so for the given token.
async fn rejecting_server(
    log: Log,
    reject: impl Fn(&str, usize) -> bool + Send + Sync + 'static,
) -> String {
    let reject = Arc::new(reject);
    let api_calls = Arc::new(AtomicUsize::new(0));
    let api_log = log.clone();

    let router = token_router(log, |count, _| {
        format!(r#"{{"access_token":"token-{count}","expires_in":"7200"}}"#)
    })
    .route(
        "/gateway/bot",
        get(move |method: Method, uri: Uri, headers: HeaderMap, bytes: Bytes| {
            let log = api_log.clone();
            let reject = Arc::clone(&reject);
            let api_calls = Arc::clone(&api_calls);
            async move {
                log.record(&method, &uri, &headers, &bytes);
                let call = api_calls.fetch_add(1, Ordering::SeqCst) + 1;
                let authorization = headers
                    .get("authorization")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                if reject(&authorization, call) {
                    return json_response(
                        401,
                        r#"{"message":"token expired","code":11244,"err_code":11244,"trace_id":"0123456789abcdef0123456789abcdef"}"#,
                    );
                }
                json_response(200, common::fixture("rest.gateway_bot.response.json"))
            }
        }),
    );

    serve(router).await
}

#[tokio::test]
async fn rejected_token_is_refetched_and_replayed_once() {
    let log = Log::default();
    let base = rejecting_server(log.clone(), |authorization, _| {
        authorization == "QQBot token-1"
    })
    .await;
    let client = common::client(&base);

    let gateway = client.get_gateway_bot().await.unwrap();

    assert_eq!(gateway.shards, 1);
    assert_eq!(log.count(TOKEN_PATH), 2);
    let calls = log.with_path("/gateway/bot");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].header("authorization"), Some("QQBot token-1"));
    assert_eq!(calls[1].header("authorization"), Some("QQBot token-2"));
    assert_eq!(calls[1].header("x-union-appid"), Some("102000001"));
}

#[tokio::test]
async fn second_rejection_is_returned() {
    let log = Log::default();
    let base = rejecting_server(log.clone(), |_, _| true).await;
    let client = common::client(&base);

    let error = client.get_gateway_bot().await.unwrap_err();

    assert_eq!(error.code(), Some(11_244));
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    assert_eq!(error.trace_id(), Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(log.count(TOKEN_PATH), 2, "exactly one refetch");
    assert_eq!(log.count("/gateway/bot"), 2, "exactly one replay");
}

#[tokio::test]
async fn two_app_ids_never_share_tokens() {
    let log = Log::default();
    let api_log = log.clone();
    let router = token_router(log.clone(), |count, request| {
        let app_id = request["appId"].as_str().unwrap();
        format!(r#"{{"access_token":"token-of-{app_id}-{count}","expires_in":"7200"}}"#)
    })
    .route(
        "/gateway/bot",
        get(
            move |method: Method, uri: Uri, headers: HeaderMap, bytes: Bytes| {
                let log = api_log.clone();
                async move {
                    log.record(&method, &uri, &headers, &bytes);
                    json_response(200, common::fixture("rest.gateway_bot.response.json"))
                }
            },
        ),
    );
    let base = serve(router).await;
    let first = common::client_for(&base, "1001");
    let second = common::client_for(&base, "2002");

    let mut tasks = Vec::new();
    for round in 0..20 {
        let client = if round % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        tasks.push(tokio::spawn(async move { client.get_gateway_bot().await }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }

    let calls = log.with_path("/gateway/bot");
    assert_eq!(calls.len(), 20);
    for call in &calls {
        let app_id = call.header("x-union-appid").unwrap();
        let authorization = call.header("authorization").unwrap();
        assert!(
            authorization.starts_with(&format!("QQBot token-of-{app_id}-")),
            "AppID {app_id} sent {authorization}"
        );
    }
    let tokens = log.with_path(TOKEN_PATH);
    assert_eq!(tokens.len(), 2, "one fetch per AppID");
    let secrets: Vec<_> = tokens
        .iter()
        .map(|seen| seen.json()["clientSecret"].as_str().unwrap().to_owned())
        .collect();
    assert!(secrets.contains(&"secret-of-1001".to_owned()));
    assert!(secrets.contains(&"secret-of-2002".to_owned()));
}

#[tokio::test]
async fn invalidate_forces_a_new_fetch() {
    let log = Log::default();
    let base = serve(token_router(log.clone(), |count, _| {
        format!(r#"{{"access_token":"token-{count}","expires_in":"7200"}}"#)
    }))
    .await;
    let source = source(&base, "1");

    let first = source.token().await.unwrap();
    assert!(source.invalidate(&first));
    assert!(!source.invalidate(&first), "already dropped");

    assert_eq!(source.token().await.unwrap().expose(), "token-2");
    assert_eq!(log.count(TOKEN_PATH), 2);
}
