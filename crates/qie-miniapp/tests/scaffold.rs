//! The scaffold's output: valid JSON, every page and component present, references resolved.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use qie_miniapp::Language;
use qie_miniapp::scaffold::{ScaffoldErrorKind, ScaffoldOptions, create_project};
use serde_json::Value;

fn read_json(path: &Path) -> Value {
    let shown = path.display();
    let text = fs::read_to_string(path).unwrap_or_else(|error| panic!("{shown}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{shown} is not JSON: {error}"))
}

fn create(options: &ScaffoldOptions) -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("shop-demo");
    let written = create_project(&project, options).unwrap();

    (root, project, written)
}

/// Returns the path a `src` or `require` reference in `file` points to.
fn resolve(app_root: &Path, file: &Path, reference: &str) -> PathBuf {
    match reference.strip_prefix('/') {
        Some(absolute) => app_root.join(absolute),
        None => file.parent().unwrap().join(reference),
    }
}

/// Returns the values of `attribute="…"` in a template.
fn attribute_values<'a>(text: &'a str, attribute: &str) -> Vec<&'a str> {
    let pattern = format!("{attribute}=\"");
    text.match_indices(&pattern)
        .map(|(index, _)| {
            let start = index + pattern.len();
            let end = text[start..].find('"').unwrap() + start;
            &text[start..end]
        })
        .collect()
}

#[test]
fn every_json_file_parses() {
    let (_root, _project, written) = create(&ScaffoldOptions::default().appid("1109816085"));

    let json: Vec<_> = written
        .iter()
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    assert_eq!(json.len(), 5);
    for path in json {
        read_json(path);
    }
}

#[test]
fn project_config_names_the_qq_app() {
    let (_root, project, _) = create(&ScaffoldOptions::default().appid("1109816085"));

    let config = read_json(&project.join("project.config.json"));
    assert_eq!(config["qqappid"], "1109816085");
    assert_eq!(config["projectname"], "shop-demo");
    assert!(config.get("appid").is_none());
    let root = config["miniprogramRoot"].as_str().unwrap();
    assert!(project.join(root).join("app.json").is_file());
    assert!(project.join(root).join("app.js").is_file());
    assert!(project.join(root).join("app.qss").is_file());
}

#[test]
fn every_page_and_component_exists() {
    let (_root, project, _) = create(&ScaffoldOptions::default());
    let app_root = project.join("miniprogram");
    let app = read_json(&app_root.join("app.json"));

    let pages = app["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    for page in pages {
        let page = page.as_str().unwrap();
        for extension in ["qml", "qss", "js", "json"] {
            let path = app_root.join(format!("{page}.{extension}"));
            assert!(path.is_file(), "{path:?} is missing");
        }
        read_json(&app_root.join(format!("{page}.json")));
    }

    let components = app["usingComponents"].as_object().unwrap();
    assert!(!components.is_empty());
    for path in components.values() {
        let base = resolve(
            &app_root,
            &app_root.join("app.json"),
            path.as_str().unwrap(),
        );
        for extension in ["qml", "qss", "js"] {
            assert!(
                base.with_extension(extension).is_file(),
                "{base:?}.{extension}"
            );
        }
        assert_eq!(read_json(&base.with_extension("json"))["component"], true);
    }
}

#[test]
fn references_resolve() {
    let (_root, project, written) = create(&ScaffoldOptions::default());
    let app_root = project.join("miniprogram");

    for file in &written {
        let text = fs::read_to_string(file).unwrap();
        match file.extension().and_then(|extension| extension.to_str()) {
            Some("qml") => {
                assert_eq!(
                    text.matches("{{").count(),
                    text.matches("}}").count(),
                    "{file:?}"
                );
                assert!(!text.contains("wx:"), "{file:?}");
                for source in attribute_values(&text, "src") {
                    if source.starts_with("{{") {
                        continue;
                    }
                    let extension = Path::new(source).extension();
                    assert_eq!(extension, Some("qs".as_ref()), "{file:?}: {source}");
                    assert!(
                        resolve(&app_root, file, source).is_file(),
                        "{file:?}: {source}"
                    );
                }
            }
            Some("js") if file.starts_with(&app_root) => {
                assert!(!text.contains("wx."), "{file:?} uses the WeChat API object");
                for (index, _) in text.match_indices("require('") {
                    let start = index + "require('".len();
                    let end = text[start..].find('\'').unwrap() + start;
                    let target = resolve(&app_root, file, &text[start..end]);
                    assert!(target.is_file(), "{file:?}: {target:?}");
                }
            }
            _ => {}
        }
    }
}

#[test]
fn index_page_logs_in_against_the_backend() {
    let options = ScaffoldOptions::default().backend_url("https://shop.example.com/");
    let (_root, project, _) = create(&options);
    let app_root = project.join("miniprogram");

    let config = fs::read_to_string(app_root.join("config.js")).unwrap();
    assert!(config.contains("backend: \"https://shop.example.com\""));
    let api = fs::read_to_string(app_root.join("utils/api.js")).unwrap();
    assert!(api.contains("qq.login("));
    assert!(api.contains("'/api/login'"));
    let index = fs::read_to_string(app_root.join("pages/index/index.js")).unwrap();
    assert!(index.contains("api.login()"));
}

#[test]
fn backend_is_the_example_server() {
    let (_root, project, _) = create(&ScaffoldOptions::default());

    let main = fs::read_to_string(project.join("server/src/main.rs")).unwrap();
    let app = fs::read_to_string(project.join("server/src/app.rs")).unwrap();
    assert_eq!(main, include_str!("../examples/miniapp_backend/main.rs"));
    assert_eq!(app, include_str!("../examples/miniapp_backend/app.rs"));

    let manifest = fs::read_to_string(project.join("server/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"shop-demo-server\""));
    assert!(manifest.contains("\n[workspace]\n"));
    for dependency in [
        "axum",
        "getrandom",
        "qie-miniapp",
        "serde",
        "serde_json",
        "tokio",
        "tracing",
    ] {
        assert!(
            manifest.contains(&format!("\n{dependency} = ")),
            "{dependency}"
        );
    }
}

#[test]
fn non_empty_directory_is_rejected() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("keep.txt"), "x").unwrap();

    let error = create_project(root.path(), &ScaffoldOptions::default().name("shop")).unwrap_err();

    assert_eq!(error.kind(), ScaffoldErrorKind::DirectoryNotEmpty);
    assert!(
        error
            .message(Language::SimplifiedChinese)
            .contains("不为空")
    );
    assert_eq!(
        fs::read_to_string(root.path().join("keep.txt")).unwrap(),
        "x"
    );
    assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
}
