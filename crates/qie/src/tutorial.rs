//! Tutorial: a QQ bot in five steps.
//!
//! Each step adds to the previous one; every example compiles (`cargo test -p qie --doc`), and
//! the ones that need a network are marked `no_run`.
//!
//! # 1. Credentials
//!
//! Create a bot in the QQ bot console and copy its AppID and AppSecret from the development
//! settings page (开发设置) into `qie.toml`:
//!
//! ```toml
//! [bot]
//! app_id = "102000001"
//! secret = "your AppSecret"
//! ```
//!
//! Or set `QIE_APP_ID` and `QIE_APP_SECRET`. To try everything offline first, run the emulator
//! (`qie emulator`) and add `api_base = "http://127.0.0.1:8080"` under `[platform]`; its bot has
//! AppID `102000001` and secret `ExampleBotSecret01`.
//!
//! ```no_run
//! let config = qie::Config::load("qie.toml")?;
//! # Ok::<(), qie::config::ConfigError>(())
//! ```
//!
//! A missing or malformed file is a [`ConfigError`](crate::config::ConfigError) that names the
//! key and the fix, for example ``missing `bot.secret` in qie.toml; add `secret = "…"` under
//! [bot] or set QIE_APP_SECRET``.
//!
//! # 2. A command
//!
//! Commands answer `/ping`, `ping` (when the message is addressed to the bot) and `@bot ping` in
//! every scene. [`Context::reply`](crate::Context::reply) sends to the conversation the message
//! came from:
//!
//! ```no_run
//! use qie::command::Args;
//! use qie::{Bot, Context};
//!
//! # async fn run(config: qie::Config) -> Result<(), qie::BotError> {
//! Bot::builder()
//!     .command("ping", |ctx: Context, _args: Args| async move {
//!         ctx.reply("pong").await?;
//!         Ok(())
//!     })
//!     .build(&config)?
//!     .run()
//!     .await
//! # }
//! ```
//!
//! `run` connects to the gateway, handles events until Ctrl-C, then closes the session so the
//! next start resumes it.
//!
//! # 3. Arguments and help
//!
//! A [`Command`](crate::command::Command) carries aliases and help text; the arguments arrive
//! split into tokens, with quotes keeping spaces:
//!
//! ```
//! use qie::command::{Args, Command};
//! use qie::{Bot, Context, Reply};
//!
//! let builder = Bot::builder()
//!     .command(
//!         Command::new("dice").alias("roll").usage("/dice [sides]").description("Roll a die"),
//!         |ctx: Context, args: Args| async move {
//!             let sides: u32 = args.optional(0, "sides")?.unwrap_or(6);
//!             ctx.reply(format!("Rolling a die with {sides} sides")).await?;
//!             Ok(())
//!         },
//!     )
//!     .command("help", |ctx: Context, _args: Args| async move {
//!         let help = ctx.commands().help_markdown();
//!         ctx.reply(Reply::markdown(help)).await?;
//!         Ok(())
//!     });
//! # drop(builder);
//! ```
//!
//! `/dice abc` makes `optional` fail with an [`ArgError`](crate::command::ArgError); the `?`
//! returns it, and the bot logs it with the command name. Reply with a usage hint instead when
//! users should see it.
//!
//! # 4. Buttons
//!
//! A Markdown reply can carry a keyboard. Clicks on callback buttons arrive as interactions;
//! the bot acknowledges each one at once, and the handler answers in the scene of the click:
//!
//! ```
//! use qie::command::Args;
//! use qie::message::{ActionType, Button, Keyboard};
//! use qie::model::event::Interaction;
//! use qie::{Bot, Context, Reply};
//!
//! let builder = Bot::builder()
//!     .command("card", |ctx: Context, _args: Args| async move {
//!         let keyboard = Keyboard::rows([[
//!             Button::new("👍", ActionType::Callback, "vote:yes"),
//!             Button::new("👎", ActionType::Callback, "vote:no"),
//!         ]]);
//!         ctx.reply(Reply::markdown("**Do you like it?**").keyboard(keyboard)).await?;
//!         Ok(())
//!     })
//!     .on_interaction(|ctx: Context, click: Interaction| async move {
//!         let choice = click.data.resolved.button_data.unwrap_or_default();
//!         ctx.reply(format!("You chose {choice}")).await?;
//!         Ok(())
//!     });
//! # drop(builder);
//! ```
//!
//! # 5. Other messages, images, and what can fail
//!
//! [`on_message`](crate::BotBuilder::on_message) sees every message addressed to the bot,
//! commands included ([`Context::command`](crate::Context::command) tells which). Images go by
//! URL or as bytes:
//!
//! ```
//! use qie::{Bot, Context, Message, Reply};
//!
//! let builder = Bot::builder().on_message(|ctx: Context, message: Message| async move {
//!     if ctx.command().is_some() {
//!         return Ok(());
//!     }
//!     if message.text() == "picture" {
//!         let png: Vec<u8> = std::fs::read("picture.png")?;
//!         ctx.reply(Reply::image_bytes(png, "picture.png").content("here you are")).await?;
//!         return Ok(());
//!     }
//!     match ctx.reply("Send /help for the commands").await {
//!         Ok(sent) => tracing::debug!(msg_seq = ?sent.msg_seq, "answered"),
//!         // Five minutes after a group message (sixty in C2C) the platform refuses replies;
//!         // the client knows the windows and fails before sending.
//!         Err(error) if error.is_window_expired() => {}
//!         Err(error) => return Err(error.into()),
//!     }
//!     Ok(())
//! });
//! # drop(builder);
//! ```
//!
//! A handler that returns an error or panics is logged at `warn` with the event type and the
//! conversation; the bot continues with the next event. Install a `tracing` subscriber in your
//! program to see the logs.
