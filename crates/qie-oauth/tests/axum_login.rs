//! The axum login and callback routes, with a browser's cookie handling done by hand.

mod common;

use std::net::SocketAddr;

use axum::response::IntoResponse;
use common::{ALICE, browser, consent, emulator, location, query_param};
use qie_emulator::EmulatorHandle;
use qie_emulator::oauth::world::{EXAMPLE_CONNECT_APP_ID, EXAMPLE_CONNECT_APP_KEY};
use qie_oauth::axum::{LoginSuccess, QqLogin};
use qie_oauth::{AppKey, Client, StateGuard, StateKey};

struct Site {
    address: SocketAddr,
    _server: tokio::task::JoinHandle<()>,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

/// Starts a site whose callback writes the user's nickname, openid and return path.
async fn site(emulator: &EmulatorHandle) -> Site {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("test setup succeeds");
    let address = listener.local_addr().expect("test setup succeeds");
    let redirect_uri = format!("http://{address}/login/qq/callback");
    emulator
        .oauth()
        .add_redirect_uri(EXAMPLE_CONNECT_APP_ID, &redirect_uri)
        .expect("test setup succeeds");

    let client = Client::builder(
        EXAMPLE_CONNECT_APP_ID,
        AppKey::new(EXAMPLE_CONNECT_APP_KEY),
        redirect_uri,
    )
    .base_url(emulator.base_url())
    .build()
    .expect("test setup succeeds");
    let login = QqLogin::new(
        client,
        StateGuard::new(StateKey::generate().expect("test setup succeeds")),
        |success: LoginSuccess| async move {
            format!(
                "nickname={} openid={} unionid={} return_to={}",
                success.user.nickname(),
                success.user.openid,
                success
                    .user
                    .unionid
                    .as_ref()
                    .map(qie_oauth::UnionId::as_str)
                    .unwrap_or_default(),
                success.return_to.as_deref().unwrap_or_default()
            )
            .into_response()
        },
    )
    .unionid(true);
    let app: axum::Router = login.router();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .await
            .expect("test setup succeeds");
    });

    Site {
        address,
        _server: server,
    }
}

/// A started login: the state cookie pair and the platform URL it redirects to.
struct Started {
    cookie: String,
    set_cookie: String,
    authorize_url: String,
}

async fn start_login(site: &Site, query: &str) -> Started {
    let response = browser()
        .get(site.url(&format!("/login/qq{query}")))
        .send()
        .await
        .expect("test setup succeeds");
    assert_eq!(response.status(), 302);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("test setup succeeds")
        .to_owned();
    let cookie = set_cookie
        .split(';')
        .next()
        .expect("test setup succeeds")
        .to_owned();

    Started {
        cookie,
        set_cookie,
        authorize_url: location(&response),
    }
}

async fn callback(site: &Site, target: &str, cookie: Option<&str>) -> (u16, String, Vec<String>) {
    let path = target.trim_start_matches(&format!("http://{}", site.address));
    let mut request = browser().get(site.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("test setup succeeds");
    let status = response.status().as_u16();
    let set_cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().expect("test setup succeeds").to_owned())
        .collect();

    (
        status,
        response.text().await.expect("test setup succeeds"),
        set_cookies,
    )
}

#[tokio::test]
async fn login_redirects_with_state_cookie() {
    let emulator = emulator().await;
    let site = site(&emulator).await;

    let started = start_login(&site, "?return_to=/account").await;

    assert!(
        started
            .authorize_url
            .starts_with(&format!("{}/oauth2.0/authorize?", emulator.base_url()))
    );
    let state = query_param(&started.authorize_url, "state").unwrap();
    assert_eq!(state.len(), 43);
    assert!(started.set_cookie.starts_with("qie_oauth_state=v1."));
    assert!(started.set_cookie.contains("HttpOnly"));
    assert!(started.set_cookie.contains("SameSite=Lax"));
    assert!(started.set_cookie.contains("Path=/login/qq/callback"));
    assert!(started.set_cookie.contains("Max-Age=600"));
    assert!(
        !started.set_cookie.contains("Secure"),
        "http callback, no Secure"
    );
}

#[tokio::test]
async fn callback_yields_user_and_clears_cookie() {
    let emulator = emulator().await;
    let site = site(&emulator).await;
    let started = start_login(&site, "?return_to=/account").await;
    let target = consent(&started.authorize_url, ALICE).await;

    let (status, body, set_cookies) = callback(&site, &target, Some(&started.cookie)).await;

    assert_eq!(status, 200, "{body}");
    let openid = emulator.oauth().openid(EXAMPLE_CONNECT_APP_ID, ALICE);
    let unionid = emulator
        .oauth()
        .unionid(EXAMPLE_CONNECT_APP_ID, ALICE)
        .unwrap();
    assert_eq!(
        body,
        format!("nickname=小企鹅Alice openid={openid} unionid={unionid} return_to=/account")
    );
    assert!(
        set_cookies
            .iter()
            .any(|cookie| cookie.starts_with("qie_oauth_state=;") && cookie.contains("Max-Age=0"))
    );
}

#[tokio::test]
async fn replayed_callback_is_rejected() {
    let emulator = emulator().await;
    let site = site(&emulator).await;
    let started = start_login(&site, "").await;
    let target = consent(&started.authorize_url, ALICE).await;

    let (first, _, _) = callback(&site, &target, Some(&started.cookie)).await;
    let (second, body, _) = callback(&site, &target, Some(&started.cookie)).await;

    assert_eq!(first, 200);
    assert_eq!(second, 400);
    assert!(body.contains("登录状态已被使用过"), "{body}");
    assert!(body.contains("the login state was already used"), "{body}");
}

#[tokio::test]
async fn forged_callback_is_mismatch() {
    let emulator = emulator().await;
    let site = site(&emulator).await;

    // The attacker finishes the platform part with their own login and makes the victim's
    // browser, which has its own state cookie, open the callback.
    let victim = start_login(&site, "").await;
    let attacker = start_login(&site, "").await;
    let attacker_target = consent(&attacker.authorize_url, "14400000000000004").await;

    let (status, body, _) = callback(&site, &attacker_target, Some(&victim.cookie)).await;

    assert_eq!(status, 400);
    assert!(body.contains("state 参数与本浏览器的登录不符"), "{body}");
    assert!(body.contains("does not match"), "{body}");
}

#[tokio::test]
async fn callback_without_cookie_is_rejected() {
    let emulator = emulator().await;
    let site = site(&emulator).await;
    let started = start_login(&site, "").await;
    let target = consent(&started.authorize_url, ALICE).await;

    let (status, body, _) = callback(&site, &target, None).await;

    assert_eq!(status, 400);
    assert!(body.contains("login state cookie is missing"), "{body}");
    // The code was not spent: the real browser can still finish.
    let (retry, _, _) = callback(&site, &target, Some(&started.cookie)).await;
    assert_eq!(retry, 200);
}

#[tokio::test]
async fn platform_error_on_callback() {
    let emulator = emulator().await;
    let site = site(&emulator).await;
    let started = start_login(&site, "").await;

    let (status, body, _) = callback(
        &site,
        "/login/qq/callback?error=100010&error_description=redirect%20uri%20is%20illegal",
        Some(&started.cookie),
    )
    .await;

    assert_eq!(status, 400);
    assert!(body.contains("回调地址不合法"), "{body}");
}

#[tokio::test]
async fn spent_code_is_bad_gateway() {
    let emulator = emulator().await;
    let site = site(&emulator).await;
    let started = start_login(&site, "").await;
    let target = consent(&started.authorize_url, ALICE).await;
    let code = query_param(&target, "code").unwrap();

    // Someone else spends the code first.
    let other = Client::builder(
        EXAMPLE_CONNECT_APP_ID,
        AppKey::new(EXAMPLE_CONNECT_APP_KEY),
        format!("http://{}/login/qq/callback", site.address),
    )
    .base_url(emulator.base_url())
    .build()
    .unwrap();
    other.exchange_code(&code).await.unwrap();

    let (status, body, _) = callback(&site, &target, Some(&started.cookie)).await;

    assert_eq!(status, 502);
    assert!(body.contains("code 被重复使用"), "{body}");
}
