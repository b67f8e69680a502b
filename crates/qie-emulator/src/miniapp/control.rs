//! Control of the mini-program area: in process through [`Control::miniapp`], and over HTTP
//! under `/_emulator/miniapp/`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::open_data::{EncryptedOpenData, seal};
use super::state::{IssuedCode, MediaCheck, MiniApp, MiniappConfig, MiniappMessage};
use crate::clock::unix_now;
use crate::control::Control;
use crate::respond::json_response;
use crate::state::{App, Inner};
use crate::{Error, ErrorKind};

impl Control {
    /// Returns the control of the mini-program area (`api.q.qq.com`).
    pub fn miniapp(&self) -> MiniappControl {
        MiniappControl {
            app: self.app.clone(),
        }
    }
}

/// Control of the emulated mini-program platform: apps, login codes, open data, subscriptions
/// and what backends sent. Cheap to clone.
///
/// Every method that takes an `appid` accepts `None` for the first registered app
/// ([`EXAMPLE_APPID`](super::EXAMPLE_APPID) unless replaced).
#[derive(Debug, Clone)]
pub struct MiniappControl {
    app: App,
}

fn resolve_appid(inner: &Inner, appid: Option<&str>) -> Result<String, Error> {
    match appid {
        Some(appid) if inner.miniapp.apps.contains_key(appid) => Ok(appid.to_owned()),
        Some(appid) => Err(Error::not_found(format!(
            "no mini-program with appid {appid}"
        ))),
        None => inner
            .miniapp
            .apps
            .keys()
            .next()
            .cloned()
            .ok_or_else(|| Error::not_found("no mini-program is registered")),
    }
}

impl MiniappControl {
    /// Registers a mini-program, or replaces the one with the same appid.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidRequest`] when the appid is not numeric or the secret is empty.
    pub fn register(&self, app: MiniApp) -> Result<(), Error> {
        if app.appid.is_empty() || !app.appid.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(Error::invalid(format!(
                "appid {:?} is not numeric; QQ mini-program appids are digits",
                app.appid
            )));
        }
        if app.secret.is_empty() {
            return Err(Error::invalid(
                "the secret of a mini-program must not be empty",
            ));
        }

        tracing::info!(appid = app.appid, "mini-program registered");
        self.app.lock().miniapp.apps.insert(app.appid.clone(), app);

        Ok(())
    }

    /// Returns the registered mini-programs.
    pub fn apps(&self) -> Vec<MiniApp> {
        self.app.lock().miniapp.apps.values().cloned().collect()
    }

    /// Returns the behaviour settings.
    pub fn config(&self) -> MiniappConfig {
        self.app.lock().miniapp.config.clone()
    }

    /// Changes the behaviour settings.
    pub fn configure(&self, change: impl FnOnce(&mut MiniappConfig)) {
        change(&mut self.app.lock().miniapp.config);
    }

    /// Issues a single-use login code for `user`, as `qq.login()` on that user's phone would.
    ///
    /// The openid is derived from the world seed, the appid and `user`, so it is stable.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] for an unknown appid.
    pub fn login(&self, appid: Option<&str>, user: &str) -> Result<IssuedCode, Error> {
        if user.is_empty() {
            return Err(Error::invalid("the user name must not be empty"));
        }

        let mut inner = self.app.lock();
        let appid = resolve_appid(&inner, appid)?;
        let inner = &mut *inner;
        let seed = inner.world.seed;

        Ok(inner
            .miniapp
            .issue_code(&mut inner.ids, seed, &appid, user, Instant::now()))
    }

    /// Returns a user's current session_key (base64), once a login code was exchanged.
    pub fn session_key(&self, appid: Option<&str>, openid: &str) -> Result<String, Error> {
        let inner = self.app.lock();
        let appid = resolve_appid(&inner, appid)?;

        inner
            .miniapp
            .session(&appid, openid)
            .map(|session| session.session_key.clone())
            .ok_or_else(|| no_session(&appid, openid))
    }

    /// Replaces a user's session_key, as a later `qq.login()` may do; data encrypted under the
    /// old key then no longer matches. Returns the new key.
    pub fn rotate_session_key(&self, appid: Option<&str>, openid: &str) -> Result<String, Error> {
        let mut inner = self.app.lock();
        let appid = resolve_appid(&inner, appid)?;
        let inner = &mut *inner;

        inner
            .miniapp
            .rotate_session_key(&mut inner.ids, &appid, openid)
            .ok_or_else(|| no_session(&appid, openid))
    }

    /// Encrypts `qq.getUserInfo` data for a logged-in user under their current session_key,
    /// with a watermark for the app and the current time.
    pub fn user_info(&self, appid: Option<&str>, openid: &str) -> Result<EncryptedOpenData, Error> {
        let mut inner = self.app.lock();
        let appid = resolve_appid(&inner, appid)?;
        let session = inner
            .miniapp
            .session(&appid, openid)
            .cloned()
            .ok_or_else(|| no_session(&appid, openid))?;

        let mut profile = Map::new();
        profile.insert("nickName".to_owned(), json!(session.user));
        profile.insert("gender".to_owned(), json!(0));
        profile.insert("language".to_owned(), json!("zh_CN"));
        profile.insert("city".to_owned(), json!("Shenzhen"));
        profile.insert("province".to_owned(), json!("Guangdong"));
        profile.insert("country".to_owned(), json!("CN"));
        profile.insert(
            "avatarUrl".to_owned(),
            json!(format!("https://thirdqq.qlogo.cn/qie/{openid}/100")),
        );
        let raw_data = Value::Object(profile.clone()).to_string();

        let mut payload = Map::new();
        payload.insert("openId".to_owned(), json!(openid));
        payload.extend(profile);
        let seed = inner.world.seed;
        if let Some(unionid) = inner.miniapp.unionid(seed, &appid, &session.user) {
            payload.insert("unionId".to_owned(), json!(unionid));
        }

        seal_for(&mut inner, &appid, &session.session_key, payload, raw_data)
    }

    /// Encrypts any JSON object (for example `{"openGId": …}` of `qq.getShareInfo`) for a
    /// logged-in user, adding the watermark. `rawData` is the object without the watermark.
    pub fn open_data(
        &self,
        appid: Option<&str>,
        openid: &str,
        payload: Map<String, Value>,
    ) -> Result<EncryptedOpenData, Error> {
        let mut inner = self.app.lock();
        let appid = resolve_appid(&inner, appid)?;
        let session_key = inner
            .miniapp
            .session(&appid, openid)
            .map(|session| session.session_key.clone())
            .ok_or_else(|| no_session(&appid, openid))?;
        let raw_data = Value::Object(payload.clone()).to_string();

        seal_for(&mut inner, &appid, &session_key, payload, raw_data)
    }

    /// Lets the app send `count` more subscription messages of `template_id` to the user, as
    /// the user's consent in the client does.
    pub fn grant_subscription(
        &self,
        appid: Option<&str>,
        openid: &str,
        template_id: &str,
        count: u32,
    ) -> Result<(), Error> {
        let mut inner = self.app.lock();
        let appid = resolve_appid(&inner, appid)?;
        *inner
            .miniapp
            .grants
            .entry((appid, openid.to_owned(), template_id.to_owned()))
            .or_insert(0) += count;

        Ok(())
    }

    /// Returns the subscription and template messages backends sent, oldest first.
    pub fn messages(&self) -> Vec<MiniappMessage> {
        self.app.lock().miniapp.messages.clone()
    }

    /// Returns the submitted `MediaCheckAsync` requests, oldest first.
    pub fn media_checks(&self) -> Vec<MediaCheck> {
        self.app.lock().miniapp.media_checks.clone()
    }

    /// Returns how many mini-program codes an app created.
    pub fn mini_codes_created(&self, appid: Option<&str>) -> Result<u32, Error> {
        let inner = self.app.lock();
        let appid = resolve_appid(&inner, appid)?;

        Ok(inner.miniapp.mini_codes.get(&appid).copied().unwrap_or(0))
    }

    /// Expires every access token of an app (all apps when `appid` is `None`) now; returns how
    /// many were valid.
    pub fn expire_tokens(&self, appid: Option<&str>) -> usize {
        self.app.lock().miniapp.expire_tokens(appid, Instant::now())
    }
}

fn no_session(appid: &str, openid: &str) -> Error {
    Error::not_found(format!(
        "user {openid} has no session in mini-program {appid}; exchange a login code first"
    ))
}

fn seal_for(
    inner: &mut Inner,
    appid: &str,
    session_key: &str,
    payload: Map<String, Value>,
    raw_data: String,
) -> Result<EncryptedOpenData, Error> {
    seal(
        &mut inner.ids,
        appid,
        session_key,
        unix_now(),
        payload,
        raw_data,
    )
    .ok_or_else(|| Error::invalid("the stored session_key is not base64 of 16 bytes"))
}

/// `{"error", "kind"}` with 400 or 404, as the other control routes respond.
pub(super) struct ControlError(Error);

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let (status, kind) = match self.0.kind() {
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            _ => (StatusCode::BAD_REQUEST, "invalid_request"),
        };
        tracing::info!(error = %self.0, "mini-program control request failed");

        json_response(status, &json!({"error": self.0.to_string(), "kind": kind}))
    }
}

impl From<Error> for ControlError {
    fn from(error: Error) -> Self {
        Self(error)
    }
}

pub(super) type ControlResult = Result<Response, ControlError>;

fn reply(value: &impl serde::Serialize) -> ControlResult {
    let value = serde_json::to_value(value).map_err(|error| Error::invalid(error.to_string()))?;

    Ok(json_response(StatusCode::OK, &value))
}

fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ControlError> {
    serde_json::from_slice(bytes)
        .map_err(|error| ControlError(Error::invalid(format!("invalid request body: {error}"))))
}

fn control(app: &App) -> MiniappControl {
    MiniappControl { app: app.clone() }
}

#[derive(Deserialize)]
struct UserRequest {
    #[serde(default)]
    appid: Option<String>,
    #[serde(default)]
    user: String,
    #[serde(default)]
    openid: String,
    #[serde(default)]
    payload: Option<Map<String, Value>>,
    #[serde(default)]
    template_id: String,
    #[serde(default)]
    count: Option<u32>,
}

pub(super) async fn http_register(State(app): State<App>, bytes: Bytes) -> ControlResult {
    let record: MiniApp = body(&bytes)?;
    control(&app).register(record)?;

    reply(&json!({"ok": true}))
}

pub(super) async fn http_apps(State(app): State<App>) -> ControlResult {
    // Secrets stay out of the listing.
    let apps: Vec<Value> = control(&app)
        .apps()
        .into_iter()
        .map(|record| {
            json!({
                "appid": record.appid,
                "name": record.name,
                "union_developer": record.union_developer,
                "templates": record.templates,
            })
        })
        .collect();

    reply(&apps)
}

pub(super) async fn http_login(State(app): State<App>, bytes: Bytes) -> ControlResult {
    let request: UserRequest = body(&bytes)?;

    reply(&control(&app).login(request.appid.as_deref(), &request.user)?)
}

pub(super) async fn http_open_data(State(app): State<App>, bytes: Bytes) -> ControlResult {
    let request: UserRequest = body(&bytes)?;
    let control = control(&app);
    let sealed = match request.payload {
        Some(payload) => control.open_data(request.appid.as_deref(), &request.openid, payload)?,
        None => control.user_info(request.appid.as_deref(), &request.openid)?,
    };

    reply(&sealed)
}

pub(super) async fn http_rotate(State(app): State<App>, bytes: Bytes) -> ControlResult {
    let request: UserRequest = body(&bytes)?;
    control(&app).rotate_session_key(request.appid.as_deref(), &request.openid)?;

    reply(&json!({"ok": true}))
}

pub(super) async fn http_grant(State(app): State<App>, bytes: Bytes) -> ControlResult {
    let request: UserRequest = body(&bytes)?;
    control(&app).grant_subscription(
        request.appid.as_deref(),
        &request.openid,
        &request.template_id,
        request.count.unwrap_or(1),
    )?;

    reply(&json!({"ok": true}))
}

pub(super) async fn http_messages(State(app): State<App>) -> ControlResult {
    reply(&control(&app).messages())
}

pub(super) async fn http_media_checks(State(app): State<App>) -> ControlResult {
    reply(&control(&app).media_checks())
}

pub(super) async fn http_expire_tokens(State(app): State<App>, bytes: Bytes) -> ControlResult {
    let request: UserRequest = if bytes.is_empty() {
        body(b"{}")?
    } else {
        body(&bytes)?
    };
    let expired = control(&app).expire_tokens(request.appid.as_deref());

    reply(&json!({"expired": expired}))
}
