//! The secret and the access token never appear in Debug output (logs: see `logs.rs`).

#![allow(clippy::unwrap_used)]

mod common;

use common::{Log, fixture, json_response, platform};
use qie_http::{Client, HttpConfig, TokenSource};
use qie_model::id::AppId;
use qie_model::secret::AppSecret;

const SECRET: &str = "ExampleBotSecret01";

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
async fn debug_output_redacts_secret_and_token() {
    let base = platform(Log::default(), |_| {
        json_response(200, fixture("rest.gateway_bot.response.json"))
    })
    .await;
    let client = client(&base);
    client.get_gateway_bot().await.unwrap();
    assert!(
        client.token_source().remaining_validity().is_some(),
        "a token is cached"
    );

    let builder = Client::builder(AppId::new("1"), AppSecret::new(SECRET));
    let source_builder = TokenSource::builder(AppId::new("1"), AppSecret::new(SECRET));
    let source = client.token_source().clone();
    let token = source.token().await.unwrap();

    for (what, text) in [
        ("Client", format!("{client:?} {client:#?}")),
        ("ClientBuilder", format!("{builder:?}")),
        ("HttpConfig", format!("{:?}", HttpConfig::default())),
        ("TokenSource", format!("{source:?} {source:#?}")),
        ("TokenSourceBuilder", format!("{source_builder:?}")),
        ("AccessToken", format!("{token:?}")),
    ] {
        assert_clean(&text, what);
    }
    assert!(
        format!("{client:?}").contains("102000001"),
        "the AppID is shown"
    );
}

#[tokio::test]
async fn token_error_debug_has_no_secret() {
    let base = common::serve(axum::Router::new().route(
        "/app/getAppAccessToken",
        axum::routing::post(|| async {
            json_response(
                200,
                r#"{"code":100016,"message":"invalid appid or secret"}"#,
            )
        }),
    ))
    .await;

    let error = client(&base).token_source().token().await.unwrap_err();

    assert_clean(&format!("{error:?} {error}"), "token error");
}
