//! Command-line arguments, with help text in English or Chinese.

use std::ffi::OsString;
use std::net::IpAddr;
use std::path::PathBuf;

use clap::{ArgAction, Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

use crate::lang::Lang;

/// qie: QQ bots in Rust. Run the demo, run the example bot, or run the emulator.
#[derive(Debug, Parser)]
#[command(name = "qie", version, propagate_version = true)]
pub(crate) struct Cli {
    /// Language of the output: en or zh-CN (default: LC_ALL, LC_MESSAGES, LANG, then English).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub(crate) lang: Option<Lang>,

    /// Log more: -v for info, -vv for debug, -vvv for trace (RUST_LOG overrides it).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub(crate) verbose: u8,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the example bot on the embedded emulator and play a scripted conversation.
    Demo(DemoArgs),
    /// Run the example bot against the QQ platform (or any base URL) with your credentials.
    Run(RunArgs),
    /// Run the emulator alone and print its URLs.
    Emulator(EmulatorArgs),
    /// Run a website with a QQ登录 button that logs in through the embedded emulator.
    OauthDemo(crate::oauth_demo::OauthDemoArgs),
    /// Create a QQ mini-program, or convert a WeChat mini-program into one.
    Miniapp(crate::miniapp::MiniappArgs),
}

/// Options of `qie demo`.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Exit after the script: status 0 when every expected reply arrived, 1 otherwise.
    #[arg(long)]
    pub(crate) once: bool,

    /// TCP port of the emulator on 127.0.0.1 (0 picks a free port).
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub(crate) port: u16,

    /// Deliver events over a signed HTTP callback (webhook) instead of the WebSocket gateway.
    #[arg(long)]
    pub(crate) webhook: bool,
}

/// Options of `qie run`.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Configuration file with [bot] app_id and secret; QIE_* variables override it.
    #[arg(long, short, default_value = "qie.toml", value_name = "FILE")]
    pub(crate) config: PathBuf,

    /// OpenAPI base URL, for example the URL `qie emulator` prints (overrides the file).
    #[arg(long, value_name = "URL")]
    pub(crate) api_base: Option<String>,
}

/// Options of `qie emulator`.
#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    /// TCP port to listen on (0 picks a free port).
    #[arg(long, default_value_t = 8080, value_name = "PORT")]
    pub(crate) port: u16,

    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub(crate) host: IpAddr,

    /// World file (TOML) with bots, guilds, groups and users; the built-in world by default.
    #[arg(long, value_name = "FILE")]
    pub(crate) world: Option<PathBuf>,
}

fn parse_lang(value: &str) -> Result<Lang, String> {
    Lang::from_locale(value).ok_or_else(|| format!("{value:?} is not a language; use en or zh-CN"))
}

/// Chinese help text for each argument, by subcommand (`""` for the top level) and argument id.
const ZH_HELP: &[(&str, &str, &str)] = &[
    (
        "",
        "lang",
        "输出语言：en 或 zh-CN（默认依次取 LC_ALL、LC_MESSAGES、LANG，否则为英文）",
    ),
    (
        "",
        "verbose",
        "输出更多日志：-v 为 info，-vv 为 debug，-vvv 为 trace（RUST_LOG 优先）",
    ),
    (
        "demo",
        "once",
        "演示脚本结束后退出：所有预期回复都收到时状态码为 0，否则为 1",
    ),
    (
        "demo",
        "port",
        "模拟器在 127.0.0.1 上的 TCP 端口（0 表示自动选择空闲端口）",
    ),
    (
        "demo",
        "webhook",
        "通过带签名的 HTTP 回调（Webhook）而不是 WebSocket 网关接收事件",
    ),
    (
        "run",
        "config",
        "配置文件，包含 [bot] app_id 和 secret；QIE_* 环境变量优先于文件",
    ),
    (
        "run",
        "api_base",
        "OpenAPI 基础 URL，例如 `qie emulator` 打印的地址（优先于配置文件）",
    ),
    (
        "emulator",
        "port",
        "监听的 TCP 端口（0 表示自动选择空闲端口）",
    ),
    ("emulator", "host", "监听地址"),
    (
        "emulator",
        "world",
        "世界文件（TOML），定义机器人、频道、群和用户；默认使用内置世界",
    ),
];

const ZH_ABOUT: &[(&str, &str)] = &[
    (
        "",
        "qie：用 Rust 写 QQ 机器人。运行演示、运行示例机器人，或单独运行模拟器。",
    ),
    ("demo", "在内置模拟器上运行示例机器人，并播放一段脚本对话"),
    (
        "run",
        "用你的凭据在 QQ 平台（或任意基础 URL）上运行示例机器人",
    ),
    ("emulator", "单独运行模拟器并打印它的地址"),
];

/// Builds the clap command with help text in `lang`.
pub(crate) fn command(lang: Lang) -> clap::Command {
    let mut command = Cli::command();
    if lang == Lang::En {
        return command;
    }

    for (subcommand, about) in ZH_ABOUT {
        command = if subcommand.is_empty() {
            command.about(*about)
        } else {
            command.mut_subcommand(*subcommand, |sub| sub.about(*about))
        };
    }
    command = command.mut_subcommand("oauth-demo", |sub| {
        crate::oauth_demo::ZH_HELP
            .iter()
            .fold(sub.about(crate::oauth_demo::ZH_ABOUT), |sub, (id, help)| {
                sub.mut_arg(*id, |arg| arg.help(*help))
            })
    });
    command = command.mut_subcommand("miniapp", crate::miniapp::localize);
    for (subcommand, id, help) in ZH_HELP {
        command = if subcommand.is_empty() {
            command.mut_arg(*id, |arg| arg.help(*help))
        } else {
            command.mut_subcommand(*subcommand, |sub| sub.mut_arg(*id, |arg| arg.help(*help)))
        };
    }

    crate::clap_zh::localize(command)
}

/// Parses the arguments, with help and errors in `lang`.
///
/// # Errors
///
/// clap's error for invalid arguments and for `--help` and `--version`; its `exit` prints it.
pub(crate) fn parse(lang: Lang, args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let matches = command(lang).try_get_matches_from(args)?;

    Cli::from_arg_matches(&matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_en(args: &[&str]) -> Result<Cli, clap::Error> {
        parse(Lang::En, args.iter().map(OsString::from).collect())
    }

    #[test]
    fn command_definition_is_valid() {
        command(Lang::En).debug_assert();
        command(Lang::ZhCn).debug_assert();
    }

    #[test]
    fn demo_once_parses() {
        let cli = parse_en(&["qie", "demo", "--once", "--lang", "zh-CN"]).unwrap();

        assert_eq!(cli.lang, Some(Lang::ZhCn));
        let Command::Demo(demo) = cli.command else {
            panic!("expected demo");
        };
        assert!(demo.once);
        assert_eq!(demo.port, 0);
        assert!(!demo.webhook);
    }

    #[test]
    fn demo_webhook_parses() {
        let cli = parse_en(&["qie", "demo", "--webhook", "--once"]).unwrap();

        let Command::Demo(demo) = cli.command else {
            panic!("expected demo");
        };
        assert!(demo.webhook);
        assert!(demo.once);
    }

    #[test]
    fn run_defaults_to_qie_toml() {
        let cli = parse_en(&["qie", "run"]).unwrap();

        let Command::Run(run) = cli.command else {
            panic!("expected run");
        };
        assert_eq!(run.config, PathBuf::from("qie.toml"));
    }

    #[test]
    fn bad_lang_is_rejected() {
        let error = parse_en(&["qie", "--lang", "fr", "demo"]).unwrap_err();

        assert!(error.to_string().contains("use en or zh-CN"));
    }

    #[test]
    fn chinese_help_is_chinese() {
        let help = command(Lang::ZhCn).render_help().to_string();

        assert!(help.contains("用 Rust 写 QQ 机器人"), "{help}");
        assert!(help.contains("输出语言"), "{help}");
    }
}
