//! Errors of the scaffold and the checks of its inputs.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::path::Path;

use super::{ScaffoldOptions, Values};
use crate::Language;

/// The kind of scaffold error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScaffoldErrorKind {
    /// The project name is empty or has characters that cannot go into JSON or a file name.
    InvalidName,
    /// The appid is not numeric.
    InvalidAppId,
    /// The backend address is not an `http` or `https` URL.
    InvalidBackendUrl,
    /// The target directory exists and is not empty.
    DirectoryNotEmpty,
    /// A file could not be written.
    Io,
}

/// An error of [`create_project`](super::create_project): a kind, the offending value, and the
/// I/O error behind it.
#[derive(Debug)]
pub struct ScaffoldError {
    kind: ScaffoldErrorKind,
    value: String,
    source: Option<io::Error>,
}

impl ScaffoldError {
    pub(crate) fn new(kind: ScaffoldErrorKind, value: String) -> Self {
        Self {
            kind,
            value,
            source: None,
        }
    }

    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        Self {
            kind: ScaffoldErrorKind::Io,
            value: path.display().to_string(),
            source: Some(source),
        }
    }

    /// Returns the kind of error.
    pub fn kind(&self) -> ScaffoldErrorKind {
        self.kind
    }

    /// Returns the message in `language`, with the value and the fix.
    pub fn message(&self, language: Language) -> String {
        let value = &self.value;
        let cause = self
            .source
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        match (self.kind, language) {
            (ScaffoldErrorKind::InvalidName, Language::English) => format!(
                "project name {value:?} is empty or contains quotes, backslashes, angle brackets \
                 or control characters; choose another name"
            ),
            (ScaffoldErrorKind::InvalidName, Language::SimplifiedChinese) => {
                format!("项目名 {value:?} 为空，或含有引号、反斜杠、尖括号或控制字符；请换一个名字")
            }
            (ScaffoldErrorKind::InvalidAppId, Language::English) => format!(
                "appid {value:?} is not numeric; QQ mini-program appids are digits, such as \
                 1109816085"
            ),
            (ScaffoldErrorKind::InvalidAppId, Language::SimplifiedChinese) => {
                format!("appid {value:?} 不是数字；QQ 小程序的 appid 由数字组成，例如 1109816085")
            }
            (ScaffoldErrorKind::InvalidBackendUrl, Language::English) => format!(
                "backend address {value:?} must be an http:// or https:// URL without spaces or \
                 quotes"
            ),
            (ScaffoldErrorKind::InvalidBackendUrl, Language::SimplifiedChinese) => {
                format!("后端地址 {value:?} 必须是不含空格和引号的 http:// 或 https:// URL")
            }
            (ScaffoldErrorKind::DirectoryNotEmpty, Language::English) => {
                format!("directory {value} exists and is not empty; choose a new directory")
            }
            (ScaffoldErrorKind::DirectoryNotEmpty, Language::SimplifiedChinese) => {
                format!("目录 {value} 已存在且不为空；请指定一个新目录")
            }
            (ScaffoldErrorKind::Io, Language::English) => {
                format!("failed to write {value}: {cause}")
            }
            (ScaffoldErrorKind::Io, Language::SimplifiedChinese) => {
                format!("无法写入 {value}：{cause}")
            }
        }
    }
}

impl fmt::Display for ScaffoldError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ScaffoldErrorKind::Io => write!(formatter, "failed to write {}", self.value),
            _ => formatter.write_str(&self.message(Language::English)),
        }
    }
}

impl StdError for ScaffoldError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// Checks the inputs and returns the values to substitute. Every value goes into JSON or
/// JavaScript strings unescaped, so quotes, backslashes and control characters are rejected.
pub(crate) fn validate(name: &str, options: &ScaffoldOptions) -> Result<Values, ScaffoldError> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '"' | '\\' | '<' | '>');
    if name.trim().is_empty() || name == "." || name == ".." || name.contains(unsafe_char) {
        return Err(ScaffoldError::new(
            ScaffoldErrorKind::InvalidName,
            name.to_owned(),
        ));
    }

    let appid = options.appid.clone().unwrap_or_default();
    if !appid.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(ScaffoldError::new(ScaffoldErrorKind::InvalidAppId, appid));
    }

    let backend_url = options.backend_url.trim_end_matches('/').to_owned();
    let scheme_ok = backend_url.starts_with("http://") || backend_url.starts_with("https://");
    let host_present = backend_url
        .split_once("://")
        .is_some_and(|(_, rest)| !rest.is_empty());
    if !scheme_ok
        || !host_present
        || backend_url.contains(|c: char| unsafe_char(c) || c.is_whitespace() || c == '\'')
    {
        return Err(ScaffoldError::new(
            ScaffoldErrorKind::InvalidBackendUrl,
            options.backend_url.clone(),
        ));
    }

    Ok(Values {
        name: name.to_owned(),
        crate_name: crate_name(name),
        appid,
        backend_url,
    })
}

/// Derives a Cargo package name for the backend: `<name>-server` in lower-case ASCII.
fn crate_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() || slug.starts_with(|c: char| c.is_ascii_digit()) {
        format!("miniapp-{slug}")
    } else {
        slug.to_owned()
    };

    format!("{}-server", slug.trim_end_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid() {
        assert_eq!(crate_name("my-app"), "my-app-server");
        assert_eq!(crate_name("My App!"), "my-app-server");
        assert_eq!(crate_name("企鹅小店"), "miniapp-server");
        assert_eq!(crate_name("2048"), "miniapp-2048-server");
    }

    #[test]
    fn inputs_are_checked() {
        let options = ScaffoldOptions::default();
        assert!(validate("shop", &options).is_ok());
        assert!(validate("企鹅小店", &options).is_ok());

        let kind =
            |name: &str, options: &ScaffoldOptions| validate(name, options).unwrap_err().kind();
        assert_eq!(kind("", &options), ScaffoldErrorKind::InvalidName);
        assert_eq!(kind("a\"b", &options), ScaffoldErrorKind::InvalidName);
        assert_eq!(
            kind("shop", &options.clone().appid("wx4f4bc4dec97d474b")),
            ScaffoldErrorKind::InvalidAppId
        );
        for url in [
            "ftp://x",
            "http://",
            "127.0.0.1:3000",
            "http://a b",
            "http://x\"y",
        ] {
            assert_eq!(
                kind("shop", &options.clone().backend_url(url)),
                ScaffoldErrorKind::InvalidBackendUrl,
                "{url}"
            );
        }
        assert_eq!(
            validate(
                "shop",
                &options.clone().backend_url("https://api.example.com/")
            )
            .unwrap()
            .backend_url,
            "https://api.example.com"
        );
    }
}
