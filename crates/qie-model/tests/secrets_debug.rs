//! `Debug` of every type that carries a secret never shows the secret.

use qie_model::auth::{TokenReply, TokenRequest, TokenResponse};
use qie_model::gateway::{ClientFrame, Identify, Intents, Resume, Shard};
use qie_model::id::AppId;
use qie_model::secret::{AccessToken, AppSecret, GatewayToken, LegacyToken};

const SECRET: &str = "Sup3rSecretValue_8f2c";

fn assert_redacted(label: &str, debug: &str) {
    assert!(!debug.contains(SECRET), "{label} leaks the secret: {debug}");
    assert!(
        debug.contains("redacted"),
        "{label} shows no redaction: {debug}"
    );
}

fn check<T: std::fmt::Debug>(label: &str, value: &T) {
    assert_redacted(label, &format!("{value:?}"));
    assert_redacted(label, &format!("{value:#?}"));
}

#[test]
fn secret_types_redact() {
    check("AppSecret", &AppSecret::new(SECRET));
    check("AccessToken", &AccessToken::new(SECRET));
    check("LegacyToken", &LegacyToken::new(SECRET));
}

#[test]
fn gateway_token_forms_redact() {
    check(
        "GatewayToken::QqBot",
        &GatewayToken::new(AccessToken::new(SECRET)),
    );
    check("GatewayToken::Bare", &GatewayToken::parse(SECRET));
    check(
        "GatewayToken::LegacyBot",
        &GatewayToken::parse(&format!("Bot 102000001.{SECRET}")),
    );
}

#[test]
fn identify_and_resume_redact() {
    let identify = Identify::new(
        GatewayToken::new(AccessToken::new(SECRET)),
        Intents::PUBLIC_BOT,
        Shard::ONE,
    );
    let resume = Resume::new(GatewayToken::new(AccessToken::new(SECRET)), "session", 7);

    check("Identify", &identify);
    check("Resume", &resume);
    check(
        "ClientFrame::Identify",
        &ClientFrame::Identify(identify.clone()),
    );
    check("ClientFrame::Resume", &ClientFrame::Resume(resume.clone()));

    // The wire form still carries the token.
    let wire = serde_json::to_string(&ClientFrame::Identify(identify)).unwrap();
    assert!(wire.contains(&format!("\"QQBot {SECRET}\"")));
}

#[test]
fn parsed_client_frames_redact() {
    let body = format!(r#"{{"op":6,"d":{{"token":"QQBot {SECRET}","session_id":"s","seq":1}}}}"#);
    let frame = ClientFrame::from_slice(body.as_bytes()).unwrap();

    check("parsed Resume", &frame);
}

#[test]
fn token_bodies_redact() {
    let request = TokenRequest::new(AppId::new("102000001"), AppSecret::new(SECRET));
    let response = TokenResponse::new(AccessToken::new(SECRET), 7200);
    let reply = TokenReply::from_slice(
        format!(r#"{{"access_token":"{SECRET}","expires_in":"7200"}}"#).as_bytes(),
    )
    .unwrap();

    check("TokenRequest", &request);
    check("TokenResponse", &response);
    check("TokenReply", &reply);
}

#[test]
fn secret_equality_is_by_value() {
    assert_eq!(AccessToken::new(SECRET), AccessToken::new(SECRET));
    assert_ne!(AccessToken::new(SECRET), AccessToken::new("other"));
    assert_ne!(AppSecret::new(SECRET), AppSecret::new(&SECRET[1..]));
}
