//! A recording HTTP server on 127.0.0.1 for the integration tests.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use qie_http::{Client, HttpConfig, RetryPolicy};
use qie_model::id::AppId;
use qie_model::secret::AppSecret;
use tokio::net::TcpListener;
use tokio::time::Instant;

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Seen {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// Requests recorded by a test server.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    pub fn record(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> usize {
        let mut seen = self.0.lock().unwrap();
        seen.push(Seen {
            method: method.clone(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers: headers.clone(),
            body: body.clone(),
            at: Instant::now(),
        });
        seen.len()
    }

    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    pub fn count(&self, path: &str) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| seen.path == path)
            .count()
    }

    pub fn with_path(&self, path: &str) -> Vec<Seen> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| seen.path == path)
            .cloned()
            .collect()
    }
}

/// Serves `router` on an ephemeral port of 127.0.0.1 and returns its base URL.
pub async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });

    format!("http://{address}")
}

/// A response extension that delays the [`platform`] server's response.
#[derive(Clone, Copy, Debug)]
pub struct Delay(pub Duration);

/// Makes `response` arrive after `delay`.
pub fn delayed(
    mut response: axum::response::Response,
    delay: Duration,
) -> axum::response::Response {
    response.extensions_mut().insert(Delay(delay));
    response
}

/// A handler of every API request of a [`platform`] server.
pub type Handler = Arc<dyn Fn(&Seen) -> axum::response::Response + Send + Sync>;

/// Serves a fake platform. The token endpoint issues tokens `token-1`, `token-2` … valid 7200 s;
/// every other request is recorded in `log` and `handler` builds its response.
pub async fn platform(
    log: Log,
    handler: impl Fn(&Seen) -> axum::response::Response + Send + Sync + 'static,
) -> String {
    let handler: Handler = Arc::new(handler);
    let tokens = Arc::new(std::sync::atomic::AtomicUsize::new(0));

    let router = Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            let handler = Arc::clone(&handler);
            let tokens = Arc::clone(&tokens);
            async move {
                if uri.path().ends_with("/app/getAppAccessToken") {
                    let count = tokens.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    return json_response(
                        200,
                        format!(r#"{{"access_token":"token-{count}","expires_in":"7200"}}"#),
                    );
                }

                log.record(&method, &uri, &headers, &body);
                let seen = log.all().pop().unwrap();
                let response = handler(&seen);
                if let Some(Delay(delay)) = response.extensions().get::<Delay>() {
                    tokio::time::sleep(*delay).await;
                }
                response
            }
        },
    );

    serve(router).await
}

/// Configuration for a test server: no proxies, short timeouts.
pub fn config(base: &str) -> HttpConfig {
    HttpConfig::with_base_url(base)
        .unwrap()
        .use_env_proxy(false)
        .timeout(Duration::from_secs(5))
}

/// Builds a client of AppID `102000001` for a test server.
pub fn client(base: &str) -> Client {
    client_for(base, "102000001")
}

/// Builds a client of `app_id` for a test server, with fast retries.
pub fn client_for(base: &str, app_id: &str) -> Client {
    Client::builder(
        AppId::new(app_id),
        AppSecret::new(format!("secret-of-{app_id}")),
    )
    .config(config(base))
    .retry_policy(
        RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1)),
    )
    .build()
    .unwrap()
}

/// Reads a fixture file of the repository.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Builds a platform error response (HTTP `status`, body with `code`, `err_code`, `trace_id`).
pub fn error_response(status: u16, code: u32, message: &str) -> axum::response::Response {
    json_response(
        status,
        format!(
            r#"{{"message":"{message}","code":{code},"err_code":{code},"trace_id":"0123456789abcdef0123456789abcdef"}}"#
        ),
    )
}

/// Builds a JSON response with the platform's headers.
pub fn json_response(status: u16, body: impl Into<String>) -> axum::response::Response {
    axum::response::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("X-Tps-trace-ID", "0123456789abcdef0123456789abcdef")
        .body(axum::body::Body::from(body.into()))
        .unwrap()
}
