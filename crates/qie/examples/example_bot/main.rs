//! The example bot as a program of its own.
//!
//! ```sh
//! # Against the emulator (start it with `cargo run -p qie-cli -- emulator`):
//! QIE_APP_ID=102000001 QIE_APP_SECRET=ExampleBotSecret01 QIE_API_BASE=http://127.0.0.1:8080 \
//!     cargo run -p qie --example example_bot
//!
//! # With real credentials in qie.toml:
//! cargo run -p qie --example example_bot
//! ```
//!
//! Set `QIE_BOT_LANG=en` for English replies (the default is Chinese). `qie run` runs the same
//! handlers with the CLI's error messages and language selection.

mod bot;

use qie::{Bot, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::load("qie.toml")?;
    let language = match std::env::var("QIE_BOT_LANG").as_deref() {
        Ok("en") => bot::Language::English,
        _ => bot::Language::Chinese,
    };

    bot::register(Bot::builder(), language)
        .build(&config)?
        .run()
        .await?;

    Ok(())
}
