//! Runs the emulator as a standalone process, for clients in other languages.
//!
//! ```text
//! cargo run -p qie-emulator --example serve -- --port 0 --legacy-bot-token
//! ```
//!
//! Once listening it prints `base_url=…`, `gateway_url=…` and `control_url=…` on stdout, one per
//! line, then serves until SIGINT or SIGTERM. Logs go to stderr; `RUST_LOG` filters them (default
//! `info`).

use std::io::{IsTerminal as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use qie_emulator::Emulator;

const USAGE: &str = "\
usage: serve [OPTIONS]

Options:
  --port PORT               TCP port on 127.0.0.1 (default 0: any free port)
  --world FILE              world file (TOML); the built-in example world by default
  --seed N                  seed of the derived ids
  --legacy-bot-token        accept the legacy `Bot {appid}.{token}` authorization
  --hello-interval SECONDS  heartbeat_interval announced in Hello (default 45)
  --heartbeat-timeout SECONDS
                            silence after which a connection is closed with 4009 (default 90)
  --token-lifetime SECONDS  lifetime of a fresh access token (default 7200)
  -h, --help                print this help
";

/// Settings read from the command line.
#[derive(Debug, Default)]
struct Options {
    port: u16,
    world: Option<PathBuf>,
    seed: Option<u64>,
    legacy_bot_token: bool,
    hello_interval: Option<Duration>,
    heartbeat_timeout: Option<Duration>,
    token_lifetime: Option<Duration>,
}

/// Parses the arguments. `Ok(None)` means that `--help` was given.
fn parse_options(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} requires a value"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--legacy-bot-token" => options.legacy_bot_token = true,
            "--port" => options.port = parse_number(&arg, &value(&arg)?)?,
            "--world" => options.world = Some(PathBuf::from(value(&arg)?)),
            "--seed" => options.seed = Some(parse_number(&arg, &value(&arg)?)?),
            "--hello-interval" => {
                options.hello_interval = Some(parse_seconds(&arg, &value(&arg)?)?);
            }
            "--heartbeat-timeout" => {
                options.heartbeat_timeout = Some(parse_seconds(&arg, &value(&arg)?)?);
            }
            "--token-lifetime" => {
                options.token_lifetime = Some(parse_seconds(&arg, &value(&arg)?)?);
            }
            _ => return Err(format!("unknown option {arg:?}")),
        }
    }

    Ok(Some(options))
}

fn parse_number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name} {text:?} is not a valid number"))
}

fn parse_seconds(name: &str, text: &str) -> Result<Duration, String> {
    parse_number(name, text).map(Duration::from_secs)
}

/// Waits for SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = interrupt => {}
                _ = terminate.recv() => {}
            }
        }
        Err(_) => {
            let _ = interrupt.await;
        }
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let mut builder = Emulator::builder()
        .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, options.port)))
        .legacy_bot_token(options.legacy_bot_token);
    if let Some(path) = options.world {
        builder = builder.world_file(path);
    }
    if let Some(seed) = options.seed {
        builder = builder.seed(seed);
    }
    if let Some(interval) = options.hello_interval {
        builder = builder.hello_interval(interval);
    }
    if let Some(timeout) = options.heartbeat_timeout {
        builder = builder.heartbeat_timeout(timeout);
    }
    if let Some(lifetime) = options.token_lifetime {
        builder = builder.token_lifetime(lifetime);
    }

    let emulator = builder
        .start()
        .await
        .map_err(|error| format!("failed to start the emulator: {error}"))?;

    // The URLs go to stdout for scripts to read, flushed before the server blocks.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "base_url={}", emulator.base_url())
        .and_then(|()| writeln!(stdout, "gateway_url={}", emulator.gateway_url()))
        .and_then(|()| writeln!(stdout, "control_url={}", emulator.control_url()))
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("failed to write to stdout: {error}"))?;
    drop(stdout);

    shutdown_signal().await;
    tracing::info!("shutting down");
    emulator.shutdown().await;

    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    let result = match parse_options(std::env::args().skip(1)) {
        Ok(None) => {
            let _ = write!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Some(options)) => serve(options).await,
        Err(message) => Err(format!("{message}\n\n{USAGE}")),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "serve: {message}");
            ExitCode::FAILURE
        }
    }
}
