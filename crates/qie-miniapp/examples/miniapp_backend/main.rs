//! A mini-program backend on qie-miniapp: the server the `qie miniapp new` project logs in to.
//!
//! `qie miniapp new` copies this file and `app.rs` into the project's `server/` directory, where
//! `cargo run` starts it. In the qie repository it runs as an example:
//!
//! ```text
//! QQ_MINIAPP_APPID=1109816085 QQ_MINIAPP_SECRET=... \
//!     cargo run -p qie-miniapp --example miniapp_backend
//! ```
//!
//! Settings (environment):
//!
//! - `QQ_MINIAPP_APPID`, `QQ_MINIAPP_SECRET`: the mini-program's appid and AppSecret (required).
//! - `QQ_MINIAPP_API_BASE`: base URL of the server API, for example the URL that `qie emulator`
//!   prints; default `https://api.q.qq.com`.
//! - `BIND`: listening address, default `127.0.0.1:3000`.
//!
//! The routes are described in `app.rs`.

mod app;

use std::net::SocketAddr;
use std::process::ExitCode;

use qie_miniapp::{AppId, AppSecret, Client, DEFAULT_BASE_URL};

fn setting(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let (Some(appid), Some(secret)) = (setting("QQ_MINIAPP_APPID"), setting("QQ_MINIAPP_SECRET"))
    else {
        tracing::error!(
            "set QQ_MINIAPP_APPID and QQ_MINIAPP_SECRET (the appid and AppSecret from the \
             mini-program console)"
        );
        return ExitCode::FAILURE;
    };
    let base_url = setting("QQ_MINIAPP_API_BASE").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let bind = setting("BIND").unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let Ok(address) = bind.parse::<SocketAddr>() else {
        tracing::error!(bind, "BIND is not an address such as 127.0.0.1:3000");
        return ExitCode::FAILURE;
    };

    let client = match Client::builder(AppId::new(appid), AppSecret::new(secret))
        .base_url(base_url.clone())
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "invalid settings");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, %address, "failed to listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(%address, api_base = base_url, "mini-program backend listening");

    if let Err(error) = axum::serve(listener, app::router(app::Backend::new(client))).await {
        tracing::error!(%error, "server stopped");
        return ExitCode::FAILURE;
    }

    ExitCode::SUCCESS
}
