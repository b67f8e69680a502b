//! The conversion report: every finding with file and line, and counts of what was converted.

use std::fmt::Write as _;

use serde::Serialize;

use super::rules::{Action, Rule, Severity};
use crate::Language;

/// One finding of the converter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Issue {
    /// Path of the input file, relative to the input directory, with `/` separators.
    pub file: String,
    /// 1-based line in the input file; 0 for findings about a whole file or directory.
    pub line: usize,
    /// The rule.
    pub rule: Rule,
    /// The subject of the finding: a tag, an API, a key, a word.
    pub subject: String,
}

impl Issue {
    /// Returns how serious the finding is.
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    /// Returns what the converter did.
    pub fn action(&self) -> Action {
        self.rule.action()
    }

    /// Returns the explanation in `language`.
    pub fn message(&self, language: Language) -> String {
        self.rule.message(&self.subject, language)
    }

    /// Returns `file:line`, or `file` for findings without a line.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }
}

/// Counts of converted and copied files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// `.wxml` files written as `.qml`.
    pub templates: usize,
    /// `.wxss` files written as `.qss`.
    pub styles: usize,
    /// `.wxs` files written as `.qs`.
    pub modules: usize,
    /// Scripts whose `wx` API object was rewritten (or checked).
    pub scripts: usize,
    /// JSON configuration files converted.
    pub configs: usize,
    /// Files copied unchanged (images, other JSON, …).
    pub copied: usize,
    /// Files not written (symbolic links, name collisions).
    pub skipped: usize,
}

impl Stats {
    /// Returns the number of files read.
    pub fn total(&self) -> usize {
        self.templates
            + self.styles
            + self.modules
            + self.scripts
            + self.configs
            + self.copied
            + self.skipped
    }
}

/// The result of a conversion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Findings, ordered by file and line.
    pub issues: Vec<Issue>,
    /// File counts.
    pub stats: Stats,
}

impl Report {
    /// Returns how many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.issues
            .iter()
            .filter(|issue| issue.severity() == severity)
            .count()
    }

    /// Renders the findings, one line each:
    /// `file:line: severity [rule-id] message (action)`.
    pub fn render(&self, language: Language) -> String {
        let mut text = String::new();
        for issue in &self.issues {
            let _ = writeln!(
                text,
                "{}: {} [{}] {} ({})",
                issue.location(),
                issue.severity().label(language),
                issue.rule.id(),
                issue.message(language),
                issue.action().label(language),
            );
        }

        text
    }

    /// Renders the counts in one sentence.
    pub fn summary(&self, language: Language) -> String {
        let stats = &self.stats;
        match language {
            Language::English => format!(
                "{} files: {} templates, {} styles, {} QS modules, {} scripts, {} configuration \
                 files converted, {} copied, {} skipped; {} unsupported, {} different, {} manual",
                stats.total(),
                stats.templates,
                stats.styles,
                stats.modules,
                stats.scripts,
                stats.configs,
                stats.copied,
                stats.skipped,
                self.count(Severity::Unsupported),
                self.count(Severity::Different),
                self.count(Severity::Manual),
            ),
            Language::SimplifiedChinese => format!(
                "共 {} 个文件：已转换模板 {} 个、样式 {} 个、QS 模块 {} 个、脚本 {} 个、配置文件 {} 个，\
                 原样复制 {} 个，跳过 {} 个；不支持 {} 处，行为不同 {} 处，需手动处理 {} 处",
                stats.total(),
                stats.templates,
                stats.styles,
                stats.modules,
                stats.scripts,
                stats.configs,
                stats.copied,
                stats.skipped,
                self.count(Severity::Unsupported),
                self.count(Severity::Different),
                self.count(Severity::Manual),
            ),
        }
    }

    /// Returns the report as JSON: `issues` (with `severity`, `action` and English and Chinese
    /// messages) and `stats`.
    pub fn to_json(&self) -> serde_json::Value {
        let issues: Vec<serde_json::Value> = self
            .issues
            .iter()
            .map(|issue| {
                serde_json::json!({
                    "file": issue.file,
                    "line": issue.line,
                    "rule": issue.rule.id(),
                    "severity": issue.severity(),
                    "action": issue.action(),
                    "subject": issue.subject,
                    "message": issue.message(Language::English),
                    "message_zh": issue.message(Language::SimplifiedChinese),
                })
            })
            .collect();

        serde_json::json!({"issues": issues, "stats": self.stats})
    }
}
