//! A WeChat mini-program → QQ mini-program converter.
//!
//! [`convert_project`] reads a WeChat project and writes a QQ project to another directory:
//!
//! | Input | Output |
//! | --- | --- |
//! | `.wxml` | `.qml`; `wx:` directives → `qq:`, `<wxs>` → `<qs>`, `import`/`include` paths → `.qml` |
//! | `.wxss` | `.qss`; `@import` paths → `.qss` |
//! | `.wxs` | `.qs`; `require` paths → `.qs` |
//! | `.js`, `.ts` | the `wx` API object → `qq` (in code, not in strings, comments or regex literals); `wx-server-sdk` → `qq-server-sdk` |
//! | `project.config.json` | `appid` → `qqappid` (cleared), `libVersion` → `qqLibVersion` |
//! | `app.json`, page and component JSON | unsupported keys removed |
//! | anything else | copied |
//!
//! Every WeChat feature that QQ lacks or handles differently is reported as an [`Issue`] with
//! its file and line, and so is every value only the user can supply. [`Rule`] lists them. The input is
//! never written: an output directory equal to the input, inside it, or containing it is
//! rejected.
//!
//! # Limits
//!
//! - Scripts are tokenized, not parsed. `wx` is rewritten wherever it is an identifier in code,
//!   except as a property name (`obj.wx`), an object key (`{ wx: 1 }`) or in a script that
//!   declares its own `wx`. A shorthand property `{ wx }` is rewritten to `{ qq }`.
//! - A `/` right after `}` is read as the start of a regular expression.
//! - Binding expressions are checked for reserved words, not rewritten: renaming a data field
//!   needs the page's script too.
//! - `node_modules` is skipped; build npm packages again for QQ.
//!
//! # Examples
//!
//! ```no_run
//! use std::path::Path;
//!
//! use qie_miniapp::convert::{ConvertOptions, Language, convert_project};
//!
//! let report = convert_project(
//!     Path::new("wechat-app"),
//!     Path::new("qq-app"),
//!     &ConvertOptions::default(),
//!     &mut |progress| eprintln!("{}/{} {}", progress.done, progress.total, progress.path),
//! )?;
//! print!("{}", report.render(Language::English));
//! # Ok::<(), qie_miniapp::convert::ConvertError>(())
//! ```

mod config;
mod error;
mod finding;
mod lexer;
mod markup;
mod report;
mod rules;
mod script;
mod style;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

pub use self::error::{ConvertError, ConvertErrorKind};
use self::finding::Findings;
pub use self::report::{Issue, Report, Stats};
pub use self::rules::{Action, Rule, Severity};
pub use crate::Language;

/// Options of [`convert_project`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConvertOptions {
    /// Writes into an output directory that is not empty, replacing files of the same name.
    pub force: bool,
}

impl ConvertOptions {
    /// Sets [`force`](Self::force).
    #[must_use]
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

/// Progress of a conversion, reported after each file.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Progress<'a> {
    /// Files handled so far.
    pub done: usize,
    /// Files to handle.
    pub total: usize,
    /// The file just handled, relative to the input directory.
    pub path: &'a str,
}

impl<'a> Progress<'a> {
    /// Creates a progress report (for tests of progress printers).
    pub fn new(done: usize, total: usize, path: &'a str) -> Self {
        Self { done, total, path }
    }
}

/// The treatment of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Template,
    Style,
    Module,
    Script,
    ProjectConfig,
    AppConfig,
    PageConfig,
    Copy,
}

impl FileKind {
    fn of(path: &Path) -> Self {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .unwrap_or_default();
        let sibling = |extension: &str| path.with_extension(extension).is_file();

        match extension {
            "wxml" => Self::Template,
            "wxss" => Self::Style,
            "wxs" => Self::Module,
            "js" | "mjs" | "cjs" | "ts" => Self::Script,
            "json" if matches!(name, "project.config.json" | "project.private.config.json") => {
                Self::ProjectConfig
            }
            "json" if name == "app.json" && (sibling("js") || sibling("ts")) => Self::AppConfig,
            "json" if sibling("wxml") => Self::PageConfig,
            _ => Self::Copy,
        }
    }

    /// Returns the output extension, if it changes.
    fn output_extension(self) -> Option<&'static str> {
        match self {
            Self::Template => Some("qml"),
            Self::Style => Some("qss"),
            Self::Module => Some("qs"),
            _ => None,
        }
    }
}

/// An input entry to handle.
#[derive(Debug)]
enum Entry {
    File(PathBuf),
    Symlink(PathBuf),
    SkippedDirectory(PathBuf),
}

/// Converts the WeChat project in `input` into a QQ project in `output`.
///
/// `progress` is called after each file.
///
/// # Errors
///
/// [`ConvertError`] when `input` is not a directory, when `output` is `input`, inside it or
/// contains it, when `output` is not empty (unless [`ConvertOptions::force`]), or when a file
/// cannot be read or written. Files written before an I/O error stay in `output`.
pub fn convert_project(
    input: &Path,
    output: &Path,
    options: &ConvertOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Report, ConvertError> {
    let (input, output) = error::check_directories(input, output, options.force)?;

    let entries = collect(&input)?;
    let total = entries.len();
    tracing::debug!(input = %input.display(), output = %output.display(), total, "converting mini-program");

    let mut report = Report::default();
    let mut written = HashSet::new();
    let mut app_root = None;
    for (index, entry) in entries.iter().enumerate() {
        let relative = match entry {
            Entry::File(path) => {
                let relative = relative_name(&input, path);
                convert_file(&input, &output, path, &relative, &mut written, &mut report)?;
                if FileKind::of(path) == FileKind::AppConfig && app_root.is_none() {
                    app_root = path.parent().map(Path::to_path_buf);
                }
                relative
            }
            Entry::Symlink(path) => {
                let relative = relative_name(&input, path);
                report.stats.skipped += 1;
                push_issue(&mut report, &relative, 0, Rule::Symlink, &relative);
                relative
            }
            Entry::SkippedDirectory(path) => {
                let relative = relative_name(&input, path);
                push_issue(&mut report, &relative, 0, Rule::SkippedDirectory, &relative);
                relative
            }
        };
        progress(Progress {
            done: index + 1,
            total,
            path: &relative,
        });
    }

    if let Some(app_root) = app_root {
        check_component_pages(&input, &app_root, &mut report);
    }
    report.issues.sort_by(|left, right| {
        (&left.file, left.line, left.rule).cmp(&(&right.file, right.line, right.rule))
    });

    Ok(report)
}

/// Lists the files to handle, sorted by path. Symbolic links are listed but not followed;
/// `.git` is left out and `node_modules` listed as skipped.
fn collect(input: &Path) -> Result<Vec<Entry>, ConvertError> {
    let mut entries = Vec::new();
    let mut walker = walkdir::WalkDir::new(input)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();

    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|source| {
            let path = source.path().unwrap_or(input).to_path_buf();
            ConvertError::io(path, source.into())
        })?;
        let file_type = entry.file_type();
        let name = entry.file_name().to_string_lossy();

        if file_type.is_dir() {
            if name == ".git" {
                walker.skip_current_dir();
            } else if name == "node_modules" {
                entries.push(Entry::SkippedDirectory(entry.into_path()));
                walker.skip_current_dir();
            }
        } else if file_type.is_symlink() {
            entries.push(Entry::Symlink(entry.into_path()));
        } else {
            entries.push(Entry::File(entry.into_path()));
        }
    }

    Ok(entries)
}

/// Returns `path` relative to `root` with `/` separators.
fn relative_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn push_issue(report: &mut Report, file: &str, line: usize, rule: Rule, subject: &str) {
    report.issues.push(Issue {
        file: file.to_owned(),
        line,
        rule,
        subject: subject.to_owned(),
    });
}

fn convert_file(
    input: &Path,
    output: &Path,
    path: &Path,
    relative: &str,
    written: &mut HashSet<PathBuf>,
    report: &mut Report,
) -> Result<(), ConvertError> {
    let kind = FileKind::of(path);
    let mut target = output.join(path.strip_prefix(input).unwrap_or(path));
    if let Some(extension) = kind.output_extension() {
        target.set_extension(extension);
    }
    if !written.insert(target.clone()) {
        report.stats.skipped += 1;
        push_issue(report, relative, 0, Rule::NameCollision, relative);
        return Ok(());
    }

    let bytes = fs::read(path).map_err(|source| ConvertError::io(path.to_path_buf(), source))?;
    let text = match (kind, String::from_utf8(bytes)) {
        (FileKind::Copy, Ok(text)) => {
            return write(&target, text.as_bytes(), &mut report.stats.copied);
        }
        (FileKind::Copy, Err(error)) => {
            return write(&target, error.as_bytes(), &mut report.stats.copied);
        }
        (_, Ok(text)) => text,
        (_, Err(error)) => {
            tracing::warn!(path = %path.display(), "file is not UTF-8; copied unchanged");
            return write(&target, error.as_bytes(), &mut report.stats.copied);
        }
    };

    let mut findings = Findings::new(&text);
    let (converted, counter) = match kind {
        FileKind::Template => (
            markup::convert_markup(&text, &mut findings),
            &mut report.stats.templates,
        ),
        FileKind::Style => (style::convert_style(&text), &mut report.stats.styles),
        FileKind::Module => (
            script::convert_script(&text, script::ScriptKind::Module, &mut findings),
            &mut report.stats.modules,
        ),
        FileKind::Script => (
            script::convert_script(&text, script::ScriptKind::Code, &mut findings),
            &mut report.stats.scripts,
        ),
        FileKind::ProjectConfig | FileKind::AppConfig | FileKind::PageConfig => {
            if config::parse(&text).is_none() {
                push_issue(report, relative, 0, Rule::InvalidJson, relative);
                (text.clone(), &mut report.stats.copied)
            } else if kind == FileKind::ProjectConfig {
                (
                    config::convert_project_config(&text, &mut findings),
                    &mut report.stats.configs,
                )
            } else {
                (
                    config::convert_app_config(&text, kind == FileKind::AppConfig, &mut findings),
                    &mut report.stats.configs,
                )
            }
        }
        FileKind::Copy => (text.clone(), &mut report.stats.copied),
    };
    write(&target, converted.as_bytes(), counter)?;

    for finding in findings.into_vec() {
        push_issue(
            report,
            relative,
            finding.line,
            finding.rule,
            &finding.subject,
        );
    }

    Ok(())
}

fn write(target: &Path, contents: &[u8], counter: &mut usize) -> Result<(), ConvertError> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(|source| ConvertError::io(parent.to_path_buf(), source))?;
    }
    fs::write(target, contents).map_err(|source| ConvertError::io(target.to_path_buf(), source))?;
    *counter += 1;

    Ok(())
}

/// Reports pages that declare no custom component when `app.json` declares none either.
fn check_component_pages(input: &Path, app_root: &Path, report: &mut Report) {
    let app_path = app_root.join("app.json");
    let Ok(text) = fs::read_to_string(&app_path) else {
        return;
    };
    let Ok(app) = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) else {
        return;
    };
    if declares_components(&app) {
        return;
    }

    let mut pages: BTreeSet<String> = BTreeSet::new();
    let page_list = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .map(|pages| {
                pages
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    pages.extend(page_list(&app["pages"]));
    for key in ["subpackages", "subPackages"] {
        for package in app[key].as_array().into_iter().flatten() {
            let root = package["root"]
                .as_str()
                .unwrap_or_default()
                .trim_end_matches('/');
            for page in page_list(&package["pages"]) {
                pages.insert(format!("{root}/{page}"));
            }
        }
    }

    let without: Vec<String> = pages
        .into_iter()
        .filter(|page| {
            let page_json = app_root.join(format!("{page}.json"));
            let declared = fs::read_to_string(page_json)
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .is_some_and(|value| declares_components(&value));
            !declared
        })
        .collect();
    if without.is_empty() {
        return;
    }

    let relative = relative_name(input, &app_path);
    let line = config::key_line(&text, "pages").unwrap_or(1);
    push_issue(
        report,
        &relative,
        line,
        Rule::ComponentRequired,
        &without.join(", "),
    );
}

fn declares_components(config: &Value) -> bool {
    config["usingComponents"]
        .as_object()
        .is_some_and(|components| !components.is_empty())
}
