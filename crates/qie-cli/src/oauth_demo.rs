//! `qie oauth-demo`: a website with a "QQ登录" button that logs in through the embedded emulator.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Args;
use qie_emulator::Emulator;
use qie_emulator::oauth::world::{EXAMPLE_CONNECT_APP_ID, EXAMPLE_CONNECT_APP_KEY};
use qie_oauth::{AppKey, Client, StateGuard, StateKey};

use crate::lang::Lang;
use crate::say;

/// Options of `qie oauth-demo`.
#[derive(Debug, Args)]
pub(crate) struct OauthDemoArgs {
    /// TCP port of the demo website on 127.0.0.1 (0 picks a free port).
    #[arg(long, default_value_t = 8080, value_name = "PORT")]
    pub(crate) port: u16,

    /// TCP port of the emulator on 127.0.0.1 (0 picks a free port).
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub(crate) emulator_port: u16,
}

/// Chinese help of the options, as `(argument id, help)`.
pub(crate) const ZH_HELP: &[(&str, &str)] = &[
    (
        "port",
        "演示网站在 127.0.0.1 上的 TCP 端口（0 表示自动选择空闲端口）",
    ),
    (
        "emulator_port",
        "模拟器在 127.0.0.1 上的 TCP 端口（0 表示自动选择空闲端口）",
    ),
];

/// Chinese description of the subcommand.
pub(crate) const ZH_ABOUT: &str = "运行一个带「QQ登录」按钮的网站，通过内置模拟器完成 QQ 互联登录";

/// Starts the emulator and the demo website, prints where to go and waits for Ctrl-C.
pub(crate) async fn run(lang: Lang, args: &OauthDemoArgs) -> Result<ExitCode, String> {
    let site_address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener =
        tokio::net::TcpListener::bind(site_address)
            .await
            .map_err(|error| match lang {
                Lang::En => format!(
                    "error: cannot listen on {site_address}: {error}\n\
                     fix: choose another port with --port (0 picks a free one)"
                ),
                Lang::ZhCn => format!(
                    "错误：无法监听 {site_address}：{error}\n\
                     解决：用 --port 换一个端口（0 表示自动选择）"
                ),
            })?;
    let site = listener
        .local_addr()
        .map(|address| format!("http://{address}"))
        .map_err(|error| error.to_string())?;
    let redirect_uri = format!("{site}/login/qq/callback");

    let emulator = Emulator::builder()
        .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.emulator_port)))
        .start()
        .await
        .map_err(|error| match lang {
            Lang::En => format!(
                "error: the emulator did not start: {error}\n\
                     fix: choose another port with --emulator-port (0 picks a free one)"
            ),
            Lang::ZhCn => format!(
                "错误：模拟器没有启动：{error}\n\
                     解决：用 --emulator-port 换一个端口（0 表示自动选择）"
            ),
        })?;
    emulator
        .oauth()
        .add_redirect_uri(EXAMPLE_CONNECT_APP_ID, &redirect_uri)
        .map_err(|error| error.to_string())?;

    let client = Client::builder(
        EXAMPLE_CONNECT_APP_ID,
        AppKey::new(EXAMPLE_CONNECT_APP_KEY),
        redirect_uri,
    )
    .base_url(emulator.base_url())
    .build()
    .map_err(|error| error.to_string())?;
    let guard = StateGuard::new(StateKey::generate().map_err(|error| error.to_string())?);

    let emulator_url = emulator.base_url();
    say(&match lang {
        Lang::En => format!("Open {site}/ in a browser and click QQ登录."),
        Lang::ZhCn => format!("用浏览器打开 {site}/，点击「QQ登录」。"),
    });
    say(&match lang {
        Lang::En => format!("QQ Connect emulator: {emulator_url} (appid {EXAMPLE_CONNECT_APP_ID})"),
        Lang::ZhCn => format!("QQ 互联模拟器：{emulator_url}（appid {EXAMPLE_CONNECT_APP_ID}）"),
    });
    say(lang.pick("Press Ctrl-C to stop.", "按 Ctrl-C 停止。"));

    let served = tokio::select! {
        served = qie_oauth::demo::serve(listener, client, guard) => served,
        _ = tokio::signal::ctrl_c() => Ok(()),
    };
    emulator.shutdown().await;

    served
        .map(|()| ExitCode::SUCCESS)
        .map_err(|error| match lang {
            Lang::En => format!("error: the demo website stopped: {error}"),
            Lang::ZhCn => format!("错误：演示网站已停止：{error}"),
        })
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use crate::cli::{self, Command};
    use crate::lang::Lang;

    fn parse(lang: Lang, args: &[&str]) -> Result<cli::Cli, clap::Error> {
        cli::parse(lang, args.iter().map(OsString::from).collect())
    }

    #[test]
    fn oauth_demo_parses_ports() {
        let cli = parse(
            Lang::En,
            &[
                "qie",
                "oauth-demo",
                "--port",
                "0",
                "--emulator-port",
                "9000",
            ],
        )
        .unwrap();

        let Command::OauthDemo(args) = cli.command else {
            panic!("expected oauth-demo");
        };
        assert_eq!(args.port, 0);
        assert_eq!(args.emulator_port, 9000);
    }

    #[test]
    fn oauth_demo_defaults_to_port_8080() {
        let cli = parse(Lang::En, &["qie", "oauth-demo"]).unwrap();

        let Command::OauthDemo(args) = cli.command else {
            panic!("expected oauth-demo");
        };
        assert_eq!(args.port, 8080);
        assert_eq!(args.emulator_port, 0);
    }

    #[test]
    fn oauth_demo_help_in_chinese() {
        let help = parse(Lang::ZhCn, &["qie", "oauth-demo", "--help"])
            .unwrap_err()
            .to_string();

        assert!(help.contains("QQ登录"), "{help}");
        assert!(
            help.contains("演示网站在 127.0.0.1 上的 TCP 端口"),
            "{help}"
        );
    }
}
