//! `qie miniapp new` (a QQ mini-program with its backend) and `qie miniapp convert` (a WeChat
//! project → a QQ project, with a report of everything QQ lacks or handles differently).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use qie_miniapp::Language;
use qie_miniapp::convert::{ConvertOptions, Progress, convert_project};
use qie_miniapp::scaffold::{ScaffoldOptions, create_project};

use crate::lang::Lang;
use crate::say;

/// Options of `qie miniapp`.
#[derive(Debug, Args)]
pub(crate) struct MiniappArgs {
    #[command(subcommand)]
    pub(crate) command: MiniappCommand,
}

/// The subcommands of `qie miniapp`.
#[derive(Debug, Subcommand)]
pub(crate) enum MiniappCommand {
    /// Create a QQ mini-program whose index page logs in through qq.login, with its backend.
    New(NewArgs),
    /// Convert a WeChat mini-program into a QQ mini-program in a new directory.
    Convert(ConvertArgs),
}

/// Options of `qie miniapp new`.
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// Directory to create; its name is the project name.
    #[arg(value_name = "NAME")]
    pub(crate) name: PathBuf,

    /// Numeric appid of the QQ mini-program, written to project.config.json as qqappid.
    #[arg(long, value_name = "APPID")]
    pub(crate) appid: Option<String>,

    /// Address of the backend the mini-program calls.
    #[arg(long, value_name = "URL", default_value = qie_miniapp::scaffold::DEFAULT_BACKEND_URL)]
    pub(crate) backend: String,
}

/// Options of `qie miniapp convert`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ConvertArgs {
    /// Root of the WeChat project (the directory with project.config.json); never modified.
    #[arg(value_name = "WECHAT_DIR")]
    pub(crate) wechat_dir: PathBuf,

    /// Directory for the QQ project; must be new or empty and outside WECHAT_DIR.
    #[arg(value_name = "OUT_DIR")]
    pub(crate) out_dir: PathBuf,

    /// Write into a non-empty OUT_DIR, replacing files with the same names.
    #[arg(long)]
    pub(crate) force: bool,

    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
}

/// Chinese descriptions of `miniapp` and its subcommands.
const ZH_ABOUT: &[(&str, &str)] = &[
    ("", "创建 QQ 小程序，或把微信小程序转换为 QQ 小程序"),
    (
        "new",
        "创建一个首页通过 qq.login 登录的 QQ 小程序，并附带其后端",
    ),
    ("convert", "把微信小程序转换为 QQ 小程序，写入一个新目录"),
];

/// Chinese help of the options, as `(subcommand, argument id, help)`.
const ZH_HELP: &[(&str, &str, &str)] = &[
    ("new", "name", "要创建的目录，目录名即项目名"),
    (
        "new",
        "appid",
        "QQ 小程序的数字 appid，写入 project.config.json 的 qqappid",
    ),
    ("new", "backend", "小程序调用的后端地址"),
    (
        "convert",
        "wechat_dir",
        "微信小程序项目根目录（含 project.config.json）；不会被修改",
    ),
    (
        "convert",
        "out_dir",
        "QQ 小程序的输出目录；必须是新目录或空目录，且不在 WECHAT_DIR 之内",
    ),
    (
        "convert",
        "force",
        "允许写入非空的 OUT_DIR，覆盖其中的同名文件",
    ),
    ("convert", "report", "同时把报告以 JSON 格式写入此文件"),
];

/// Puts the Chinese help on the `miniapp` subcommand tree.
pub(crate) fn localize(command: clap::Command) -> clap::Command {
    let mut command = command;
    for (subcommand, about) in ZH_ABOUT {
        command = if subcommand.is_empty() {
            command.about(*about)
        } else {
            command.mut_subcommand(*subcommand, |sub| sub.about(*about))
        };
    }
    for (subcommand, id, help) in ZH_HELP {
        command =
            command.mut_subcommand(*subcommand, |sub| sub.mut_arg(*id, |arg| arg.help(*help)));
    }

    command
}

fn language(lang: Lang) -> Language {
    match lang {
        Lang::En => Language::English,
        Lang::ZhCn => Language::SimplifiedChinese,
    }
}

/// Runs `qie miniapp …`.
pub(crate) async fn run(lang: Lang, args: &MiniappArgs) -> Result<ExitCode, String> {
    match &args.command {
        MiniappCommand::New(args) => new(lang, args),
        MiniappCommand::Convert(args) => {
            let args = args.clone();
            // The conversion is file I/O; keep it off the async workers.
            tokio::task::spawn_blocking(move || convert(lang, &args))
                .await
                .map_err(|error| error.to_string())?
        }
    }
}

fn new(lang: Lang, args: &NewArgs) -> Result<ExitCode, String> {
    let mut options = ScaffoldOptions::default().backend_url(args.backend.clone());
    if let Some(appid) = &args.appid {
        options = options.appid(appid.clone());
    }

    let written = create_project(&args.name, &options).map_err(|error| {
        format!(
            "{} {}",
            lang.pick("error:", "错误："),
            error.message(language(lang))
        )
    })?;

    let directory = args.name.display();
    say(&match lang {
        Lang::En => format!("Created {directory} ({} files).", written.len()),
        Lang::ZhCn => format!("已创建 {directory}（{} 个文件）。", written.len()),
    });
    say(lang.pick("Next:", "接下来："));
    let start = format!(
        "cd {directory}/server && QQ_MINIAPP_APPID=<appid> QQ_MINIAPP_SECRET=<AppSecret> cargo run"
    );
    say(&match lang {
        Lang::En => format!("  1. Start the backend: {start}"),
        Lang::ZhCn => format!("  1. 启动后端：{start}"),
    });
    say(&match lang {
        Lang::En => format!("  2. Open {directory} in the QQ mini-program devtools."),
        Lang::ZhCn => format!("  2. 用 QQ 小程序开发者工具打开 {directory}。"),
    });
    if args.appid.is_none() {
        say(lang.pick(
            "  3. Enter the mini-program's appid as qqappid in project.config.json.",
            "  3. 在 project.config.json 的 qqappid 中填写小程序的 appid。",
        ));
    }

    Ok(ExitCode::SUCCESS)
}

/// Files below which no progress lines are printed.
const PROGRESS_THRESHOLD: usize = 50;

/// Returns the progress line to print after a file: about every 5 % of a project of at least
/// [`PROGRESS_THRESHOLD`] files, and after the last one.
fn progress_line(lang: Lang, progress: &Progress<'_>) -> Option<String> {
    if progress.total < PROGRESS_THRESHOLD {
        return None;
    }
    let step = (progress.total / 20).max(1);
    if !progress.done.is_multiple_of(step) && progress.done != progress.total {
        return None;
    }

    let percent = progress.done * 100 / progress.total;
    Some(match lang {
        Lang::En => format!(
            "[{percent:>3}%] {}/{} files, last {}",
            progress.done, progress.total, progress.path
        ),
        Lang::ZhCn => format!(
            "[{percent:>3}%] 已处理 {}/{} 个文件，最近：{}",
            progress.done, progress.total, progress.path
        ),
    })
}

/// Prints progress lines on stderr, so stdout carries only the report.
fn progress_printer(lang: Lang) -> impl FnMut(Progress<'_>) {
    move |progress: Progress<'_>| {
        if let Some(line) = progress_line(lang, &progress) {
            // A closed stderr must not stop the conversion.
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }
}

fn convert(lang: Lang, args: &ConvertArgs) -> Result<ExitCode, String> {
    let options = ConvertOptions::default().force(args.force);
    let mut progress = progress_printer(lang);
    let report = convert_project(&args.wechat_dir, &args.out_dir, &options, &mut progress)
        .map_err(|error| {
            format!(
                "{} {}",
                lang.pick("error:", "错误："),
                error.message(language(lang))
            )
        })?;

    let rendered = report.render(language(lang));
    if !rendered.is_empty() {
        say(rendered.trim_end());
    }
    say(&report.summary(language(lang)));
    say(&match lang {
        Lang::En => format!("QQ project written to {}.", args.out_dir.display()),
        Lang::ZhCn => format!("QQ 小程序已写入 {}。", args.out_dir.display()),
    });

    if let Some(path) = &args.report {
        write_report(lang, path, &report.to_json())?;
    }

    Ok(ExitCode::SUCCESS)
}

fn write_report(lang: Lang, path: &Path, report: &serde_json::Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(report).map_err(|error| error.to_string())?;
    std::fs::write(path, text + "\n").map_err(|error| {
        format!(
            "{} {}: {error}",
            lang.pick(
                "error: cannot write the report to",
                "错误：无法写入报告文件"
            ),
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;
    use crate::cli::{Command, parse};

    fn miniapp(args: &[&str]) -> MiniappCommand {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let Command::Miniapp(miniapp) = parse(Lang::En, args).unwrap().command else {
            panic!("expected miniapp");
        };

        miniapp.command
    }

    #[test]
    fn new_parses() {
        let MiniappCommand::New(new) =
            miniapp(&["qie", "miniapp", "new", "shop", "--appid", "1109816085"])
        else {
            panic!("expected new");
        };
        assert_eq!(new.name, PathBuf::from("shop"));
        assert_eq!(new.appid.as_deref(), Some("1109816085"));
        assert_eq!(new.backend, "http://127.0.0.1:3000");
    }

    #[test]
    fn convert_parses() {
        let MiniappCommand::Convert(convert) = miniapp(&[
            "qie", "miniapp", "convert", "wx", "qq", "--force", "--report", "r.json",
        ]) else {
            panic!("expected convert");
        };
        assert_eq!(convert.wechat_dir, PathBuf::from("wx"));
        assert_eq!(convert.out_dir, PathBuf::from("qq"));
        assert!(convert.force);
        assert_eq!(convert.report, Some(PathBuf::from("r.json")));
    }

    #[test]
    fn progress_only_for_large_projects() {
        let at = |done, total| Progress::new(done, total, "pages/a/a.wxml");

        assert_eq!(progress_line(Lang::En, &at(10, 49)), None);
        assert_eq!(progress_line(Lang::En, &at(7, 120)), None);
        assert_eq!(
            progress_line(Lang::En, &at(6, 120)).as_deref(),
            Some("[  5%] 6/120 files, last pages/a/a.wxml")
        );
        assert_eq!(
            progress_line(Lang::ZhCn, &at(121, 121)).as_deref(),
            Some("[100%] 已处理 121/121 个文件，最近：pages/a/a.wxml")
        );
        let shown = (1..=1000)
            .filter(|done| progress_line(Lang::En, &at(*done, 1000)).is_some())
            .count();
        assert_eq!(shown, 20);
    }

    #[test]
    fn chinese_help_is_complete() {
        let command = localize(<MiniappArgs as clap::Args>::augment_args(
            clap::Command::new("miniapp"),
        ));
        for sub in command.get_subcommands() {
            assert!(
                sub.get_about()
                    .is_some_and(|about| !about.to_string().is_ascii()),
                "{}",
                sub.get_name()
            );
            for arg in sub.get_arguments() {
                if matches!(arg.get_id().as_str(), "help" | "version") {
                    continue;
                }
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                assert!(!help.is_ascii(), "{} {}", sub.get_name(), arg.get_id());
            }
        }
    }

    #[tokio::test]
    async fn convert_writes_the_project_and_report() {
        let root = tempfile::tempdir().unwrap();
        let input = root.path().join("wechat");
        std::fs::create_dir_all(input.join("pages/index")).unwrap();
        std::fs::write(
            input.join("app.js"),
            "App({ onLaunch() { wx.login({}); } });",
        )
        .unwrap();
        std::fs::write(
            input.join("app.json"),
            r#"{"pages": ["pages/index/index"], "darkmode": true}"#,
        )
        .unwrap();
        std::fs::write(
            input.join("pages/index/index.wxml"),
            "<view wx:if=\"{{a}}\"/>",
        )
        .unwrap();
        let output = root.path().join("qq");
        let report = root.path().join("report.json");

        let args = MiniappArgs {
            command: MiniappCommand::Convert(ConvertArgs {
                wechat_dir: input.clone(),
                out_dir: output.clone(),
                force: false,
                report: Some(report.clone()),
            }),
        };
        let code = run(Lang::ZhCn, &args).await.unwrap();

        assert_eq!(code, ExitCode::SUCCESS);
        assert_eq!(
            std::fs::read_to_string(output.join("pages/index/index.qml")).unwrap(),
            "<view qq:if=\"{{a}}\"/>"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
        let rules: Vec<&str> = json["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|issue| issue["rule"].as_str().unwrap())
            .collect();
        assert_eq!(
            rules,
            vec!["api-differs", "removed-key", "component-required"]
        );

        // A second run into the same directory is refused, in the chosen language.
        let error = run(Lang::ZhCn, &args).await.unwrap_err();
        assert!(error.contains("不为空"), "{error}");
    }

    #[tokio::test]
    async fn new_creates_the_project() {
        let root = tempfile::tempdir().unwrap();
        let directory = root.path().join("shop");
        let args = MiniappArgs {
            command: MiniappCommand::New(NewArgs {
                name: directory.clone(),
                appid: Some("wx4f4bc4dec97d474b".to_owned()),
                backend: "http://127.0.0.1:3000".to_owned(),
            }),
        };

        let error = run(Lang::En, &args).await.unwrap_err();
        assert!(error.contains("not numeric"), "{error}");

        let MiniappCommand::New(new) = &args.command else {
            unreachable!()
        };
        let args = MiniappArgs {
            command: MiniappCommand::New(NewArgs {
                name: new.name.clone(),
                appid: Some("1109816085".to_owned()),
                backend: new.backend.clone(),
            }),
        };
        assert_eq!(run(Lang::En, &args).await.unwrap(), ExitCode::SUCCESS);
        assert!(
            directory
                .join("miniprogram/pages/index/index.qml")
                .is_file()
        );
    }
}
