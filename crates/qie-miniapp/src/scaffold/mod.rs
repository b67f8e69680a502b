//! A new QQ mini-program project with its backend.
//!
//! [`create_project`] writes:
//!
//! - `project.config.json` with `qqappid` and `miniprogramRoot: "miniprogram/"`;
//! - `miniprogram/`: `app.json`, `app.js`, `app.qss`, `config.js` (the backend address), the
//!   pages `index` (logs in through `qq.login()` and the backend) and `profile` (sends
//!   `qq.getUserInfo` data to the backend), each with `.qml`, `.qss`, `.js` and `.json`, the
//!   component `user-card` and the QS module `utils/format.qs`;
//! - `server/`: the backend, a copy of this crate's `miniapp_backend` example, with its
//!   `Cargo.toml`;
//! - `README.md` in English and Chinese.
//!
//! # Examples
//!
//! ```no_run
//! use std::path::Path;
//!
//! use qie_miniapp::scaffold::{ScaffoldOptions, create_project};
//!
//! let options = ScaffoldOptions::default().appid("1109816085");
//! let written = create_project(Path::new("my-app"), &options)?;
//! println!("{} files", written.len());
//! # Ok::<(), qie_miniapp::scaffold::ScaffoldError>(())
//! ```

mod error;

use std::fs;
use std::path::{Path, PathBuf};

pub use self::error::{ScaffoldError, ScaffoldErrorKind};

/// The default backend address of the mini-program: the example backend's default listening
/// address.
pub const DEFAULT_BACKEND_URL: &str = "http://127.0.0.1:3000";

/// The files of a new project: path and contents with placeholders.
const TEMPLATE: &[(&str, &str)] = &[
    ("README.md", include_str!("template/README.md")),
    (
        "project.config.json",
        include_str!("template/project.config.json"),
    ),
    (
        "miniprogram/app.json",
        include_str!("template/miniprogram/app.json"),
    ),
    (
        "miniprogram/app.js",
        include_str!("template/miniprogram/app.js"),
    ),
    (
        "miniprogram/app.qss",
        include_str!("template/miniprogram/app.qss"),
    ),
    (
        "miniprogram/config.js",
        include_str!("template/miniprogram/config.js"),
    ),
    (
        "miniprogram/utils/api.js",
        include_str!("template/miniprogram/utils/api.js"),
    ),
    (
        "miniprogram/utils/format.qs",
        include_str!("template/miniprogram/utils/format.qs"),
    ),
    (
        "miniprogram/pages/index/index.json",
        include_str!("template/miniprogram/pages/index/index.json"),
    ),
    (
        "miniprogram/pages/index/index.js",
        include_str!("template/miniprogram/pages/index/index.js"),
    ),
    (
        "miniprogram/pages/index/index.qml",
        include_str!("template/miniprogram/pages/index/index.qml"),
    ),
    (
        "miniprogram/pages/index/index.qss",
        include_str!("template/miniprogram/pages/index/index.qss"),
    ),
    (
        "miniprogram/pages/profile/profile.json",
        include_str!("template/miniprogram/pages/profile/profile.json"),
    ),
    (
        "miniprogram/pages/profile/profile.js",
        include_str!("template/miniprogram/pages/profile/profile.js"),
    ),
    (
        "miniprogram/pages/profile/profile.qml",
        include_str!("template/miniprogram/pages/profile/profile.qml"),
    ),
    (
        "miniprogram/pages/profile/profile.qss",
        include_str!("template/miniprogram/pages/profile/profile.qss"),
    ),
    (
        "miniprogram/components/user-card/user-card.json",
        include_str!("template/miniprogram/components/user-card/user-card.json"),
    ),
    (
        "miniprogram/components/user-card/user-card.js",
        include_str!("template/miniprogram/components/user-card/user-card.js"),
    ),
    (
        "miniprogram/components/user-card/user-card.qml",
        include_str!("template/miniprogram/components/user-card/user-card.qml"),
    ),
    (
        "miniprogram/components/user-card/user-card.qss",
        include_str!("template/miniprogram/components/user-card/user-card.qss"),
    ),
    (
        "server/Cargo.toml",
        include_str!("template/server/Cargo.toml"),
    ),
    (
        "server/src/main.rs",
        include_str!("../../examples/miniapp_backend/main.rs"),
    ),
    (
        "server/src/app.rs",
        include_str!("../../examples/miniapp_backend/app.rs"),
    ),
];

/// Options of [`create_project`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScaffoldOptions {
    /// Project name; the directory's name when `None`.
    pub name: Option<String>,
    /// The QQ mini-program's numeric appid for `qqappid`; empty when `None`.
    pub appid: Option<String>,
    /// The backend address the mini-program calls.
    pub backend_url: String,
}

impl Default for ScaffoldOptions {
    fn default() -> Self {
        Self {
            name: None,
            appid: None,
            backend_url: DEFAULT_BACKEND_URL.to_owned(),
        }
    }
}

impl ScaffoldOptions {
    /// Sets the project name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the appid.
    #[must_use]
    pub fn appid(mut self, appid: impl Into<String>) -> Self {
        self.appid = Some(appid.into());
        self
    }

    /// Sets the backend address.
    #[must_use]
    pub fn backend_url(mut self, backend_url: impl Into<String>) -> Self {
        self.backend_url = backend_url.into();
        self
    }
}

/// Creates a project in `directory`, which must not exist or be empty. Returns the paths of
/// the files written.
///
/// # Errors
///
/// [`ScaffoldError`] for an unusable name, appid or backend address, a directory that is not
/// empty, or a file that cannot be written.
pub fn create_project(
    directory: &Path,
    options: &ScaffoldOptions,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    let name = match &options.name {
        Some(name) => name.clone(),
        None => directory
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let values = error::validate(&name, options)?;

    if directory.exists() {
        let mut listing = directory
            .read_dir()
            .map_err(|source| ScaffoldError::io(directory, source))?;
        if listing.next().is_some() {
            return Err(ScaffoldError::new(
                ScaffoldErrorKind::DirectoryNotEmpty,
                directory.display().to_string(),
            ));
        }
    }

    let mut written = Vec::with_capacity(TEMPLATE.len());
    for (path, template) in TEMPLATE {
        let target = directory.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|source| ScaffoldError::io(parent, source))?;
        }
        fs::write(&target, render(template, &values))
            .map_err(|source| ScaffoldError::io(&target, source))?;
        written.push(target);
    }
    tracing::debug!(directory = %directory.display(), files = written.len(), "mini-program project created");

    Ok(written)
}

/// The values substituted into the template.
#[derive(Debug)]
pub(crate) struct Values {
    pub(crate) name: String,
    pub(crate) crate_name: String,
    pub(crate) appid: String,
    pub(crate) backend_url: String,
}

fn render(template: &str, values: &Values) -> String {
    template
        .replace("__QIE_NAME__", &values.name)
        .replace("__QIE_CRATE__", &values.crate_name)
        .replace("__QIE_APPID__", &values.appid)
        .replace("__QIE_BACKEND__", &values.backend_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_known() {
        let values = Values {
            name: "n".to_owned(),
            crate_name: "c".to_owned(),
            appid: "1".to_owned(),
            backend_url: "http://b".to_owned(),
        };
        for (path, template) in TEMPLATE {
            assert!(!render(template, &values).contains("__QIE_"), "{path}");
        }
    }
}
