//! Redirects are never followed: neither the AppSecret in the token request body nor the
//! platform's trust go to the `Location` host.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use common::{config, serve};
use qie_http::Client;
use qie_model::id::AppId;
use qie_model::secret::AppSecret;

const SECRET: &str = "RedirectedSecret42";

type Requests = Arc<Mutex<Vec<String>>>;

/// Serves a host that records every request it gets and answers like the platform would.
async fn other_host(requests: Requests) -> String {
    serve(Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let requests = Arc::clone(&requests);
            async move {
                requests.lock().unwrap().push(format!(
                    "{method} {uri} {headers:?} {}",
                    String::from_utf8_lossy(&body)
                ));
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"access_token":"other-token","expires_in":"7200","url":"ws://127.0.0.1:9/","shards":1,"session_start_limit":{"total":1,"remaining":1,"reset_after":1,"max_concurrency":1}}"#,
                )
            }
        },
    ))
    .await
}

/// Serves a platform that redirects the token request (or, with `token_ok`, every API request)
/// to `target` with `status`.
async fn redirecting_platform(target: String, status: StatusCode, token_ok: bool) -> String {
    serve(Router::new().fallback(move |uri: Uri| {
        let location = format!("{target}{}", uri.path());
        async move {
            if token_ok && uri.path().ends_with("/app/getAppAccessToken") {
                return (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"access_token":"platform-token","expires_in":"7200"}"#,
                )
                    .into_response();
            }
            (status, [(header::LOCATION, location)]).into_response()
        }
    }))
    .await
}

async fn assert_not_followed(status: StatusCode, token_ok: bool) {
    let requests = Requests::default();
    let target = other_host(Arc::clone(&requests)).await;
    let base = redirecting_platform(target, status, token_ok).await;
    let client = Client::builder(AppId::new("102000001"), AppSecret::new(SECRET))
        .config(config(&base))
        .retry_policy(qie_http::RetryPolicy::none())
        .build()
        .unwrap();

    let result = client.get_gateway_bot().await;

    assert!(
        result.is_err(),
        "{status}: the other host's answer was taken: {result:?}"
    );
    let requests = requests.lock().unwrap();
    assert!(
        requests.is_empty(),
        "{status}: redirect followed: {requests:?}"
    );
}

#[tokio::test]
async fn token_request_redirects_are_not_followed() {
    for status in [
        StatusCode::MOVED_PERMANENTLY,
        StatusCode::FOUND,
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        assert_not_followed(status, false).await;
    }
}

#[tokio::test]
async fn api_request_redirects_are_not_followed() {
    for status in [
        StatusCode::FOUND,
        StatusCode::SEE_OTHER,
        StatusCode::TEMPORARY_REDIRECT,
    ] {
        assert_not_followed(status, true).await;
    }
}
