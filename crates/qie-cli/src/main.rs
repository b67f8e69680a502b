//! `qie`: the demo on the embedded emulator, the example bot with real credentials, and the
//! emulator alone. Every line it prints is in English or Simplified Chinese (`--lang`, then the
//! locale variables).

mod bot_messages;
mod clap_zh;
mod cli;
mod config_messages;
mod demo;
mod demo_webhook;
mod emulator;
mod lang;
mod miniapp;
mod oauth_demo;
mod run;
mod transcript;

// The example bot of the `qie` crate, shared with `cargo run -p qie --example example_bot`.
#[path = "../../qie/examples/example_bot/bot.rs"]
mod example_bot;

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::cli::Command;
use crate::lang::Lang;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = Lang::detect(&args, &|name| std::env::var(name).ok());
    let cli = match cli::parse(lang, args) {
        Ok(cli) => cli,
        Err(error) => {
            if lang == Lang::ZhCn
                && let Some(text) = clap_zh::render_error(&error)
            {
                print_error(text.trim_end());
                return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
            }
            error.exit()
        }
    };
    let lang = cli.lang.unwrap_or(lang);

    install_tracing(cli.verbose, &cli.command);

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            print_error(&format!(
                "{}: {error}",
                lang.pick(
                    "error: cannot start the async runtime",
                    "错误：无法启动异步运行时"
                )
            ));
            return ExitCode::FAILURE;
        }
    };

    let result = runtime.block_on(async move {
        match cli.command {
            Command::Demo(args) => demo::run(lang, &args).await,
            Command::Run(args) => run::run(lang, &args).await,
            Command::Emulator(args) => emulator::run(lang, &args).await,
            Command::OauthDemo(args) => oauth_demo::run(lang, &args).await,
            Command::Miniapp(args) => miniapp::run(lang, &args).await,
        }
    });

    match result {
        Ok(code) => code,
        Err(message) => {
            print_error(&message);
            ExitCode::from(2)
        }
    }
}

/// Logs to stderr. Quiet by default (warnings only) so the demo transcript stays readable;
/// `qie run` and `qie emulator` also show `info` events, which an operator wants to see.
fn install_tracing(verbose: u8, command: &Command) {
    let default = match (verbose, command) {
        (0, Command::Demo(_)) => "warn",
        (0, _) => "warn,qie=info,qie_gateway=info,qie_emulator=info",
        (1, _) => "info",
        (2, _) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // tungstenite traces whole frames, Identify and Resume with their access token included, so
    // its level is capped at debug whatever RUST_LOG or -v requests.
    let cap = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_target("tungstenite", LevelFilter::DEBUG)
        .with_target("tokio_tungstenite", LevelFilter::DEBUG);

    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .finish()
        .with(cap)
        .init();
}

/// Prints a line of output.
pub(crate) fn say(line: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (a pipe into `head`) must not panic the bot.
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}

fn print_error(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}
