//! Configuration errors in English and Chinese, each naming the key and the fix.

use qie::config::{ConfigError, ConfigErrorKind, Expected};

use crate::lang::Lang;

/// Renders a configuration error in `lang`.
pub(crate) fn render(lang: Lang, error: &ConfigError) -> String {
    let file = match (error.path(), error.kind().key()) {
        (Some(path), _) => path.display().to_string(),
        (None, Some(key)) if !key.env.is_empty() => match lang {
            Lang::En => format!("the environment variable {}", key.env),
            Lang::ZhCn => format!("环境变量 {}", key.env),
        },
        (None, _) => lang.pick("the environment", "环境变量").to_owned(),
    };

    match (lang, error.kind()) {
        (Lang::En, ConfigErrorKind::FileNotFound) => format!(
            "error: configuration file {file} not found.\n\
             fix: create it with\n\n{TEMPLATE}\n\
             or set QIE_APP_ID and QIE_APP_SECRET. Try the bot without credentials first: qie demo"
        ),
        (Lang::ZhCn, ConfigErrorKind::FileNotFound) => format!(
            "错误：找不到配置文件 {file}。\n\
             解决：按下面的内容创建它\n\n{TEMPLATE}\n\
             或者设置 QIE_APP_ID 和 QIE_APP_SECRET 环境变量。没有凭据时可以先运行：qie demo"
        ),
        (Lang::En, ConfigErrorKind::Read { reason }) => {
            format!("error: cannot read {file}: {reason}\nfix: check the path and its permissions")
        }
        (Lang::ZhCn, ConfigErrorKind::Read { reason }) => {
            format!("错误：无法读取 {file}：{reason}\n解决：检查路径和文件权限")
        }
        (
            Lang::En,
            ConfigErrorKind::Syntax {
                line,
                column,
                message,
            },
        ) => format!(
            "error: {file}:{line}:{column} is not valid TOML: {message}\n\
             fix: strings need double quotes, for example app_id = \"102000001\""
        ),
        (
            Lang::ZhCn,
            ConfigErrorKind::Syntax {
                line,
                column,
                message,
            },
        ) => format!(
            "错误：{file} 第 {line} 行第 {column} 列不是合法的 TOML：{message}\n\
             解决：字符串要加双引号，例如 app_id = \"102000001\""
        ),
        (Lang::En, ConfigErrorKind::Missing { key }) => format!(
            "error: missing `{key}` in {file}.\n\
             fix: add `{name} = \"…\"` under [{table}], or set the environment variable {env}.\n\
             The AppID and AppSecret are on the QQ bot console's development settings page \
             (开发设置).",
            name = key.name,
            table = key.table,
            env = key.env,
        ),
        (Lang::ZhCn, ConfigErrorKind::Missing { key }) => format!(
            "错误：{file} 中缺少 `{key}`。\n\
             解决：在 [{table}] 下添加 `{name} = \"…\"`，或设置环境变量 {env}。\n\
             AppID 和 AppSecret 在 QQ 机器人管理端的“开发设置”页面。",
            name = key.name,
            table = key.table,
            env = key.env,
        ),
        (
            _,
            ConfigErrorKind::Invalid {
                key,
                value,
                expected,
            },
        ) => {
            let expected_text = expected_text(lang, *expected);
            let example = example(*expected, key.name, value);
            // Chinese text puts a space before a word in Latin letters.
            let space = if expected_text.starts_with(|c: char| c.is_ascii()) {
                " "
            } else {
                ""
            };
            match (lang, value.is_empty()) {
                (Lang::En, true) => format!(
                    "error: invalid `{key}` in {file}: expected {expected_text}.\nfix: write {example}"
                ),
                (Lang::En, false) => format!(
                    "error: invalid `{key}` in {file}: {value:?} is not {expected_text}.\n\
                     fix: write {example}"
                ),
                (Lang::ZhCn, true) => format!(
                    "错误：{file} 中的 `{key}` 无效：应为{space}{expected_text}。\n解决：写成 {example}"
                ),
                (Lang::ZhCn, false) => format!(
                    "错误：{file} 中的 `{key}` 无效：{value:?} 不是{space}{expected_text}。\n解决：写成 {example}"
                ),
            }
        }
        (Lang::En, ConfigErrorKind::UnknownKey { key, suggestion }) => {
            let hint = suggestion.map_or_else(
                || "remove it; the known keys are listed in docs/guide.md".to_owned(),
                |known| format!("did you mean `{known}`?"),
            );
            format!("error: unknown key `{key}` in {file}.\nfix: {hint}")
        }
        (Lang::ZhCn, ConfigErrorKind::UnknownKey { key, suggestion }) => {
            let hint = suggestion.map_or_else(
                || "删除它；可用的键见 docs/guide.zh-CN.md".to_owned(),
                |known| format!("你是不是想写 `{known}`？"),
            );
            format!("错误：{file} 中有未知的键 `{key}`。\n解决：{hint}")
        }
        (_, _) => error.to_string(),
    }
}

/// Suggests a URL for a value without a scheme: `http://` for a loopback host such as a local
/// emulator, `https://` for any other host, and the platform's address when nothing is usable.
fn url_example(value: &str) -> String {
    let value = value.trim();
    let usable = !value.is_empty()
        && !value.contains("://")
        && !value.contains(char::is_whitespace)
        && !value.starts_with('/');
    if !usable {
        return qie::config::DEFAULT_API_BASE.to_owned();
    }
    let host = value.split(['/', '?', '#']).next().unwrap_or(value);
    let loopback = ["localhost", "127.", "[::1]", "0.0.0.0"]
        .iter()
        .any(|prefix| host.starts_with(prefix));

    if loopback {
        format!("http://{value}")
    } else {
        format!("https://{value}")
    }
}

/// A minimal configuration file.
pub(crate) const TEMPLATE: &str = "    [bot]\n    app_id = \"102000001\"\n    secret = \"…\"\n";

fn expected_text(lang: Lang, expected: Expected) -> &'static str {
    match expected {
        Expected::AppId => lang.pick(
            "a string of digits (the AppID from the QQ bot console)",
            "由数字组成的字符串（QQ 机器人管理端中的 AppID）",
        ),
        Expected::Secret => lang.pick(
            "a non-empty string (the AppSecret from the QQ bot console)",
            "非空字符串（QQ 机器人管理端中的 AppSecret）",
        ),
        Expected::Url => lang.pick(
            "an http:// or https:// URL",
            "http:// 或 https:// 开头的 URL",
        ),
        Expected::PositiveInteger => lang.pick("a whole number greater than zero", "大于零的整数"),
        Expected::String => lang.pick("a quoted string", "带引号的字符串"),
        Expected::Table => lang.pick("a table such as [bot]", "形如 [bot] 的表"),
        Expected::Intents => lang.pick(
            "a number or a list of intent names",
            "数字或 intent 名称列表",
        ),
        _ => lang.pick("a valid value", "合法的值"),
    }
}

fn example(expected: Expected, name: &str, value: &str) -> String {
    match expected {
        Expected::AppId => format!("{name} = \"102000001\""),
        Expected::Url => format!("{name} = \"{}\"", url_example(value)),
        Expected::PositiveInteger => format!("{name} = 32"),
        Expected::Table => "[bot]".to_owned(),
        Expected::Intents => format!("{name} = [\"GROUP_AND_C2C_EVENT\", \"INTERACTION\"]"),
        _ => format!("{name} = \"…\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_without_scheme_gets_http() {
        assert_eq!(url_example("127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(url_example("localhost:9000/qq"), "http://localhost:9000/qq");
        assert_eq!(url_example("[::1]:8080"), "http://[::1]:8080");
    }

    #[test]
    fn other_host_without_scheme_gets_https() {
        assert_eq!(url_example("api.bot.qq.com"), "https://api.bot.qq.com");
        assert_eq!(
            url_example("proxy.example.com:8443"),
            "https://proxy.example.com:8443"
        );
    }

    #[test]
    fn unusable_value_gets_platform_address() {
        assert_eq!(url_example(""), "https://api.bot.qq.com");
        assert_eq!(url_example("ftp://127.0.0.1"), "https://api.bot.qq.com");
        assert_eq!(url_example("not a url"), "https://api.bot.qq.com");
    }
}
