//! Bot start and gateway errors in English and Chinese, with the platform's code and the fix.

use qie::{BotError, BotErrorKind};
use qie::{FatalErrorKind, Intents};

use crate::lang::Lang;

/// Renders a bot error; `app_id` and `api_base` name what was tried.
pub(crate) fn render(lang: Lang, error: &BotError, app_id: &str, api_base: &str) -> String {
    let detail = error_chain(error);
    // For these kinds the first line repeats the error's own text, so the detail starts at its
    // cause.
    let cause = std::error::Error::source(error).map_or_else(|| detail.clone(), error_chain);

    match error.kind() {
        BotErrorKind::Credentials {
            code,
            message,
            trace_id,
        } => {
            let code_text = code.map_or_else(String::new, |code| code.to_string());
            let trace = trace_id
                .as_deref()
                .map(|id| format!(" (trace id {id})"))
                .unwrap_or_default();
            let fix = credential_fix(lang, *code);
            match lang {
                Lang::En => format!(
                    "error: the platform rejected AppID {app_id} and its secret: code {code_text}, \
                     \"{message}\"{trace}.\nfix: {fix}"
                ),
                Lang::ZhCn => format!(
                    "错误：平台拒绝了 AppID {app_id} 及其密钥：错误码 {code_text}，“{message}”{trace}。\n解决：{fix}"
                ),
            }
        }
        BotErrorKind::Unreachable { .. } => match lang {
            Lang::En => format!(
                "error: cannot reach the platform at {api_base}: {cause}\n\
                 fix: check the network and `platform.api_base` (QIE_API_BASE). For a local \
                 emulator, start it first with `qie emulator` and pass the URL it prints."
            ),
            Lang::ZhCn => format!(
                "错误：无法连接平台 {api_base}：{cause}\n\
                 解决：检查网络和 `platform.api_base`（QIE_API_BASE）。使用本地模拟器时，\
                 先运行 `qie emulator`，再传入它打印的地址。"
            ),
        },
        BotErrorKind::Discovery => match lang {
            Lang::En => format!(
                "error: gateway discovery (GET /gateway/bot) failed: {detail}\n\
                 fix: retry in a minute; the platform allows about 2 calls a minute."
            ),
            Lang::ZhCn => format!(
                "错误：获取网关地址（GET /gateway/bot）失败：{detail}\n解决：一分钟后重试；平台每分钟只允许约 2 次调用。"
            ),
        },
        BotErrorKind::Gateway {
            kind,
            close_code,
            intents,
        } => {
            let code = close_code.map_or_else(String::new, |code| format!(" ({code})"));
            let (en, zh) = gateway_fix(*kind);
            let requested = if matches!(kind, FatalErrorKind::DisallowedIntents) {
                requested_intents(lang, *intents)
            } else {
                String::new()
            };
            match lang {
                Lang::En => {
                    format!(
                        "error: the gateway stopped the bot{code}: {cause}\n{requested}fix: {en}"
                    )
                }
                Lang::ZhCn => {
                    format!("错误：网关停止了机器人{code}：{cause}\n{requested}解决：{zh}")
                }
            }
        }
        _ => match lang {
            Lang::En => format!("error: {detail}"),
            Lang::ZhCn => format!("错误：{detail}"),
        },
    }
}

fn credential_fix(lang: Lang, code: Option<u32>) -> &'static str {
    match code {
        Some(100_016) => lang.pick(
            "the AppSecret does not belong to this AppID. Copy both again from the QQ bot \
             console (开发设置); resetting the secret there makes the old one invalid.",
            "AppSecret 与 AppID 不匹配。请从 QQ 机器人管理端的“开发设置”重新复制两者；\
             在那里重置密钥后旧密钥立即失效。",
        ),
        Some(100_007) => lang.pick(
            "the AppID is invalid, or the bot is banned or deleted. Check `bot.app_id` against \
             the console.",
            "AppID 无效，或机器人已被封禁或删除。请对照管理端检查 `bot.app_id`。",
        ),
        Some(10_004) => lang.pick(
            "no bot has this AppID. Check `bot.app_id` (QIE_APP_ID) for a typo.",
            "不存在这个 AppID 的机器人。请检查 `bot.app_id`（QIE_APP_ID）是否写错。",
        ),
        _ => lang.pick(
            "check `bot.app_id` and `bot.secret` against the QQ bot console.",
            "请对照 QQ 机器人管理端检查 `bot.app_id` 和 `bot.secret`。",
        ),
    }
}

fn gateway_fix(kind: FatalErrorKind) -> (&'static str, &'static str) {
    match kind {
        FatalErrorKind::DisallowedIntents => (
            "the bot asked for events it is not granted (DIRECT_MESSAGE and GUILD_MESSAGES need \
             the platform's approval). Apply for them in the console, or list the granted ones \
             in qie.toml, for example intents = [\"GROUP_AND_C2C_EVENT\", \"INTERACTION\", \
             \"PUBLIC_GUILD_MESSAGES\"] under [bot].",
            "机器人订阅了未获授权的事件（DIRECT_MESSAGE 和 GUILD_MESSAGES 需要平台审批）。\
             请在管理端申请，或在 qie.toml 的 [bot] 下只列出已获授权的 intents，例如 \
             intents = [\"GROUP_AND_C2C_EVENT\", \"INTERACTION\", \"PUBLIC_GUILD_MESSAGES\"]。",
        ),
        FatalErrorKind::InvalidIntents => (
            "the intents contain bits that do not exist; remove them.",
            "intents 中包含不存在的位，请删除。",
        ),
        FatalErrorKind::BotOffline => (
            "the bot is delisted; only the sandbox may connect. Publish it again in the console.",
            "机器人已下架，只能连接沙箱。请在管理端重新上架。",
        ),
        FatalErrorKind::BotBanned => (
            "the bot is banned; see the notice in the console.",
            "机器人已被封禁，请查看管理端的通知。",
        ),
        FatalErrorKind::Token => (
            "the access token cannot be obtained; check the AppID and secret.",
            "无法获取 access token，请检查 AppID 和密钥。",
        ),
        _ => (
            "see the close code in the platform documentation; run with -v for the log.",
            "请在平台文档中查找该关闭码；加 -v 运行查看日志。",
        ),
    }
}

/// Lists the intents a bot identified with, marking those that need the platform's approval;
/// the platform does not say which of them it refused.
fn requested_intents(lang: Lang, intents: Intents) -> String {
    let approval = Intents::DIRECT_MESSAGE | Intents::GUILD_MESSAGES | Intents::FORUMS_EVENT;
    let mut names: Vec<String> = intents
        .iter_names()
        .map(|(name, flag)| {
            if approval.contains(flag) {
                format!("{name}*")
            } else {
                name.to_owned()
            }
        })
        .collect();
    let unnamed = intents.difference(Intents::all()).bits();
    if unnamed != 0 {
        names.push(format!("{unnamed:#x}"));
    }
    let names = names.join(", ");

    match lang {
        Lang::En => format!(
            "requested intents: {names} (value {}; * needs the platform's approval)\n",
            intents.bits()
        ),
        Lang::ZhCn => format!(
            "订阅的 intents：{names}（值 {}；* 表示需要平台审批）\n",
            intents.bits()
        ),
    }
}

/// Joins the error and its sources with `: `.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(next) = source {
        let next_text = next.to_string();
        if !text.contains(&next_text) {
            text.push_str(": ");
            text.push_str(&next_text);
        }
        source = next.source();
    }

    text
}
