//! The client and the example backend against the emulator, over real sockets on 127.0.0.1.

#![allow(clippy::unwrap_used)]

#[path = "../examples/miniapp_backend/app.rs"]
#[allow(dead_code)]
mod app;

use qie_emulator::miniapp::{EXAMPLE_APPID, EXAMPLE_SECRET, EXAMPLE_TEMPLATE_ID, MiniApp};
use qie_emulator::{Emulator, EmulatorHandle};
use qie_miniapp::crypto::{UserInfo, verify_signature};
use qie_miniapp::{
    ApiCode, AppId, AppSecret, Client, ErrorKind, OpenId, SessionKey, TemplateId, Verdict,
};
use serde_json::{Value, json};

async fn emulator() -> EmulatorHandle {
    Emulator::builder().start().await.unwrap()
}

fn client(emulator: &EmulatorHandle) -> Client {
    Client::builder(AppId::new(EXAMPLE_APPID), AppSecret::new(EXAMPLE_SECRET))
        .base_url(emulator.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn login_and_open_data_round_trip() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let control = emulator.miniapp();

    let issued = control.login(None, "alice").unwrap();
    let session = client.code2session(&issued.code).await.unwrap();
    assert_eq!(session.openid.as_str(), issued.openid);
    assert_eq!(
        session.unionid.as_ref().map(qie_miniapp::UnionId::as_str),
        issued.unionid.as_deref()
    );
    assert!(session.unionid.is_some());

    let sealed = control.user_info(None, &issued.openid).unwrap();
    verify_signature(&sealed.raw_data, &session.session_key, &sealed.signature).unwrap();
    let user = client
        .decrypt::<UserInfo>(&session.session_key, &sealed.encrypted_data, &sealed.iv)
        .unwrap();
    assert_eq!(user.data.open_id, session.openid);
    assert_eq!(user.data.nick_name, "alice");
    assert_eq!(user.data.union_id, session.unionid);
    assert_eq!(user.watermark.appid.as_str(), EXAMPLE_APPID);
}

#[tokio::test]
async fn login_code_is_single_use() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let issued = emulator.miniapp().login(None, "bob").unwrap();

    client.code2session(&issued.code).await.unwrap();
    let error = client.code2session(&issued.code).await.unwrap_err();

    assert_eq!(error.api().unwrap().kind(), ApiCode::InvalidCode);
    let unknown = client.code2session("never-issued").await.unwrap_err();
    assert_eq!(unknown.code(), Some(40029));
}

#[tokio::test]
async fn wrong_secret_is_rejected() {
    let emulator = emulator().await;
    let client = Client::builder(AppId::new(EXAMPLE_APPID), AppSecret::new("wrong"))
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let issued = emulator.miniapp().login(None, "carol").unwrap();

    let login = client.code2session(&issued.code).await.unwrap_err();
    let token = client.access_token().await.unwrap_err();

    assert_eq!(login.api().unwrap().kind(), ApiCode::InvalidSecret);
    assert_eq!(token.api().unwrap().kind(), ApiCode::InvalidSecret);
}

#[tokio::test]
async fn rotated_session_key_is_a_typed_error() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let control = emulator.miniapp();
    let issued = control.login(None, "dave").unwrap();
    let old = client.code2session(&issued.code).await.unwrap();

    control.rotate_session_key(None, &issued.openid).unwrap();
    let sealed = control.user_info(None, &issued.openid).unwrap();
    let error = client
        .decrypt::<UserInfo>(&old.session_key, &sealed.encrypted_data, &sealed.iv)
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::SessionKeyMismatch);
    assert!(verify_signature(&sealed.raw_data, &old.session_key, &sealed.signature).is_err());

    // A new login returns the new key, which decrypts.
    let again = control.login(None, "dave").unwrap();
    let fresh = client.code2session(&again.code).await.unwrap();
    assert_ne!(fresh.session_key, old.session_key);
    let user = client
        .decrypt::<UserInfo>(&fresh.session_key, &sealed.encrypted_data, &sealed.iv)
        .unwrap();
    assert_eq!(user.data.nick_name, "dave");
}

#[tokio::test]
async fn open_data_of_another_app_is_rejected() {
    let emulator = emulator().await;
    let control = emulator.miniapp();
    control
        .register(MiniApp::new("1100000002", "second-secret"))
        .unwrap();
    let other = Client::builder(AppId::new("1100000002"), AppSecret::new("second-secret"))
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let issued = control.login(Some("1100000002"), "erin").unwrap();
    let session = other.code2session(&issued.code).await.unwrap();
    assert!(session.unionid.is_none());

    let mut payload = serde_json::Map::new();
    payload.insert("openGId".to_owned(), json!("GROUP-7"));
    let sealed = control
        .open_data(Some("1100000002"), &issued.openid, payload)
        .unwrap();

    // The example app's client checks the watermark against its own appid.
    let error = client(&emulator)
        .decrypt::<Value>(&session.session_key, &sealed.encrypted_data, &sealed.iv)
        .unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::WatermarkMismatch {
            expected: AppId::new(EXAMPLE_APPID),
            actual: "1100000002".to_owned(),
        }
    );
}

#[tokio::test]
async fn content_checks_both_branches() {
    let emulator = emulator().await;
    let client = client(&emulator);

    assert_eq!(
        client.msg_sec_check("你好，世界").await.unwrap(),
        Verdict::Pass
    );
    assert!(
        client
            .msg_sec_check("this has qie-risky-text inside")
            .await
            .unwrap()
            .is_risky()
    );

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    assert_eq!(
        client.img_sec_check(png.clone()).await.unwrap(),
        Verdict::Pass
    );
    png.extend_from_slice(b"qie-risky-image");
    assert!(client.img_sec_check(png).await.unwrap().is_risky());

    let ticket = client
        .media_check_async(
            "https://media.example.invalid/a.mp3",
            qie_miniapp::MediaType::Audio,
        )
        .await
        .unwrap();
    let checks = emulator.miniapp().media_checks();
    assert_eq!(checks.len(), 1);
    assert_eq!(
        ticket.trace_id.as_deref(),
        Some(checks[0].trace_id.as_str())
    );
    assert_eq!(checks[0].media_type, 1);
}

#[tokio::test]
async fn expired_token_is_renewed() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let first = client.access_token().await.unwrap();

    assert_eq!(emulator.miniapp().expire_tokens(None), 1);
    // The security endpoint returns errCode -1800110108; the client fetches a new token.
    assert_eq!(client.msg_sec_check("hello").await.unwrap(), Verdict::Pass);

    let second = client.access_token().await.unwrap();
    assert_ne!(first, second);
}

#[tokio::test]
async fn subscription_needs_a_grant() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let control = emulator.miniapp();
    let issued = control.login(None, "frank").unwrap();
    let openid = OpenId::new(&issued.openid);
    let send = || {
        client
            .send_subscribe_message(openid.clone(), TemplateId::new(EXAMPLE_TEMPLATE_ID))
            .page("pages/index/index")
            .data("keyword1", "订单已发货")
            .data("keyword2", "2026-01-01")
    };

    let refused = send().await.unwrap_err();
    assert_eq!(refused.api().unwrap().kind(), ApiCode::NotSubscribed);

    control
        .grant_subscription(None, &issued.openid, EXAMPLE_TEMPLATE_ID, 1)
        .unwrap();
    send().await.unwrap();
    let spent = send().await.unwrap_err();
    assert_eq!(spent.api().unwrap().kind(), ApiCode::NotSubscribed);

    let wrong_template = client
        .send_subscribe_message(openid.clone(), TemplateId::new("unknown"))
        .await
        .unwrap_err();
    assert_eq!(
        wrong_template.api().unwrap().kind(),
        ApiCode::InvalidTemplateId
    );

    let messages = control.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].touser, issued.openid);
    assert_eq!(messages[0].page.as_deref(), Some("pages/index/index"));
    assert_eq!(messages[0].data["keyword1"]["value"], "订单已发货");
}

#[tokio::test]
async fn mini_code_quota() {
    let emulator = emulator().await;
    let client = client(&emulator);
    emulator
        .miniapp()
        .configure(|config| config.mini_code_quota = 2);

    for _ in 0..2 {
        let code = client
            .create_mini_code()
            .path("pages/index/index")
            .await
            .unwrap();
        assert_eq!(code.content_type, "image/png");
        assert!(code.image.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
    let error = client.create_mini_code().await.unwrap_err();

    assert_eq!(error.api().unwrap().kind(), ApiCode::MiniCodeQuotaExhausted);
    assert_eq!(emulator.miniapp().mini_codes_created(None).unwrap(), 2);
}

/// Posts JSON to the example backend and returns the status and body.
async fn post(
    http: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request = http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();

    (status, body)
}

#[tokio::test]
async fn example_backend_login_flow() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = emulator().await;
    let control = emulator.miniapp();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let backend = format!("http://{}", listener.local_addr().unwrap());
    let router = app::router(app::Backend::new(client(&emulator)));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::new();

    // qq.login() on the phone, then the page sends the code to the backend.
    let issued = control.login(None, "grace").unwrap();
    let (status, login) = post(
        &http,
        format!("{backend}/api/login"),
        None,
        json!({"code": issued.code}),
    )
    .await;
    assert_eq!(status, 200, "{login}");
    assert_eq!(login["openid"], issued.openid.as_str());
    let token = login["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);

    // The same code again fails.
    let (status, reused) = post(
        &http,
        format!("{backend}/api/login"),
        None,
        json!({"code": issued.code}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(reused["error"], "invalid_code");

    // qq.getUserInfo() output goes to the backend, which checks and decrypts it.
    let sealed = control.user_info(None, &issued.openid).unwrap();
    let sealed_json = serde_json::to_value(&sealed).unwrap();
    let (status, profile) = post(
        &http,
        format!("{backend}/api/user-info"),
        Some(&token),
        sealed_json.clone(),
    )
    .await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["nickName"], "grace");
    assert_eq!(profile["openid"], issued.openid.as_str());

    // After a key rotation the backend returns session_expired, so the client logs in again.
    control.rotate_session_key(None, &issued.openid).unwrap();
    let rotated = serde_json::to_value(control.user_info(None, &issued.openid).unwrap()).unwrap();
    let (status, expired) = post(
        &http,
        format!("{backend}/api/user-info"),
        Some(&token),
        rotated,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(expired["error"], "session_expired");

    let (status, checked) = post(
        &http,
        format!("{backend}/api/check-text"),
        Some(&token),
        json!({"content": "qie-risky-text"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(checked["risky"], true);

    let (status, _) = post(
        &http,
        format!("{backend}/api/check-text"),
        Some("not-a-token"),
        json!({"content": "hi"}),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn session_key_survives_debug_of_handles() {
    let emulator = emulator().await;
    let issued = emulator.miniapp().login(None, "heidi").unwrap();
    let session = client(&emulator).code2session(&issued.code).await.unwrap();

    let key: &SessionKey = &session.session_key;
    let stored = emulator
        .miniapp()
        .session_key(None, &issued.openid)
        .unwrap();
    assert_eq!(key.expose(), stored);
    assert!(!format!("{session:?}").contains(&stored));
    assert!(!format!("{:?}", emulator.miniapp().apps()).contains(EXAMPLE_SECRET));
}

#[tokio::test]
async fn control_routes_over_http() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = emulator().await;
    let client = client(&emulator);
    let http = reqwest::Client::new();
    let control = format!("{}/miniapp", emulator.control_url());

    let (status, issued) = post(
        &http,
        format!("{control}/login"),
        None,
        json!({"user": "ivan"}),
    )
    .await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["appid"], EXAMPLE_APPID);
    let openid = issued["openid"].as_str().unwrap().to_owned();
    let session = client
        .code2session(issued["code"].as_str().unwrap())
        .await
        .unwrap();

    let (status, sealed) = post(
        &http,
        format!("{control}/open_data"),
        None,
        json!({"openid": openid, "payload": {"openGId": "G1"}}),
    )
    .await;
    assert_eq!(status, 200, "{sealed}");
    let share = client
        .decrypt::<qie_miniapp::crypto::ShareInfo>(
            &session.session_key,
            sealed["encryptedData"].as_str().unwrap(),
            sealed["iv"].as_str().unwrap(),
        )
        .unwrap();
    assert_eq!(share.data.open_g_id, "G1");

    let (status, _) = post(
        &http,
        format!("{control}/subscriptions"),
        None,
        json!({"openid": openid, "template_id": EXAMPLE_TEMPLATE_ID}),
    )
    .await;
    assert_eq!(status, 200);
    client
        .send_subscribe_message(OpenId::new(&openid), TemplateId::new(EXAMPLE_TEMPLATE_ID))
        .data("keyword1", "a")
        .data("keyword2", "b")
        .await
        .unwrap();
    let messages: Value = http
        .get(format!("{control}/messages"))
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(messages[0]["touser"], openid.as_str());

    let apps: Value = http
        .get(format!("{control}/apps"))
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(apps[0]["appid"], EXAMPLE_APPID);
    assert!(apps[0].get("secret").is_none());

    let (status, unknown) = post(
        &http,
        format!("{control}/login"),
        None,
        json!({"appid": "1999999999", "user": "x"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(unknown["kind"], "not_found");

    client.access_token().await.unwrap();
    let (status, expired) = post(&http, format!("{control}/tokens/expire"), None, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(expired["expired"], 1);
}

/// Reads a response body as JSON.
trait JsonValue {
    async fn json_value(self) -> Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Value {
        serde_json::from_slice(&self.bytes().await.unwrap()).unwrap()
    }
}
