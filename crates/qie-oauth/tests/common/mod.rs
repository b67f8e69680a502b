//! Helpers shared by the tests that run against the emulator.

#![allow(dead_code, unreachable_pub)]

use qie_emulator::oauth::world::{
    EXAMPLE_CONNECT_APP_ID, EXAMPLE_CONNECT_APP_KEY, EXAMPLE_CONNECT_REDIRECT_URI,
};
use qie_emulator::{Emulator, EmulatorHandle};
use qie_oauth::{AppKey, Client};

/// The example world's first user, alice.
pub const ALICE: &str = "14400000000000001";

pub async fn emulator() -> EmulatorHandle {
    Emulator::builder().start().await.expect("emulator starts")
}

/// Builds a client of the example app `101000001` pointed at the emulator.
pub fn client(emulator: &EmulatorHandle) -> Client {
    client_for(
        emulator,
        EXAMPLE_CONNECT_APP_ID,
        EXAMPLE_CONNECT_APP_KEY,
        EXAMPLE_CONNECT_REDIRECT_URI,
    )
}

pub fn client_for(
    emulator: &EmulatorHandle,
    app_id: &str,
    app_key: &str,
    redirect_uri: &str,
) -> Client {
    Client::builder(app_id, AppKey::new(app_key), redirect_uri)
        .base_url(emulator.base_url())
        .build()
        .expect("client builds")
}

/// Builds an HTTP client that does not follow redirects.
pub fn browser() -> reqwest::Client {
    // Tests only speak http to 127.0.0.1, but reqwest still needs a TLS provider to build.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client builds")
}

/// Returns the `Location` header of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("redirect has a Location")
        .to_str()
        .expect("Location is text")
        .to_owned()
}

/// Returns a query parameter of a URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(url).expect("absolute URL");
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Opens `authorize_url` like a person would: loads the consent page, picks `user_id` and
/// consents. Returns the redirect target (the callback URL with `code` and `state`).
pub async fn consent(authorize_url: &str, user_id: &str) -> String {
    let http = browser();
    let page = http
        .get(authorize_url)
        .send()
        .await
        .expect("consent page loads");
    assert_eq!(page.status(), 200, "consent page status");
    let html = page.text().await.expect("consent page body");
    assert!(
        html.contains("授权并登录"),
        "consent page has the authorize button"
    );
    assert!(
        html.contains(&format!("value=\"{user_id}\"")),
        "consent page offers {user_id}"
    );

    let url = url::Url::parse(authorize_url).expect("absolute URL");
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url.query_pairs() {
        form.append_pair(&name, &value);
    }
    form.append_pair("user", user_id);
    form.append_pair("action", "allow");
    let mut decision_url = url.clone();
    decision_url.set_query(None);

    let response = http
        .post(decision_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.finish())
        .send()
        .await
        .expect("consent decision is sent");
    assert_eq!(response.status(), 302, "consent redirects");

    location(&response)
}

/// Runs the browser part of a login for `client` and returns the code.
pub async fn code_for(client: &Client, user_id: &str) -> String {
    let target = consent(
        client.authorize_url("test-state").to_url().as_str(),
        user_id,
    )
    .await;
    assert_eq!(query_param(&target, "state").as_deref(), Some("test-state"));

    query_param(&target, "code").expect("callback has a code")
}
