//! `qie emulator`: the emulator alone, for bots in any language.

use std::net::SocketAddr;
use std::process::ExitCode;

use qie_emulator::{Emulator, EmulatorHandle};

use crate::cli::EmulatorArgs;
use crate::lang::Lang;
use crate::say;

/// Starts the emulator, prints its URLs and waits for Ctrl-C.
pub(crate) async fn run(lang: Lang, args: &EmulatorArgs) -> Result<ExitCode, String> {
    let mut builder = Emulator::builder().bind(SocketAddr::new(args.host, args.port));
    if let Some(world) = &args.world {
        builder = builder.world_file(world);
    }
    let emulator = builder
        .start()
        .await
        .map_err(|error| start_error(lang, &error, args))?;

    print_urls(lang, &emulator);
    say(lang.pick("Press Ctrl-C to stop.", "按 Ctrl-C 停止。"));
    let _ = tokio::signal::ctrl_c().await;
    emulator.shutdown().await;

    Ok(ExitCode::SUCCESS)
}

/// Explains a failure to start the emulator (port taken, unreadable world file).
pub(crate) fn start_error(lang: Lang, error: &qie_emulator::Error, args: &EmulatorArgs) -> String {
    let detail = crate::bot_messages::error_chain(error);
    match lang {
        Lang::En => format!(
            "error: the emulator did not start: {detail}\n\
             fix: choose another port with --port (0 picks a free one){}",
            if args.world.is_some() {
                ", or check the --world file"
            } else {
                ""
            }
        ),
        Lang::ZhCn => format!(
            "错误：模拟器没有启动：{detail}\n解决：用 --port 换一个端口（0 表示自动选择）{}",
            if args.world.is_some() {
                "，或检查 --world 文件"
            } else {
                ""
            }
        ),
    }
}

/// Prints the URLs, the bot's credentials and how to connect and talk.
pub(crate) fn print_urls(lang: Lang, emulator: &EmulatorHandle) {
    let bot = emulator.bot();
    let base = emulator.base_url();
    let control = emulator.control_url();

    let rows = [
        (
            lang.pick("OpenAPI and token endpoint", "OpenAPI 与 token 接口"),
            base.clone(),
        ),
        (
            lang.pick("WebSocket gateway", "WebSocket 网关"),
            emulator.gateway_url(),
        ),
        (lang.pick("Control API", "控制 API"), control.clone()),
        (
            lang.pick("Web console", "网页控制台"),
            emulator.console_url(),
        ),
        ("AppID", bot.app_id.clone()),
        ("AppSecret", bot.secret.clone()),
    ];
    say(lang.pick("qie emulator is running:", "qie 模拟器已启动："));
    for (label, value) in rows {
        say(&format!("  {label:<28} {value}"));
    }
    say("");
    say(lang.pick(
        "Run the example bot against it (in another terminal):",
        "在另一个终端里让示例机器人连接它：",
    ));
    say(&format!(
        "  QIE_APP_ID={} QIE_APP_SECRET={} qie run --api-base {base}",
        bot.app_id, bot.secret
    ));
    say("");
    say(lang.pick("Play a user:", "扮演一个用户："));
    say(&curl_examples(&control));
}

/// curl commands that send a C2C message to the bot and read its replies.
pub(crate) fn curl_examples(control: &str) -> String {
    let user = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";
    format!(
        "  curl -s -X POST {control}/inject/message -H 'content-type: application/json' \\\n    \
         -d '{{\"scene\":\"c2c\",\"target\":\"{user}\",\"content\":\"/dice\"}}'\n  \
         curl -s '{control}/sent?conversation=c2c:{user}'"
    )
}
