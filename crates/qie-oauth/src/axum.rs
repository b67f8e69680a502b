//! Login routes for [axum](https://docs.rs/axum).
//!
//! [`QqLogin`] adds two routes to an application:
//!
//! * the login route (default `/login/qq`) issues a login state, sets the signed state cookie and
//!   redirects the browser to `/oauth2.0/authorize`. A `return_to` query parameter with a local
//!   path is carried through the login;
//! * the callback route (default `/login/qq/callback`, the path of the registered `redirect_uri`)
//!   verifies the state against the cookie, exchanges the code, checks the openid's `client_id`,
//!   reads the profile and hands a [`QqUser`] to the application's success handler. It clears the
//!   state cookie on every outcome.
//!
//! # Examples
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use axum::Router;
//! use axum::response::{Html, IntoResponse};
//! use qie_oauth::axum::{LoginSuccess, QqLogin};
//! use qie_oauth::{AppKey, Client, StateGuard, StateKey};
//!
//! let client = Client::builder("101000001", AppKey::new("appkey"), "https://example.com/login/qq/callback")
//!     .build()?;
//! let login = QqLogin::new(client, StateGuard::new(StateKey::generate()?), |success: LoginSuccess| async move {
//!     // Start the application's own session here, then send the user on.
//!     Html(format!("<p>你好 / Hello, {}</p>", qie_oauth::axum::escape_html(success.user.nickname())))
//!         .into_response()
//! });
//!
//! let app: Router = Router::new().merge(login.router());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::authorize::Display;
use crate::client::{Client, QqUser};
use crate::code::ConnectCode;
use crate::csrf::StateGuard;
use crate::error::{Error, ErrorKind};

/// Default path of the login route.
pub const DEFAULT_LOGIN_PATH: &str = "/login/qq";
/// Default path of the callback route.
pub const DEFAULT_CALLBACK_PATH: &str = "/login/qq/callback";
/// Default name of the state cookie.
pub const DEFAULT_COOKIE_NAME: &str = "qie_oauth_state";

/// Input of the success handler.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoginSuccess {
    /// The logged-in user.
    pub user: QqUser,
    /// The local path given to the login route as `return_to`, if any.
    pub return_to: Option<String>,
}

type BoxResponse = Pin<Box<dyn Future<Output = Response> + Send>>;
type SuccessHandler = Arc<dyn Fn(LoginSuccess) -> BoxResponse + Send + Sync>;
type ErrorHandler = Arc<dyn Fn(Error) -> BoxResponse + Send + Sync>;

/// The login and callback routes. Build it once and call [`router`](Self::router).
#[derive(Clone)]
#[must_use]
pub struct QqLogin {
    client: Client,
    guard: StateGuard,
    login_path: String,
    callback_path: String,
    cookie_name: String,
    secure_cookie: bool,
    scopes: Vec<String>,
    display: Display,
    unionid: bool,
    on_success: SuccessHandler,
    on_error: ErrorHandler,
}

impl fmt::Debug for QqLogin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("QqLogin")
            .field("client", &self.client)
            .field("login_path", &self.login_path)
            .field("callback_path", &self.callback_path)
            .field("cookie_name", &self.cookie_name)
            .field("secure_cookie", &self.secure_cookie)
            .field("scopes", &self.scopes)
            .field("display", &self.display)
            .field("unionid", &self.unionid)
            .finish_non_exhaustive()
    }
}

impl QqLogin {
    /// Creates the routes for `client`, with states from `guard`; `on_success` turns a logged-in
    /// user into the callback's response (typically: start a session, redirect).
    ///
    /// The callback path defaults to the path of the client's `redirect_uri`, and the state
    /// cookie is `Secure` when that URI is `https`.
    pub fn new<F, Fut, R>(client: Client, guard: StateGuard, on_success: F) -> Self
    where
        F: Fn(LoginSuccess) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: IntoResponse,
    {
        let (callback_path, secure_cookie) = match url::Url::parse(client.redirect_uri()) {
            Ok(url) => (url.path().to_owned(), url.scheme() == "https"),
            Err(_) => (DEFAULT_CALLBACK_PATH.to_owned(), true),
        };

        Self {
            client,
            guard,
            login_path: DEFAULT_LOGIN_PATH.to_owned(),
            callback_path,
            cookie_name: DEFAULT_COOKIE_NAME.to_owned(),
            secure_cookie,
            scopes: Vec::new(),
            display: Display::Pc,
            unionid: false,
            on_success: Arc::new(move |success| {
                let future = on_success(success);
                Box::pin(async move { future.await.into_response() })
            }),
            on_error: Arc::new(|error| Box::pin(async move { default_error_page(&error) })),
        }
    }

    /// Sets the path of the login route; default [`DEFAULT_LOGIN_PATH`].
    pub fn login_path(mut self, path: impl Into<String>) -> Self {
        self.login_path = path.into();
        self
    }

    /// Sets the path of the callback route. It must be the path of the client's `redirect_uri`,
    /// which is the default.
    pub fn callback_path(mut self, path: impl Into<String>) -> Self {
        self.callback_path = path.into();
        self
    }

    /// Sets the name of the state cookie; default [`DEFAULT_COOKIE_NAME`].
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = name.into();
        self
    }

    /// Sets whether the state cookie is `Secure` (sent over https only).
    pub fn secure_cookie(mut self, secure: bool) -> Self {
        self.secure_cookie = secure;
        self
    }

    /// Adds OpenAPI names to the requested `scope`; see [`AuthorizeUrl::scope`](crate::AuthorizeUrl::scope).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// Chooses the desktop or the mobile login page.
    pub fn display(mut self, display: Display) -> Self {
        self.display = display;
        self
    }

    /// Asks for the unionid on every login; see [`GetMe::unionid`](crate::GetMe::unionid).
    pub fn unionid(mut self, unionid: bool) -> Self {
        self.unionid = unionid;
        self
    }

    /// Replaces the response to a failed login.
    ///
    /// The default is a bilingual HTML page with status 400 for a rejected state or callback and
    /// 502 for a platform failure.
    pub fn on_error<F, Fut, R>(mut self, on_error: F) -> Self
    where
        F: Fn(Error) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: IntoResponse,
    {
        self.on_error = Arc::new(move |error| {
            let future = on_error(error);
            Box::pin(async move { future.await.into_response() })
        });
        self
    }

    /// Returns a router with the two routes, to merge into the application.
    pub fn router<S>(self) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        let login_path = self.login_path.clone();
        let callback_path = self.callback_path.clone();
        let shared = Arc::new(self);

        Router::new()
            .route(&login_path, get(login))
            .route(&callback_path, get(callback))
            .with_state(shared)
    }

    // NOTE: one state cookie per browser: when a person starts two logins in two tabs, the
    // older tab's callback fails with a state mismatch and has to start again.
    fn state_cookie(&self, value: &str) -> String {
        let max_age = self.guard.state_ttl().as_secs();
        let secure = if self.secure_cookie { "; Secure" } else { "" };

        // SameSite=Lax: the callback is a top-level GET navigation from the platform's site,
        // which Lax cookies accompany.
        format!(
            "{}={value}; Path={}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            self.cookie_name, self.callback_path
        )
    }

    fn clear_cookie(&self) -> String {
        let secure = if self.secure_cookie { "; Secure" } else { "" };

        format!(
            "{}=; Path={}; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
            self.cookie_name, self.callback_path
        )
    }

    async fn fail(&self, error: Error) -> Response {
        (self.on_error)(error).await
    }
}

async fn login(
    State(login): State<Arc<QqLogin>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let return_to = query.get("return_to").map(String::as_str);
    let issued = match login.guard.issue(return_to) {
        Ok(issued) => issued,
        Err(error) => return login.fail(error).await,
    };

    let url = login
        .client
        .authorize_url(&issued.state)
        .scopes(login.scopes.iter().cloned())
        .display(login.display)
        .to_url();
    tracing::debug!(app_id = %login.client.app_id(), "QQ login started");

    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    insert_header(headers, LOCATION, url.as_str());
    insert_header(
        headers,
        SET_COOKIE,
        &login.state_cookie(&issued.cookie_value),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));

    response
}

async fn callback(
    State(login): State<Arc<QqLogin>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut response = match finish_login(&login, &query, &headers).await {
        Ok(success) => (login.on_success)(success).await,
        Err(error) => login.fail(error).await,
    };

    // The state is spent whatever happened: a retry has to start a new login.
    let cookie = login.clear_cookie();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));

    response
}

async fn finish_login(
    login: &QqLogin,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<LoginSuccess, Error> {
    if let Some(error) = query.get("error") {
        let description = query.get("error_description").cloned().unwrap_or_default();
        return Err(Error::new(ErrorKind::Callback {
            code: error.trim().parse().ok().map(ConnectCode::from_code),
            reason: format!("the platform sent error {error:?}: {description:?}"),
        }));
    }

    let cookie = read_cookie(headers, &login.cookie_name);
    let verified = login
        .guard
        .verify(cookie.as_deref(), query.get("state").map(String::as_str))?;

    let Some(code) = query.get("code").filter(|code| !code.is_empty()) else {
        return Err(Error::new(ErrorKind::Callback {
            code: None,
            reason: "the callback has no code parameter".to_owned(),
        }));
    };

    let user = login.client.login(code).unionid(login.unionid).await?;

    Ok(LoginSuccess {
        user,
        return_to: verified.return_to,
    })
}

/// Returns the value of the first cookie named `name` in the `Cookie` headers.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

fn insert_header(headers: &mut HeaderMap, name: axum::http::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.append(name, value);
    } else {
        tracing::warn!(header = %name, "header value is not valid; header dropped");
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }

    escaped
}

/// Returns the HTTP status the default error page uses for `error`.
pub fn error_status(error: &Error) -> StatusCode {
    match error.kind() {
        ErrorKind::State(_) | ErrorKind::Callback { .. } => StatusCode::BAD_REQUEST,
        ErrorKind::ClientIdMismatch { .. } => StatusCode::FORBIDDEN,
        ErrorKind::InvalidConfig { .. } | ErrorKind::Random => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_GATEWAY,
    }
}

/// Renders the default response to a failed login, a short page in Chinese and English.
pub fn default_error_page(error: &Error) -> Response {
    let status = error_status(error);
    if status.is_server_error() {
        tracing::warn!(%error, "QQ login failed");
    } else {
        tracing::info!(%error, "QQ login rejected");
    }

    let (zh, en) = match error.kind() {
        ErrorKind::State(state) => (
            state.description_zh().to_owned(),
            state.description().to_owned(),
        ),
        ErrorKind::Platform { code, .. }
        | ErrorKind::Callback {
            code: Some(code), ..
        } => (
            format!("QQ 登录失败：{}", code.meaning_zh().unwrap_or("未知错误")),
            format!(
                "QQ login failed: {}",
                code.meaning().unwrap_or("unknown error")
            ),
        ),
        _ => ("QQ 登录失败".to_owned(), "QQ login failed".to_owned()),
    };
    let body = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>QQ 登录失败 / QQ login failed</title></head>\
         <body><h1>{}</h1><p>{}</p><p><code>{}</code></p><p><a href=\"/\">返回首页 / Back to the home page</a></p></body></html>",
        escape_html(&zh),
        escape_html(&en),
        escape_html(&error.to_string()),
    );

    (status, Html(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_cookie_finds_named_value() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; qie_oauth_state=v1.x.y"),
        );
        headers.append(COOKIE, HeaderValue::from_static("qie_oauth_state=second"));

        assert_eq!(
            read_cookie(&headers, "qie_oauth_state").as_deref(),
            Some("v1.x.y")
        );
        assert_eq!(read_cookie(&headers, "a").as_deref(), Some("1"));
        assert_eq!(read_cookie(&headers, "missing"), None);
    }

    #[test]
    fn escape_html_escapes_markup() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
