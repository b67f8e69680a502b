//! Start-up failures before the gateway connects.

#![allow(clippy::unwrap_used)]

use qie::model::id::AppId;
use qie::model::secret::AppSecret;
use qie::{Bot, BotErrorKind, Config};

#[tokio::test(start_paused = true)]
async fn unreachable_host_names_the_token_url() {
    // A port that was just bound and released has no listener, so connecting is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let base = format!("http://{address}");

    let config =
        Config::new(AppId::new("102000001"), AppSecret::new("secret")).with_api_base(&base);
    let bot = Bot::builder().build(&config).unwrap();
    let error = bot.run_until(std::future::pending()).await.unwrap_err();

    let BotErrorKind::Unreachable { url } = error.kind() else {
        panic!("expected an unreachable error, got {error:?}");
    };
    assert!(
        url.starts_with(&base),
        "url {url:?} should start with {base}"
    );
    assert!(url.ends_with("/app/getAppAccessToken"), "url {url:?}");
}
