//! QQ Connect (`graph.qq.com`): website login with OAuth 2.0, openid/unionid lookup and the
//! OpenAPI user calls.
//!
//! | path | behaviour |
//! | --- | --- |
//! | `GET /oauth2.0/authorize` | validates the request and shows the consent page, where a person picks a test user (Chinese or English by `lang` or `Accept-Language`); an invalid request goes to the error page |
//! | `POST /oauth2.0/authorize` | the consent decision: redirects to `redirect_uri` with `code` and `state` (or a fragment token for `response_type=token`); cancelling does not redirect |
//! | `GET /oauth2.0/show?which=error` | the error page, `redirect uri is illegal(100010)` style |
//! | `GET`/`POST /oauth2.0/token` | both grants; form-encoded success and JSONP errors by default, JSON with `fmt=json`; `need_openid=1`; single-use codes and refresh tokens |
//! | `GET /oauth2.0/me` | JSONP by default, JSON with `fmt=json`; `unionid=1` needs UnionID on the developer account (else 100048) |
//! | `GET /user/get_user_info`, `/user/get_simple_userinfo`, `/user/get_vip_info` | profile from the world; `ret` -1 for a missing or wrong parameter, 1002 for a bad token |
//! | `GET /qzapp/{appid}/{openid}/{size}`, `/qqapp/…` | generated SVG avatars |
//!
//! Codes are 32 upper-case hex digits, valid for [`OAuthSettings::code_lifetime`] and single
//! use; they remember the exact `redirect_uri` they were issued for. openids derive from the
//! world seed, the appid and the user, and unionids from the seed, the developer account and the
//! user, so apps of one developer share unionids and differ in openids.

mod control;
mod pages;
mod store;
pub mod world;

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::Router;
use axum::extract::{Form, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use tokio::time::Instant;

pub use self::control::OAuthControl;
pub use self::store::OAuthSettings;
pub(crate) use self::store::OAuthStore;
pub use self::world::{Connect, ConnectApp, ConnectProfile};

use self::pages::{Choice, ConsentRequest, Lang};
use self::store::{AccessProblem, CodeProblem, Grant};
use crate::ids::derive_openid;
use crate::state::{App, Inner};

/// Path of the authorization endpoint.
pub const AUTHORIZE_PATH: &str = "/oauth2.0/authorize";
/// Path of the token endpoint.
pub const TOKEN_PATH: &str = "/oauth2.0/token";
/// Path of the openid endpoint.
pub const ME_PATH: &str = "/oauth2.0/me";

type Params = HashMap<String, String>;

/// An OAuth error: code and the platform's `error_description`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OAuthError {
    code: u32,
    description: &'static str,
}

const fn oauth_error(code: u32, description: &'static str) -> OAuthError {
    OAuthError { code, description }
}

// Descriptions the platform was seen sending are verbatim (100010, 100016, 100019, 100020,
// 100021, 100048 and the wrong-secret text); the others spell out the documented meaning.
const RESPONSE_TYPE_INVALID: OAuthError = oauth_error(100_000, "response_type is wrong");
const CLIENT_ID_MISSING: OAuthError = oauth_error(100_001, "client_id is missing");
const CLIENT_SECRET_MISSING: OAuthError = oauth_error(100_002, "client_secret is missing");
const GRANT_TYPE_INVALID: OAuthError = oauth_error(100_004, "grant_type is wrong");
const CODE_MISSING: OAuthError = oauth_error(100_005, "code is missing");
const REFRESH_TOKEN_MISSING: OAuthError = oauth_error(100_006, "refresh_token is missing");
const ACCESS_TOKEN_MISSING: OAuthError = oauth_error(100_007, "access_token is missing");
const APP_NOT_FOUND: OAuthError = oauth_error(100_008, "client_id is not exist");
// NOTE: the code of the wrong-secret error was not captured from the platform; 100009 is the
// documented "client_secret invalid" code and the text is the observed one.
const CLIENT_SECRET_WRONG: OAuthError = oauth_error(100_009, "client_secret is wrong");
const REDIRECT_URI_ILLEGAL: OAuthError = oauth_error(100_010, "redirect uri is illegal");
const APP_OFFLINE: OAuthError = oauth_error(100_011, "app is not online");
const ACCESS_TOKEN_CHECK_FAILED: OAuthError = oauth_error(100_016, "access token check failed");
const CODE_EXCHANGE_FAILED: OAuthError = oauth_error(100_019, "code to access token error");
const CODE_REUSED: OAuthError = oauth_error(100_020, "code is reused error");
const GET_ACCESS_TOKEN_FAILED: OAuthError = oauth_error(100_021, "get access token error");
const WHICH_MISSING: OAuthError = oauth_error(100_028, "which is missing");
const COMPANY_ID_NOT_SET: OAuthError = oauth_error(100_048, "companyid not set");

/// Returns the documented meaning of a code in Chinese and English, for the error page.
fn meaning(code: u32) -> (&'static str, &'static str) {
    match code {
        100_000 => (
            "缺少参数 response_type 或参数值错误",
            "response_type is missing or invalid",
        ),
        100_001 => ("缺少参数 client_id", "client_id is missing"),
        100_008 => ("应用不存在", "the app does not exist"),
        100_010 => (
            "回调地址不合法：请检查 redirect_uri 是否与应用注册的回调地址完全一致",
            "the redirect_uri does not exactly match a callback registered for the app",
        ),
        100_011 => ("应用不是上线状态", "the app is not online"),
        100_028 => ("缺少参数 which", "the which parameter is missing"),
        _ => ("登录请求无效", "the login request is invalid"),
    }
}

/// Router of the QQ Connect endpoints.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .route(AUTHORIZE_PATH, get(authorize_page).post(authorize_decision))
        .route("/oauth2.0/show", get(show))
        .route(TOKEN_PATH, get(token).post(token))
        .route(ME_PATH, get(me).post(me))
        .route("/user/get_user_info", get(get_user_info))
        .route("/user/get_simple_userinfo", get(get_simple_userinfo))
        .route("/user/get_vip_info", get(get_vip_info))
        .route("/qzapp/{app_id}/{openid}/{size}", get(avatar))
        .route("/qqapp/{app_id}/{openid}/{size}", get(avatar))
}

/// Returns the openid of a user for a QQ Connect app.
pub(crate) fn connect_openid(seed: u64, app_id: &str, user_id: &str) -> String {
    derive_openid(seed, &[app_id, "connect", user_id])
}

/// Returns the unionid of a user for a developer account.
pub(crate) fn connect_unionid(seed: u64, developer: &str, user_id: &str) -> String {
    format!(
        "UID_{}",
        derive_openid(seed, &[developer, "connect-unionid", user_id])
    )
}

// ---------------------------------------------------------------------------------------------
// Authorization page and decision.

/// A validated authorization request.
#[derive(Debug)]
struct AuthorizeRequest {
    implicit: bool,
    app: ConnectApp,
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
    mobile: bool,
}

fn validate_authorize(inner: &Inner, params: &Params) -> Result<AuthorizeRequest, OAuthError> {
    let implicit = match params.get("response_type").map(String::as_str) {
        Some("code") => false,
        Some("token") => true,
        _ => return Err(RESPONSE_TYPE_INVALID),
    };
    let app_id = non_empty(params, "client_id").ok_or(CLIENT_ID_MISSING)?;
    let app = inner.world.connect.app(app_id).ok_or(APP_NOT_FOUND)?;
    if !app.online {
        return Err(APP_OFFLINE);
    }
    let redirect_uri = non_empty(params, "redirect_uri").ok_or(REDIRECT_URI_ILLEGAL)?;
    if !app.accepts_redirect(redirect_uri) {
        return Err(REDIRECT_URI_ILLEGAL);
    }
    let scopes = params
        .get("scope")
        .map(|scope| {
            scope
                .split(',')
                .map(str::trim)
                .filter(|scope| !scope.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();

    Ok(AuthorizeRequest {
        implicit,
        app: app.clone(),
        redirect_uri: redirect_uri.to_owned(),
        state: params.get("state").cloned(),
        scopes,
        mobile: params
            .get("display")
            .is_some_and(|display| display == "mobile"),
    })
}

fn lang_of(params: &Params, headers: &HeaderMap) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());

    Lang::pick(params.get("lang").map(String::as_str), accept)
}

/// Sends the browser to the error page instead of an unverified `redirect_uri`.
fn error_redirect(error: OAuthError, lang: Lang, mobile: bool) -> Response {
    let display = if mobile { "mobile" } else { "pc" };
    let location = format!(
        "/oauth2.0/show?which=error&display={display}&error={}&lang={}",
        error.code,
        lang.code()
    );

    redirect(&location)
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => (
            StatusCode::BAD_REQUEST,
            "redirect_uri contains characters that are not allowed in a URL",
        )
            .into_response(),
    }
}

fn choices(inner: &Inner, base_url: &str, app_id: &str) -> Vec<Choice> {
    inner
        .world
        .users
        .iter()
        .map(|user| {
            let openid = connect_openid(inner.world.seed, app_id, &user.id);
            let profile = inner.world.connect.profile(&user.id);
            Choice {
                user_id: user.id.clone(),
                nickname: nickname(profile, &user.username),
                avatar: avatar_url(profile, base_url, "qqapp", app_id, &openid, 40),
            }
        })
        .collect()
}

async fn authorize_page(
    State(app): State<App>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    let lang = lang_of(&params, &headers);
    let mobile = params
        .get("display")
        .is_some_and(|display| display == "mobile");
    let base_url = app.base_url();

    let inner = app.lock();
    let request = match validate_authorize(&inner, &params) {
        Ok(request) => request,
        Err(error) => {
            tracing::info!(
                code = error.code,
                client_id = params.get("client_id").map(String::as_str),
                "QQ Connect authorize request rejected"
            );
            return error_redirect(error, lang, mobile);
        }
    };
    let choices = choices(&inner, &base_url, &request.app.app_id);
    drop(inner);

    let mut hidden = vec![
        (
            "response_type",
            if request.implicit { "token" } else { "code" }.to_owned(),
        ),
        ("client_id", request.app.app_id.clone()),
        ("redirect_uri", request.redirect_uri.clone()),
        ("scope", request.scopes.join(",")),
        (
            "display",
            if request.mobile { "mobile" } else { "pc" }.to_owned(),
        ),
    ];
    if let Some(state) = &request.state {
        hidden.push(("state", state.clone()));
    }
    let query_without_lang =
        encode_pairs(params.iter().filter(|(name, _)| name.as_str() != "lang"));

    let html = pages::consent(
        lang,
        &ConsentRequest {
            app: &request.app,
            hidden,
            scopes: &request.scopes,
            mobile: request.mobile,
            choices: &choices,
            query_without_lang,
        },
    );

    Html(html).into_response()
}

async fn authorize_decision(
    State(app): State<App>,
    headers: HeaderMap,
    Form(params): Form<Params>,
) -> Response {
    let lang = lang_of(&params, &headers);
    let now = Instant::now();

    let mut inner = app.lock();
    let request = match validate_authorize(&inner, &params) {
        Ok(request) => request,
        Err(error) => return error_redirect(error, lang, false),
    };
    if params.get("action").is_some_and(|action| action == "deny") {
        tracing::debug!(client_id = %request.app.app_id, "QQ Connect login cancelled");
        return Html(pages::cancelled(lang)).into_response();
    }
    let Some(user_id) = params
        .get("user")
        .filter(|user| inner.world.user(user).is_some())
        .cloned()
    else {
        return (
            StatusCode::BAD_REQUEST,
            Html(pages::error(
                lang,
                100_029,
                "user is not in the world",
                ("所选用户不存在", "the selected user does not exist"),
            )),
        )
            .into_response();
    };

    let grant = Grant {
        app_id: request.app.app_id.clone(),
        user_id,
        scopes: request.scopes.clone(),
    };
    let state = request
        .state
        .as_deref()
        .map(|state| format!("&state={}", encode_component(state)))
        .unwrap_or_default();

    let location = if request.implicit {
        let inner = &mut *inner;
        let access = inner.ids.hex_upper(32);
        let refresh = inner.ids.hex_upper(32);
        let lifetime = inner.oauth.settings.token_lifetime.as_secs();
        inner
            .oauth
            .insert_tokens(access.clone(), refresh, &grant, now);
        let separator = if request.redirect_uri.contains('#') {
            '&'
        } else {
            '#'
        };
        format!(
            "{}{separator}access_token={access}&expires_in={lifetime}{state}",
            request.redirect_uri
        )
    } else {
        let code = inner.ids.hex_upper(32);
        inner
            .oauth
            .insert_code(code.clone(), grant, &request.redirect_uri, now);
        let separator = if request.redirect_uri.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{separator}code={code}{state}", request.redirect_uri)
    };
    drop(inner);
    tracing::debug!(client_id = %request.app.app_id, implicit = request.implicit, "QQ Connect login consented");

    redirect(&location)
}

async fn show(headers: HeaderMap, Query(params): Query<Params>) -> Response {
    let lang = lang_of(&params, &headers);
    let error = match params.get("which").map(String::as_str) {
        Some("error") => {
            let code = params
                .get("error")
                .and_then(|code| code.parse().ok())
                .unwrap_or(100_029);
            known_error(code)
        }
        _ => WHICH_MISSING,
    };

    Html(pages::error(
        lang,
        error.code,
        error.description,
        meaning(error.code),
    ))
    .into_response()
}

fn known_error(code: u32) -> OAuthError {
    [
        RESPONSE_TYPE_INVALID,
        CLIENT_ID_MISSING,
        APP_NOT_FOUND,
        REDIRECT_URI_ILLEGAL,
        APP_OFFLINE,
        WHICH_MISSING,
    ]
    .into_iter()
    .find(|error| error.code == code)
    .unwrap_or(oauth_error(code, "request is invalid"))
}

// ---------------------------------------------------------------------------------------------
// Token and openid endpoints.

/// Reads the query and, for a POST, the form body; body fields win.
async fn params_of(request: Request) -> Params {
    let mut params = Query::<Params>::try_from_uri(request.uri())
        .map(|query| query.0)
        .unwrap_or_default();
    if request.method() == Method::POST
        && let Ok(Form(body)) = Form::<Params>::from_request(request, &()).await
    {
        params.extend(body);
    }

    params
}

/// Returns whether the request has `fmt=json`.
fn wants_json(params: &Params) -> bool {
    params
        .get("fmt")
        .is_some_and(|fmt| fmt.eq_ignore_ascii_case("json"))
}

fn body_response(app: &App, body: String) -> Response {
    let content_type = app.lock().oauth.settings.content_type.clone();
    let mut response = body.into_response();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }

    response
}

/// Renders an OAuth error: JSON with `fmt=json`, else `callback( … );`.
fn error_body(error: OAuthError, json: bool) -> String {
    let object = json!({"error": error.code, "error_description": error.description});
    if json {
        object.to_string()
    } else {
        format!("callback( {object} );\n")
    }
}

async fn token(State(app): State<App>, request: Request) -> Response {
    let params = params_of(request).await;
    let json = wants_json(&params);
    let body = match issue_tokens(&app, &params) {
        Ok(body) => body,
        Err(error) => {
            tracing::info!(
                code = error.code,
                client_id = params.get("client_id").map(String::as_str),
                "QQ Connect token request rejected"
            );
            error_body(error, json)
        }
    };

    body_response(&app, body)
}

fn issue_tokens(app: &App, params: &Params) -> Result<String, OAuthError> {
    let now = Instant::now();
    let json = wants_json(params);
    let grant_type = params.get("grant_type").map(String::as_str);
    if !matches!(grant_type, Some("authorization_code" | "refresh_token")) {
        return Err(GRANT_TYPE_INVALID);
    }
    let app_id = non_empty(params, "client_id").ok_or(CLIENT_ID_MISSING)?;
    let secret = non_empty(params, "client_secret").ok_or(CLIENT_SECRET_MISSING)?;

    let mut guard = app.lock();
    let inner = &mut *guard;
    let connect_app = inner.world.connect.app(app_id).ok_or(APP_NOT_FOUND)?;
    if connect_app.app_key != secret {
        return Err(CLIENT_SECRET_WRONG);
    }
    if !connect_app.online {
        return Err(APP_OFFLINE);
    }

    let grant = if grant_type == Some("authorization_code") {
        let code = non_empty(params, "code").ok_or(CODE_MISSING)?;
        let redirect_uri = params
            .get("redirect_uri")
            .map(String::as_str)
            .unwrap_or_default();
        inner
            .oauth
            .take_code(code, app_id, redirect_uri, now)
            .map_err(|problem| match problem {
                CodeProblem::Reused => CODE_REUSED,
                CodeProblem::RedirectMismatch => REDIRECT_URI_ILLEGAL,
                CodeProblem::Unknown | CodeProblem::Expired | CodeProblem::OtherApp => {
                    CODE_EXCHANGE_FAILED
                }
            })?
    } else {
        let refresh = non_empty(params, "refresh_token").ok_or(REFRESH_TOKEN_MISSING)?;
        inner
            .oauth
            .take_refresh(refresh, app_id)
            .ok_or(GET_ACCESS_TOKEN_FAILED)?
    };

    let access = inner.ids.hex_upper(32);
    let refresh = inner.ids.hex_upper(32);
    inner
        .oauth
        .insert_tokens(access.clone(), refresh.clone(), &grant, now);
    let expires_in = inner.oauth.settings.token_lifetime.as_secs().to_string();
    let openid = (params.get("need_openid").is_some_and(|value| value == "1"))
        .then(|| connect_openid(inner.world.seed, app_id, &grant.user_id));
    tracing::debug!(client_id = app_id, grant_type, "QQ Connect tokens issued");

    if json {
        let mut object =
            json!({"access_token": access, "expires_in": expires_in, "refresh_token": refresh});
        if let Some(openid) = openid {
            object["openid"] = Value::String(openid);
        }
        return Ok(object.to_string());
    }

    let mut body = format!("access_token={access}&expires_in={expires_in}&refresh_token={refresh}");
    if let Some(openid) = openid {
        body.push_str("&openid=");
        body.push_str(&openid);
    }

    Ok(body)
}

async fn me(State(app): State<App>, request: Request) -> Response {
    let params = params_of(request).await;
    let json = wants_json(&params);
    let body = match lookup_me(&app, &params) {
        Ok(object) if json => object.to_string(),
        Ok(object) => format!("callback( {object} );\n"),
        Err(error) => {
            tracing::info!(code = error.code, "QQ Connect openid request rejected");
            error_body(error, json)
        }
    };

    body_response(&app, body)
}

fn lookup_me(app: &App, params: &Params) -> Result<Value, OAuthError> {
    let token = non_empty(params, "access_token").ok_or(ACCESS_TOKEN_MISSING)?;
    let inner = app.lock();
    let grant = inner
        .oauth
        .check_token(token, Instant::now())
        .map_err(|_| ACCESS_TOKEN_CHECK_FAILED)?;
    let seed = inner.world.seed;
    let mut object = json!({
        "client_id": grant.app_id,
        "openid": connect_openid(seed, &grant.app_id, &grant.user_id),
    });

    // NOTE: only `unionid=1` requests the unionid. One library sends `unionid=2`, which is
    // reported not to return it reliably, so it is treated here as no request.
    if params.get("unionid").is_some_and(|value| value == "1") {
        let connect_app = inner
            .world
            .connect
            .app(&grant.app_id)
            .ok_or(APP_NOT_FOUND)?;
        if !connect_app.unionid {
            return Err(COMPANY_ID_NOT_SET);
        }
        object["unionid"] = Value::String(connect_unionid(
            seed,
            connect_app.developer_account(),
            &grant.user_id,
        ));
    }

    Ok(object)
}

// ---------------------------------------------------------------------------------------------
// OpenAPI user calls.

/// Renders an OpenAPI failure with `ret` and `msg`.
fn api_error(ret: i64, msg: &str) -> Value {
    json!({"ret": ret, "msg": msg})
}

/// Checks the three common parameters and returns the grant's app and user.
fn check_openapi(inner: &Inner, params: &Params, api: &str) -> Result<(String, String), Value> {
    let invalid = |name: &str| {
        api_error(
            -1,
            &format!("client request's parameters are invalid, invalid {name}"),
        )
    };

    let token = non_empty(params, "access_token").ok_or_else(|| invalid("access_token"))?;
    let consumer_key =
        non_empty(params, "oauth_consumer_key").ok_or_else(|| invalid("oauth_consumer_key"))?;
    let openid = non_empty(params, "openid").ok_or_else(|| invalid("openid"))?;

    let grant =
        inner
            .oauth
            .check_token(token, Instant::now())
            .map_err(|problem| match problem {
                AccessProblem::Revoked => api_error(-21, "access token revoked"),
                AccessProblem::Unknown | AccessProblem::Expired => api_error(1002, "请先登录"),
            })?;
    if grant.app_id != consumer_key {
        return Err(invalid("oauth_consumer_key"));
    }
    if connect_openid(inner.world.seed, &grant.app_id, &grant.user_id) != openid {
        return Err(invalid("openid"));
    }
    if !grant.allows(api) {
        return Err(api_error(-20, "api not authorized by user"));
    }

    Ok((grant.app_id.clone(), grant.user_id.clone()))
}

fn nickname(profile: Option<&ConnectProfile>, username: &str) -> String {
    profile
        .map(|profile| profile.nickname.clone())
        .filter(|nickname| !nickname.is_empty())
        .unwrap_or_else(|| username.to_owned())
}

fn avatar_url(
    profile: Option<&ConnectProfile>,
    base_url: &str,
    kind: &str,
    app_id: &str,
    openid: &str,
    size: u32,
) -> String {
    match profile.filter(|profile| !profile.avatar.is_empty()) {
        Some(profile) => profile.avatar.clone(),
        None => format!("{base_url}/{kind}/{app_id}/{openid}/{size}"),
    }
}

fn flag(value: bool) -> &'static str {
    if value { "1" } else { "0" }
}

fn user_info(app: &App, params: &Params, api: &str) -> Value {
    let base_url = app.base_url();
    let inner = app.lock();
    let (app_id, user_id) = match check_openapi(&inner, params, api) {
        Ok(ids) => ids,
        Err(error) => return error,
    };
    let username = inner
        .world
        .user(&user_id)
        .map(|user| user.username.clone())
        .unwrap_or_default();
    let default_profile = ConnectProfile::default();
    let profile = inner.world.connect.profile(&user_id);
    let openid = connect_openid(inner.world.seed, &app_id, &user_id);
    let fields = profile.unwrap_or(&default_profile);
    let qzone = |size| avatar_url(profile, &base_url, "qzapp", &app_id, &openid, size);
    let qq = |size| avatar_url(profile, &base_url, "qqapp", &app_id, &openid, size);

    // NOTE: the platform does not document gender_type; samples show 2 by default, and 1 for
    // women here is an assumption.
    let gender_type = if fields.gender == "女" { 1 } else { 2 };

    json!({
        "ret": 0,
        "msg": "",
        "is_lost": 0,
        "nickname": nickname(profile, &username),
        "gender": fields.gender,
        "gender_type": gender_type,
        "province": fields.province,
        "city": fields.city,
        "year": fields.year,
        "constellation": fields.constellation,
        "figureurl": qzone(30),
        "figureurl_1": qzone(50),
        "figureurl_2": qzone(100),
        "figureurl_qq_1": qq(40),
        "figureurl_qq_2": qq(100),
        "figureurl_qq": qq(640),
        "figureurl_type": "1",
        "is_yellow_vip": flag(fields.yellow_vip),
        "vip": flag(fields.yellow_vip),
        "yellow_vip_level": fields.yellow_vip_level.to_string(),
        "level": fields.yellow_vip_level.to_string(),
        "is_yellow_year_vip": flag(fields.yellow_year_vip),
    })
}

// NOTE: the OpenAPI calls always respond in JSON; `format=xml`, which the platform documents for
// some calls, is ignored.
async fn get_user_info(State(app): State<App>, Query(params): Query<Params>) -> Response {
    let body = user_info(&app, &params, "get_user_info").to_string();
    body_response(&app, body)
}

async fn get_simple_userinfo(State(app): State<App>, Query(params): Query<Params>) -> Response {
    let body = user_info(&app, &params, "get_simple_userinfo").to_string();
    body_response(&app, body)
}

async fn get_vip_info(State(app): State<App>, Query(params): Query<Params>) -> Response {
    let body = {
        let inner = app.lock();
        match check_openapi(&inner, &params, "get_vip_info") {
            Ok((_, user_id)) => {
                let default_profile = ConnectProfile::default();
                let fields = inner
                    .world
                    .connect
                    .profile(&user_id)
                    .unwrap_or(&default_profile);
                json!({
                    "ret": 0,
                    "msg": "",
                    "is_qq_vip": flag(fields.qq_vip),
                    "qq_vip_level": fields.qq_vip_level.to_string(),
                    "is_qq_year_vip": flag(fields.qq_year_vip),
                })
            }
            Err(error) => error,
        }
    };

    body_response(&app, body.to_string())
}

async fn avatar(
    State(app): State<App>,
    Path((app_id, openid, size)): Path<(String, String, String)>,
) -> Response {
    let size = size.parse::<u32>().unwrap_or(100).clamp(16, 640);
    let nickname = {
        let inner = app.lock();
        inner
            .world
            .users
            .iter()
            .find(|user| connect_openid(inner.world.seed, &app_id, &user.id) == openid)
            .map(|user| nickname(inner.world.connect.profile(&user.id), &user.username))
    };
    let Some(nickname) = nickname else {
        return StatusCode::NOT_FOUND.into_response();
    };

    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        pages::avatar_svg(&nickname, &openid, size),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn non_empty<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
}

/// Percent-encodes a query component (form encoding without `+`).
fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }

    encoded
}

fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    let mut pairs: Vec<_> = pairs.collect();
    pairs.sort();

    pairs
        .into_iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_component_escapes_reserved() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode_component("Abc-_.~9"), "Abc-_.~9");
    }

    #[test]
    fn error_body_shapes() {
        assert_eq!(
            error_body(CODE_EXCHANGE_FAILED, false),
            "callback( {\"error\":100019,\"error_description\":\"code to access token error\"} );\n"
        );
        assert_eq!(
            error_body(REDIRECT_URI_ILLEGAL, true),
            "{\"error\":100010,\"error_description\":\"redirect uri is illegal\"}"
        );
    }

    #[test]
    fn openid_per_app_unionid_per_developer() {
        assert_ne!(connect_openid(1, "101", "u"), connect_openid(1, "102", "u"));
        assert_eq!(
            connect_unionid(1, "dev", "u"),
            connect_unionid(1, "dev", "u")
        );
        assert_ne!(
            connect_unionid(1, "dev", "u"),
            connect_unionid(1, "other", "u")
        );
        assert!(connect_unionid(1, "dev", "u").starts_with("UID_"));
        assert_eq!(connect_unionid(1, "dev", "u").len(), 36);
    }
}
