//! A demo website with a "QQ登录" button (feature `demo`).
//!
//! It serves a home page that shows a login button, or, once logged in, the user's nickname,
//! avatar, openid and unionid. Sessions live in memory. `qie oauth-demo` and
//! `examples/oauth_demo.rs` run it against the emulator.
//!
//! # Examples
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use qie_oauth::{AppKey, Client, StateGuard, StateKey};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let client = Client::builder("101000001", AppKey::new("ExampleConnectAppKey01"), "http://127.0.0.1:8080/login/qq/callback")
//!     .base_url("http://127.0.0.1:9000")
//!     .build()?;
//! qie_oauth::demo::serve(listener, client, StateGuard::new(StateKey::generate()?)).await?;
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use crate::axum::{LoginSuccess, QqLogin, escape_html, read_cookie};
use crate::client::{Client, QqUser};
use crate::csrf::StateGuard;
use crate::secret::fill_random;

/// Name of the demo's session cookie.
pub const SESSION_COOKIE: &str = "qie_demo_session";

/// Number of sessions kept; the oldest is dropped beyond it.
const MAX_SESSIONS: usize = 1000;

/// Logged-in users by session id, oldest first.
#[derive(Debug, Default)]
struct Sessions {
    users: HashMap<String, QqUser>,
    order: Vec<String>,
}

type SharedSessions = Arc<Mutex<Sessions>>;

/// Returns the demo's router: `/`, `/logout`, `/login/qq` and the callback route of `client`.
pub fn router(client: Client, guard: StateGuard) -> Router {
    let sessions = SharedSessions::default();
    let on_login = sessions.clone();
    let login = QqLogin::new(client, guard, move |success: LoginSuccess| {
        let sessions = on_login.clone();
        async move { start_session(&sessions, success) }
    })
    .unionid(true);

    Router::new()
        .route("/", get(home))
        .route("/logout", get(logout))
        .with_state(sessions)
        .merge(login.router())
}

/// Serves the demo on `listener` until the task is dropped.
///
/// # Errors
///
/// Returns the I/O error that stopped the server.
pub async fn serve(
    listener: TcpListener,
    client: Client,
    guard: StateGuard,
) -> std::io::Result<()> {
    axum::serve(listener, router(client, guard)).await
}

fn start_session(sessions: &SharedSessions, success: LoginSuccess) -> Response {
    let mut bytes = [0u8; 16];
    if let Err(error) = fill_random(&mut bytes) {
        return crate::axum::default_error_page(&error);
    }
    let id: String = bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    });
    tracing::info!(openid = %success.user.openid, "demo user logged in");

    {
        let mut sessions = sessions.lock().unwrap_or_else(PoisonError::into_inner);
        if sessions.order.len() >= MAX_SESSIONS {
            let oldest = sessions.order.remove(0);
            sessions.users.remove(&oldest);
        }
        sessions.order.push(id.clone());
        sessions.users.insert(id.clone(), success.user);
    }

    let target = success.return_to.unwrap_or_else(|| "/".to_owned());
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&target) {
        headers.insert(LOCATION, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax"
    )) {
        headers.append(SET_COOKIE, value);
    }

    response
}

async fn home(State(sessions): State<SharedSessions>, headers: HeaderMap) -> Response {
    let user = read_cookie(&headers, SESSION_COOKIE).and_then(|id| {
        let sessions = sessions.lock().unwrap_or_else(PoisonError::into_inner);
        sessions.users.get(&id).cloned()
    });
    let body = match user {
        Some(user) => logged_in(&user),
        None => "<p>使用QQ帐号登录本站。<br>Log in to this site with your QQ account.</p>\
                 <p><a class=\"qq\" id=\"qq-login\" href=\"/login/qq\">QQ登录</a></p>"
            .to_owned(),
    };

    ([(CACHE_CONTROL, "no-store")], Html(page(&body))).into_response()
}

fn logged_in(user: &QqUser) -> String {
    let avatar = user
        .avatar_url()
        .map(|url| {
            format!(
                "<img id=\"avatar\" src=\"{}\" alt=\"avatar\">",
                escape_html(url)
            )
        })
        .unwrap_or_default();
    let unionid = user
        .unionid
        .as_ref()
        .map_or_else(|| "-".to_owned(), |id| escape_html(id.as_str()));
    let place = [user.profile.province.as_str(), user.profile.city.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");

    format!(
        "<div class=\"user\">{avatar}<div><p class=\"hello\">欢迎 / Welcome, <strong id=\"nickname\">{nickname}</strong></p>\
         <dl><dt>openid</dt><dd id=\"openid\">{openid}</dd><dt>unionid</dt><dd id=\"unionid\">{unionid}</dd>\
         <dt>性别 / gender</dt><dd>{gender}</dd><dt>地区 / region</dt><dd>{place}</dd></dl></div></div>\
         <p><a class=\"logout\" id=\"logout\" href=\"/logout\">退出登录 / Log out</a></p>",
        nickname = escape_html(user.nickname()),
        openid = escape_html(user.openid.as_str()),
        gender = escape_html(user.profile.gender.as_str()),
        place = escape_html(&place),
    )
}

async fn logout(State(sessions): State<SharedSessions>, headers: HeaderMap) -> Response {
    if let Some(id) = read_cookie(&headers, SESSION_COOKIE) {
        let mut sessions = sessions.lock().unwrap_or_else(PoisonError::into_inner);
        sessions.users.remove(&id);
        sessions.order.retain(|known| *known != id);
    }

    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(LOCATION, HeaderValue::from_static("/"));
    headers.insert(
        SET_COOKIE,
        HeaderValue::from_static("qie_demo_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
    );

    response
}

fn page(body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>qie QQ登录示例 / QQ login demo</title><style>\
         body{{font-family:'PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;background:#f6f8fa;margin:0}}\
         main{{max-width:560px;margin:48px auto;background:#fff;border-radius:8px;padding:24px 32px;box-shadow:0 2px 10px rgba(0,0,0,.1)}}\
         h1{{font-size:20px}}a.qq{{display:inline-block;background:#12b7f5;color:#fff;text-decoration:none;\
         padding:10px 28px;border-radius:4px;font-size:16px}}.user{{display:flex;gap:20px;align-items:flex-start}}\
         .user img{{width:100px;height:100px;border-radius:8px}}dl{{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;\
         font-size:13px;color:#555}}dd{{margin:0;font-family:monospace}}.hello{{font-size:18px}}a.logout{{color:#12b7f5}}\
         </style></head><body><main><h1>qie · QQ登录示例 / QQ login demo</h1>{body}</main></body></html>"
    )
}
