//! A website with a "QQ登录" button that logs in through the local emulator.
//!
//! ```sh
//! cargo run -p qie-oauth --features demo --example oauth_demo -- --port 8080
//! ```
//!
//! It starts the emulator on a free port of 127.0.0.1, registers the demo's callback with the
//! emulator's example app `101000001`, and serves the demo on `--port` (default 8080; 0 picks a
//! free port). It prints `demo: <URL>` once both listen, then runs until Ctrl-C.

#![allow(
    clippy::print_stdout,
    reason = "the example prints its URLs for a person or a script"
)]

use std::error::Error;
use std::net::{Ipv4Addr, SocketAddr};

use qie_emulator::Emulator;
use qie_emulator::oauth::world::{EXAMPLE_CONNECT_APP_ID, EXAMPLE_CONNECT_APP_KEY};
use qie_oauth::{AppKey, Client, StateGuard, StateKey};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let port = parse_port()?;

    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let site = format!("http://{}", listener.local_addr()?);
    let redirect_uri = format!("{site}/login/qq/callback");

    let emulator = Emulator::builder().start().await?;
    emulator
        .oauth()
        .add_redirect_uri(EXAMPLE_CONNECT_APP_ID, &redirect_uri)?;

    let client = Client::builder(
        EXAMPLE_CONNECT_APP_ID,
        AppKey::new(EXAMPLE_CONNECT_APP_KEY),
        redirect_uri,
    )
    .base_url(emulator.base_url())
    .build()?;
    let guard = StateGuard::new(StateKey::generate()?);

    println!("emulator: {}", emulator.base_url());
    println!("demo: {site}/");

    tokio::select! {
        served = qie_oauth::demo::serve(listener, client, guard) => served?,
        _ = tokio::signal::ctrl_c() => {}
    }
    emulator.shutdown().await;

    Ok(())
}

fn parse_port() -> Result<u16, Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut port = 8080;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                port = value
                    .parse()
                    .map_err(|_| format!("--port {value:?} is not a port number"))?;
            }
            other => {
                return Err(
                    format!("unknown argument {other:?}; the only option is --port PORT").into(),
                );
            }
        }
    }

    Ok(port)
}
