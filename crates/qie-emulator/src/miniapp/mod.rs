//! The mini-program server API (`api.q.qq.com` behaviour), so a backend can be tested end to end.
//!
//! Served paths:
//!
//! | Path | Behaviour |
//! | --- | --- |
//! | `GET /sns/jscode2session` | single-use login codes (issued by the control API), 40029 on reuse, 45011 over 100 logins per user per minute, a session_key per user kept until rotated |
//! | `GET /api/getToken` | a new token per call; the previous one keeps working for 5 minutes |
//! | `POST /api/json/security/MsgSecCheck` | `errCode` 87014 when the text contains a configured risky word |
//! | `POST /api/json/security/ImgSecCheck` | multipart `appid` + `media`; 87014 when the image contains the configured marker |
//! | `POST /api/json/security/MediaCheckAsync` | records the request and returns a `trace_id` |
//! | `POST /api/json/subscribe/SendSubscriptionMessage` | needs a grant from the control API (46001 otherwise) and a registered template (40037, 40035) |
//! | `POST /api/json/template/send` | needs a `form_id` and a registered template |
//! | `POST /api/json/qqa/CreateMiniCode` | a 1×1 PNG; 45029 after the quota of 50 codes |
//!
//! Control: [`MiniappControl`] in process (`handle.miniapp()`), and `/_emulator/miniapp/…` over
//! HTTP (`apps`, `login`, `open_data`, `rotate_session_key`, `subscriptions`, `messages`,
//! `media_checks`, `tokens/expire`).
//!
//! NOTE: the asynchronous verdict of `MediaCheckAsync` (pushed later to the console's message
//! URL) is not emulated.

mod api;
mod control;
mod open_data;
mod state;

use axum::Router;
use axum::routing::{get, post};

pub use self::control::MiniappControl;
pub use self::open_data::EncryptedOpenData;
pub(crate) use self::state::MiniappState;
pub use self::state::{
    EXAMPLE_APPID, EXAMPLE_SECRET, EXAMPLE_TEMPLATE_ID, IssuedCode, MediaCheck, MiniApp,
    MiniappConfig, MiniappMessage,
};
use crate::CONTROL_PREFIX;
use crate::state::App;

/// Router of the `api.q.qq.com` endpoints and of their control routes.
pub(crate) fn router() -> Router<App> {
    let control = |path: &str| format!("{CONTROL_PREFIX}/miniapp/{path}");

    Router::new()
        .route("/sns/jscode2session", get(api::jscode2session))
        .route("/api/getToken", get(api::get_token))
        .route("/api/json/security/MsgSecCheck", post(api::msg_sec_check))
        .route("/api/json/security/ImgSecCheck", post(api::img_sec_check))
        .route(
            "/api/json/security/MediaCheckAsync",
            post(api::media_check_async),
        )
        .route(
            "/api/json/subscribe/SendSubscriptionMessage",
            post(api::send_subscription_message),
        )
        .route("/api/json/template/send", post(api::send_template_message))
        .route("/api/json/qqa/CreateMiniCode", post(api::create_mini_code))
        .route(
            &control("apps"),
            get(control::http_apps).post(control::http_register),
        )
        .route(&control("login"), post(control::http_login))
        .route(&control("open_data"), post(control::http_open_data))
        .route(&control("rotate_session_key"), post(control::http_rotate))
        .route(&control("subscriptions"), post(control::http_grant))
        .route(&control("messages"), get(control::http_messages))
        .route(&control("media_checks"), get(control::http_media_checks))
        .route(&control("tokens/expire"), post(control::http_expire_tokens))
}
