//! Logs never contain the secret, the access token, or message bodies above trace.
//!
//! One test function on purpose: log capture uses a thread-scoped subscriber, and tests running
//! in parallel threads of one binary would disturb each other's callsite filters.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Log, error_response, fixture, json_response, platform};
use qie_http::Client;
use qie_http::reply::ReplyContext;
use qie_model::id::{AppId, GroupOpenid, MessageId};
use qie_model::secret::AppSecret;
use tracing_subscriber::fmt::MakeWriter;

const SECRET: &str = "ExampleBotSecret01";

/// Collects formatted log lines.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn client(base: &str) -> Client {
    Client::builder(AppId::new("102000001"), AppSecret::new(SECRET))
        .config(common::config(base))
        .build()
        .unwrap()
}

/// Issued tokens look like `token-1`, `token-2` …: none may appear anywhere.
fn assert_clean(text: &str, what: &str) {
    assert!(
        !text.contains(SECRET),
        "{what} contains the secret:\n{text}"
    );
    assert!(
        !text.contains("token-1"),
        "{what} contains an access token:\n{text}"
    );
    assert!(
        !text.contains("token-2"),
        "{what} contains an access token:\n{text}"
    );
}

#[tokio::test]
async fn logs_are_clean() {
    trace_logs_never_contain_secret_or_token().await;
    debug_logs_have_no_message_bodies().await;
}

async fn trace_logs_never_contain_secret_or_token() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let calls = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&calls);
    let base = platform(Log::default(), move |seen| {
        let mut calls = counter.lock().unwrap();
        *calls += 1;
        // The first call rejects the token, so the refetch and replay are logged too.
        if *calls == 1 {
            return error_response(401, 11_244, "token expired");
        }
        if seen.path.ends_with("/messages") {
            return json_response(200, fixture("rest.post_group_message.response.json"));
        }
        json_response(200, fixture("rest.gateway_bot.response.json"))
    })
    .await;
    let client = client(&base);

    client.get_gateway_bot().await.unwrap();
    let context = ReplyContext::group(GroupOpenid::new("G"), MessageId::new("M"));
    client.reply(&context).content("hello").await.unwrap();
    client
        .token_source()
        .invalidate(&client.token_source().token().await.unwrap());

    let logs = captured.text();
    assert_clean(&logs, "trace logs");
    assert!(
        logs.contains("qie_http.request"),
        "request spans are logged:\n{logs}"
    );
    assert!(
        logs.contains("route=/gateway/bot"),
        "the route template is a field:\n{logs}"
    );
    assert!(logs.contains("replaying the request once"), "{logs}");
}

async fn debug_logs_have_no_message_bodies() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let base = platform(Log::default(), |_| {
        json_response(200, fixture("rest.post_group_message.response.json"))
    })
    .await;
    let client = client(&base);
    let context = ReplyContext::group(GroupOpenid::new("G"), MessageId::new("M"));

    client
        .reply(&context)
        .content("a private user message")
        .await
        .unwrap();

    let logs = captured.text();
    assert!(!logs.contains("a private user message"), "{logs}");
    assert!(
        !logs.contains("REFIDX_"),
        "response bodies stay at trace:\n{logs}"
    );
    assert!(logs.contains("request succeeded"), "{logs}");
}
