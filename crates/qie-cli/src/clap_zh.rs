//! Chinese for the text clap writes itself: the usage line, the section headings, the help and
//! version flags, the `help` subcommand, and argument errors.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The help layout, with the usage heading in Chinese.
const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Translates clap's own text in `command` and all its subcommands.
pub(crate) fn localize(command: Command) -> Command {
    let mut command = localize_one(command, true);
    // The `help` subcommand exists only once clap has built the command.
    command.build();
    if command
        .get_subcommands()
        .any(|sub| sub.get_name() == "help")
    {
        command =
            command.mut_subcommand("help", |help| help.about("显示本帮助，或所给子命令的帮助"));
    }

    command
}

fn localize_one(command: Command, root: bool) -> Command {
    let mut command = command
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if root && command.get_version().is_some() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }

    command
        .mut_args(|arg| {
            let arg = default_in_help(arg);
            if arg.is_positional() {
                arg.help_heading("参数")
            } else {
                arg.help_heading("选项")
            }
        })
        .mut_subcommands(|sub| localize_one(sub, false))
}

/// Moves an argument's default value into its help text, because clap writes it as
/// `[default: …]`.
fn default_in_help(arg: Arg) -> Arg {
    if arg.is_hide_default_value_set() || arg.get_default_values().is_empty() {
        return arg;
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = format!("{help}（默认：{}）", defaults.join("、"));

    arg.hide_default_value(true).help(help)
}

/// Renders an argument error in Chinese; `None` for help and version output, which clap prints
/// as it is.
pub(crate) fn render_error(error: &clap::Error) -> Option<String> {
    let context = |kind| error.get(kind).map(value_text);
    let invalid_arg = context(ContextKind::InvalidArg).unwrap_or_default();
    let invalid_value = context(ContextKind::InvalidValue).unwrap_or_default();

    let (message, tip) = match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => (
            format!("无法识别的参数 '{invalid_arg}'"),
            context(ContextKind::SuggestedArg).map(|arg| format!("你是不是想写 '{arg}'？")),
        ),
        ErrorKind::InvalidSubcommand => (
            format!(
                "无法识别的子命令 '{}'",
                context(ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            context(ContextKind::SuggestedSubcommand).map(|sub| format!("你是不是想写 '{sub}'？")),
        ),
        ErrorKind::InvalidValue => (
            format!("参数 '{invalid_arg}' 的值 '{invalid_value}' 无效"),
            context(ContextKind::ValidValue).map(|values| format!("可选的值：{values}")),
        ),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(|source| format!("：{source}"))
                .unwrap_or_default();
            (
                format!("参数 '{invalid_arg}' 的值 '{invalid_value}' 无效{reason}"),
                None,
            )
        }
        ErrorKind::MissingRequiredArgument => (format!("缺少必需的参数：{invalid_arg}"), None),
        ErrorKind::MissingSubcommand => (
            format!(
                "缺少子命令，可用的有：{}",
                context(ContextKind::ValidSubcommand).unwrap_or_default()
            ),
            None,
        ),
        ErrorKind::ArgumentConflict => (
            format!(
                "参数 '{invalid_arg}' 不能与 '{}' 同时使用",
                context(ContextKind::PriorArg).unwrap_or_default()
            ),
            None,
        ),
        ErrorKind::NoEquals => (format!("参数 '{invalid_arg}' 的值要用 = 连接"), None),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            (format!("参数 '{invalid_arg}' 的值的个数不对"), None)
        }
        // Rare kinds keep clap's English detail behind a Chinese prefix.
        _ => {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            (first.trim_start_matches("error: ").to_owned(), None)
        }
    };

    let tip = tip
        .map(|tip| format!("\n  提示：{tip}\n"))
        .unwrap_or_default();
    let usage = context(ContextKind::Usage)
        .map(|usage| {
            let usage = usage.trim().trim_start_matches("Usage:").trim().to_owned();
            format!("\n用法：{usage}\n")
        })
        .unwrap_or_default();

    Some(format!(
        "错误：{message}\n{tip}{usage}\n运行时加上 '--help' 查看更多信息。\n"
    ))
}

/// Writes a context value as plain text, joining lists with the Chinese enumeration comma.
fn value_text(value: &ContextValue) -> String {
    match value {
        ContextValue::String(text) => text.clone(),
        ContextValue::Strings(texts) => texts.join("、"),
        ContextValue::StyledStr(text) => text.to_string(),
        ContextValue::StyledStrs(texts) => texts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::command;
    use crate::lang::Lang;

    fn error_for(args: &[&str]) -> String {
        let error = command(Lang::ZhCn)
            .try_get_matches_from(args)
            .expect_err("invalid arguments");
        render_error(&error).expect("an error message")
    }

    #[test]
    fn help_is_chinese_throughout() {
        let help = command(Lang::ZhCn).render_help().to_string();
        assert!(help.contains("用法：qie"), "{help}");
        assert!(help.contains("显示帮助"), "{help}");
        assert!(help.contains("显示版本"), "{help}");
        assert!(help.contains("显示本帮助"), "{help}");
        assert!(help.contains("选项"), "{help}");
        assert!(!help.contains("Usage"), "{help}");
        assert!(!help.contains("Print"), "{help}");
        assert!(!help.contains("Options"), "{help}");
    }

    #[test]
    fn subcommand_help_is_chinese() {
        let mut command = command(Lang::ZhCn);
        let run = command.find_subcommand_mut("run").expect("run subcommand");
        let help = run.render_help().to_string();
        assert!(help.contains("用法："), "{help}");
        assert!(help.contains("显示帮助"), "{help}");
        assert!(!help.contains("Print help"), "{help}");
        assert!(help.contains("（默认：qie.toml）"), "{help}");
        assert!(!help.contains("[default:"), "{help}");
    }

    #[test]
    fn unknown_argument_is_chinese() {
        let text = error_for(&["qie", "run", "--confg", "x"]);
        assert!(text.starts_with("错误：无法识别的参数 '--confg'"), "{text}");
        assert!(text.contains("你是不是想写 '--config'？"), "{text}");
        assert!(text.contains("用法：qie run"), "{text}");
    }

    #[test]
    fn unknown_subcommand_is_chinese() {
        let text = error_for(&["qie", "dem"]);
        assert!(text.starts_with("错误：无法识别的子命令 'dem'"), "{text}");
        assert!(text.contains("'demo'"), "{text}");
    }

    #[test]
    fn invalid_value_names_the_reason() {
        let text = error_for(&["qie", "--lang", "fr", "demo"]);
        assert!(
            text.starts_with("错误：参数 '--lang <LANG>' 的值 'fr' 无效"),
            "{text}"
        );
        assert!(text.contains("en or zh-CN"), "{text}");
    }

    #[test]
    fn help_request_is_left_to_clap() {
        let error = command(Lang::ZhCn)
            .try_get_matches_from(["qie", "--help"])
            .expect_err("help is an error kind");
        assert!(render_error(&error).is_none());
    }
}
