//! The converter on a sample WeChat project: golden output files and the exact report.
//!
//! Set `QIE_UPDATE_GOLDEN=1` to rewrite the expected files from the current output; review the
//! diff before committing it.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use qie_miniapp::convert::{
    ConvertErrorKind, ConvertOptions, Language, Report, Rule, Severity, convert_project,
};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/convert")
        .join(path)
}

/// Reads every file under `root`, keyed by relative path with `/` separators.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir(root) {
        let relative = entry
            .strip_prefix(root)
            .unwrap()
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.insert(relative, fs::read(&entry).unwrap());
    }

    files
}

fn walkdir(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in fs::read_dir(&directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }

    files
}

fn convert_sample() -> (tempfile::TempDir, PathBuf, Report, Vec<(usize, usize)>) {
    let root = tempfile::tempdir().unwrap();
    let output = root.path().join("qq");
    let mut progress = Vec::new();

    let report = convert_project(
        &data("wechat"),
        &output,
        &ConvertOptions::default(),
        &mut |step| progress.push((step.done, step.total)),
    )
    .unwrap();

    (root, output, report, progress)
}

fn update_golden() -> bool {
    std::env::var_os("QIE_UPDATE_GOLDEN").is_some_and(|value| value == "1")
}

#[test]
fn sample_project_matches_golden_files() {
    let before = snapshot(&data("wechat"));
    let (_root, output, _, _) = convert_sample();
    let produced = snapshot(&output);

    if update_golden() {
        let expected = data("expected");
        let _ = fs::remove_dir_all(&expected);
        for (path, bytes) in &produced {
            let target = expected.join(path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
    }
    let expected = snapshot(&data("expected"));

    assert_eq!(
        produced.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the converted file set differs"
    );
    for (path, bytes) in &expected {
        assert_eq!(
            String::from_utf8_lossy(&produced[path]),
            String::from_utf8_lossy(bytes),
            "{path} differs from the golden file"
        );
        assert_eq!(&produced[path], bytes, "{path} differs in bytes");
    }
    assert_eq!(snapshot(&data("wechat")), before, "the input was modified");
}

#[test]
fn sample_report_lists_exactly_the_expected_issues() {
    let (_root, _output, report, _) = convert_sample();

    for (language, file) in [
        (Language::English, "expected-report.txt"),
        (Language::SimplifiedChinese, "expected-report.zh-CN.txt"),
    ] {
        let rendered = report.render(language);
        if update_golden() {
            fs::write(data(file), &rendered).unwrap();
        }
        assert_eq!(rendered, fs::read_to_string(data(file)).unwrap(), "{file}");
    }

    let located: Vec<(&str, usize, Rule, &str)> = report
        .issues
        .iter()
        .map(|issue| {
            (
                issue.file.as_str(),
                issue.line,
                issue.rule,
                issue.subject.as_str(),
            )
        })
        .collect();
    assert_eq!(
        located,
        vec![
            ("app.js", 8, Rule::ApiDiffers, "wx.login"),
            (
                "app.json",
                2,
                Rule::ComponentRequired,
                "pages/detail/detail"
            ),
            ("app.json", 13, Rule::WechatAppId, "wx0123456789abcdef"),
            ("app.json", 15, Rule::RemovedKey, "darkmode"),
            ("app.json", 16, Rule::RemovedKey, "style"),
            ("app.json", 17, Rule::UndocumentedKey, "sitemapLocation"),
            ("app.json", 18, Rule::RemovedKey, "lazyCodeLoading"),
            (
                "cloudfunctions/login/index.js",
                1,
                Rule::CloudSdk,
                "wx-server-sdk"
            ),
            (
                "cloudfunctions/login/index.js",
                7,
                Rule::WeixinServerApi,
                "api.weixin.qq.com"
            ),
            (
                "components/card/card.js",
                3,
                Rule::VirtualHost,
                "virtualHost"
            ),
            ("components/card/card.wxml", 4, Rule::SlotFallback, "slot"),
            (
                "pages/index/index.wxml",
                10,
                Rule::ReservedWordBinding,
                "class"
            ),
            ("pages/index/index.wxml", 24, Rule::ShareButton, "share"),
            (
                "pages/list/list.js",
                3,
                Rule::ApiDiffers,
                "wx.requestPayment"
            ),
            (
                "pages/list/list.js",
                12,
                Rule::UnsupportedApi,
                "wx.openChannelsLive"
            ),
            (
                "pages/list/list.js",
                15,
                Rule::ApiDiffers,
                "wx.navigateToMiniProgram"
            ),
            (
                "pages/list/list.js",
                15,
                Rule::WechatAppId,
                "wx0123456789abcdef"
            ),
            ("pages/list/list.json", 4, Rule::UiLibrary, "@vant/weapp"),
            (
                "pages/list/list.wxml",
                1,
                Rule::UnsupportedComponent,
                "page-container"
            ),
            ("pages/list/list.wxml", 4, Rule::AdUnit, "<ad unit-id>"),
            (
                "pages/list/list.wxml",
                5,
                Rule::ButtonOpenType,
                "getPhoneNumber"
            ),
            ("project.config.json", 3, Rule::ProjectAppId, "appid"),
            ("project.config.json", 5, Rule::LibVersion, "libVersion"),
        ]
    );
    assert_eq!(report.count(Severity::Unsupported), 10);
}

#[test]
fn sample_stats_and_progress() {
    let (_root, _output, report, progress) = convert_sample();

    let stats = report.stats;
    assert_eq!(stats.templates, 6);
    assert_eq!(stats.styles, 6);
    assert_eq!(stats.modules, 2);
    assert_eq!(stats.scripts, 7);
    assert_eq!(stats.configs, 6);
    assert_eq!(stats.copied, 2);
    assert_eq!(stats.skipped, 0);
    assert_eq!(stats.total(), 29);

    assert_eq!(progress.len(), 29);
    assert!(progress.iter().all(|(_, total)| *total == 29));
    assert_eq!(
        progress.iter().map(|(done, _)| *done).collect::<Vec<_>>(),
        (1..=29).collect::<Vec<_>>()
    );
}

#[test]
fn output_inside_input_is_rejected() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("wechat");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("app.js"), "wx.login()").unwrap();

    for output in [input.clone(), input.join("qq"), root.path().to_path_buf()] {
        let error =
            convert_project(&input, &output, &ConvertOptions::default(), &mut |_| {}).unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ConvertErrorKind::OutputIsInput
                    | ConvertErrorKind::OutputInsideInput
                    | ConvertErrorKind::InputInsideOutput
            ),
            "{output:?}: {error}"
        );
    }
    assert_eq!(
        fs::read_to_string(input.join("app.js")).unwrap(),
        "wx.login()"
    );
    assert!(!input.join("qq").exists());
}

#[test]
fn skipped_entries_are_reported() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("wechat");
    fs::create_dir_all(input.join("node_modules/lib")).unwrap();
    fs::create_dir_all(input.join(".git")).unwrap();
    fs::write(input.join("node_modules/lib/index.js"), "wx.login()").unwrap();
    fs::write(input.join(".git/HEAD"), "ref").unwrap();
    fs::write(input.join("a.wxml"), "<view/>").unwrap();
    fs::write(input.join("a.qml"), "<view/>").unwrap();
    fs::write(input.join("bad.json"), "{").unwrap();
    fs::write(input.join("bad.wxml"), "<view/>").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(input.join("a.wxml"), input.join("link.wxml")).unwrap();

    let output = root.path().join("qq");
    let report = convert_project(&input, &output, &ConvertOptions::default(), &mut |_| {}).unwrap();

    let rules: Vec<(&str, Rule)> = report
        .issues
        .iter()
        .map(|issue| (issue.file.as_str(), issue.rule))
        .collect();
    let mut expected = vec![
        ("a.wxml", Rule::NameCollision),
        ("bad.json", Rule::InvalidJson),
    ];
    #[cfg(unix)]
    expected.push(("link.wxml", Rule::Symlink));
    expected.push(("node_modules", Rule::SkippedDirectory));
    assert_eq!(rules, expected);
    assert!(!output.join("node_modules").exists());
    assert!(!output.join(".git").exists());
    assert_eq!(fs::read_to_string(output.join("bad.json")).unwrap(), "{");
}
