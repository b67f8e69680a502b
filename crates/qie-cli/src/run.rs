//! `qie run`: the example bot against the QQ platform or any base URL.

use std::process::ExitCode;

use qie::{Bot, Config};

use crate::cli::RunArgs;
use crate::example_bot::{self, Language};
use crate::lang::Lang;
use crate::{bot_messages, config_messages, say};

/// Loads the configuration, runs the example bot until Ctrl-C, and reports errors in `lang`.
pub(crate) async fn run(lang: Lang, args: &RunArgs) -> Result<ExitCode, String> {
    let mut config =
        Config::load(&args.config).map_err(|error| config_messages::render(lang, &error))?;
    if let Some(api_base) = &args.api_base {
        config = config.with_api_base(api_base);
    }
    let app_id = config.app_id.to_string();
    let api_base = config.api_base.clone();

    let bot = example_bot::register(Bot::builder(), bot_language(lang))
        .build(&config)
        .map_err(|error| bot_messages::render(lang, &error, &app_id, &api_base))?;
    let handle = bot.handle();

    say(&match lang {
        Lang::En => format!("Connecting AppID {app_id} to {api_base} … (Ctrl-C stops the bot)"),
        Lang::ZhCn => format!("正在以 AppID {app_id} 连接 {api_base}（按 Ctrl-C 停止）"),
    });
    let announce = tokio::spawn(async move {
        if handle.ready().await {
            say(lang.pick(
                "Connected. Send /help to the bot in QQ.",
                "已连接。在 QQ 里给机器人发送 /help 试试。",
            ));
        }
    });

    let result = bot.run().await;
    announce.abort();
    result.map_err(|error| bot_messages::render(lang, &error, &app_id, &api_base))?;
    say(lang.pick("Stopped.", "已停止。"));

    Ok(ExitCode::SUCCESS)
}

/// Returns the language the example bot replies in: the language of the CLI.
pub(crate) fn bot_language(lang: Lang) -> Language {
    match lang {
        Lang::En => Language::English,
        Lang::ZhCn => Language::Chinese,
    }
}
