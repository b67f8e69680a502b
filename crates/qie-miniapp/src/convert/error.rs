//! Errors of the converter, and the checks that keep it from writing into its input.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::Language;

/// The kind of conversion error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConvertErrorKind {
    /// The input directory does not exist or is not a directory.
    InputNotDirectory,
    /// The output path exists and is not a directory.
    OutputNotDirectory,
    /// The output directory is the input directory.
    OutputIsInput,
    /// The output directory is inside the input directory.
    OutputInsideInput,
    /// The input directory is inside the output directory.
    InputInsideOutput,
    /// The output directory is not empty (see [`ConvertOptions::force`](super::ConvertOptions::force)).
    OutputNotEmpty,
    /// A file could not be read or written.
    Io,
}

/// An error of [`convert_project`](super::convert_project): a kind, the path it concerns, and
/// the I/O error behind it.
#[derive(Debug)]
pub struct ConvertError {
    kind: ConvertErrorKind,
    path: PathBuf,
    source: Option<io::Error>,
}

impl ConvertError {
    fn new(kind: ConvertErrorKind, path: PathBuf) -> Self {
        Self {
            kind,
            path,
            source: None,
        }
    }

    pub(crate) fn io(path: PathBuf, source: io::Error) -> Self {
        Self {
            kind: ConvertErrorKind::Io,
            path,
            source: Some(source),
        }
    }

    /// Returns the kind of error.
    pub fn kind(&self) -> ConvertErrorKind {
        self.kind
    }

    /// Returns the path the error concerns.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Returns the message in `language`, with the path and the fix.
    pub fn message(&self, language: Language) -> String {
        let path = self.path.display();
        let cause = self
            .source
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        match (self.kind, language) {
            (ConvertErrorKind::InputNotDirectory, Language::English) => {
                format!("input {path} is not a directory; pass the WeChat project's root")
            }
            (ConvertErrorKind::InputNotDirectory, Language::SimplifiedChinese) => {
                format!("输入路径 {path} 不是目录；请传入微信小程序项目的根目录")
            }
            (ConvertErrorKind::OutputNotDirectory, Language::English) => {
                format!("output {path} exists and is not a directory; choose another path")
            }
            (ConvertErrorKind::OutputNotDirectory, Language::SimplifiedChinese) => {
                format!("输出路径 {path} 已存在且不是目录；请换一个路径")
            }
            (ConvertErrorKind::OutputIsInput, Language::English) => format!(
                "output {path} is the input directory; the converter never writes into its input, \
                 choose a new directory"
            ),
            (ConvertErrorKind::OutputIsInput, Language::SimplifiedChinese) => {
                format!("输出目录 {path} 就是输入目录；转换器从不写入输入目录，请指定一个新目录")
            }
            (ConvertErrorKind::OutputInsideInput, Language::English) => format!(
                "output {path} is inside the input directory; choose a directory outside it"
            ),
            (ConvertErrorKind::OutputInsideInput, Language::SimplifiedChinese) => {
                format!("输出目录 {path} 位于输入目录之内；请选择输入目录之外的目录")
            }
            (ConvertErrorKind::InputInsideOutput, Language::English) => {
                format!("output {path} contains the input directory; choose a directory outside it")
            }
            (ConvertErrorKind::InputInsideOutput, Language::SimplifiedChinese) => {
                format!("输出目录 {path} 包含输入目录；请选择输入目录之外的目录")
            }
            (ConvertErrorKind::OutputNotEmpty, Language::English) => format!(
                "output {path} is not empty; choose an empty directory or pass --force to \
                 replace files in it"
            ),
            (ConvertErrorKind::OutputNotEmpty, Language::SimplifiedChinese) => {
                format!("输出目录 {path} 不为空；请选择空目录，或加 --force 覆盖其中的同名文件")
            }
            (ConvertErrorKind::Io, Language::English) => {
                format!("failed to access {path}: {cause}")
            }
            (ConvertErrorKind::Io, Language::SimplifiedChinese) => {
                format!("无法访问 {path}：{cause}")
            }
        }
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The English message, without the I/O cause (available as the source).
        match self.kind {
            ConvertErrorKind::Io => write!(formatter, "failed to access {}", self.path.display()),
            _ => formatter.write_str(&self.message(Language::English)),
        }
    }
}

impl StdError for ConvertError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// Resolves both directories and checks that writing `output` cannot touch `input`.
///
/// Returns the canonical input and the absolute output. The output need not exist; its
/// nearest existing ancestor is resolved, so symbolic links cannot hide that it lies inside the
/// input.
pub(crate) fn check_directories(
    input: &Path,
    output: &Path,
    force: bool,
) -> Result<(PathBuf, PathBuf), ConvertError> {
    let input = input
        .canonicalize()
        .ok()
        .filter(|path| path.is_dir())
        .ok_or_else(|| {
            ConvertError::new(ConvertErrorKind::InputNotDirectory, input.to_path_buf())
        })?;
    let resolved =
        resolve(output).map_err(|source| ConvertError::io(output.to_path_buf(), source))?;

    if resolved == input {
        return Err(ConvertError::new(
            ConvertErrorKind::OutputIsInput,
            output.to_path_buf(),
        ));
    }
    if resolved.starts_with(&input) {
        return Err(ConvertError::new(
            ConvertErrorKind::OutputInsideInput,
            output.to_path_buf(),
        ));
    }
    if input.starts_with(&resolved) {
        return Err(ConvertError::new(
            ConvertErrorKind::InputInsideOutput,
            output.to_path_buf(),
        ));
    }

    if resolved.exists() {
        if !resolved.is_dir() {
            return Err(ConvertError::new(
                ConvertErrorKind::OutputNotDirectory,
                output.to_path_buf(),
            ));
        }
        let mut listing = resolved
            .read_dir()
            .map_err(|source| ConvertError::io(output.to_path_buf(), source))?;
        if !force && listing.next().is_some() {
            return Err(ConvertError::new(
                ConvertErrorKind::OutputNotEmpty,
                output.to_path_buf(),
            ));
        }
    }

    Ok((input, resolved))
}

/// Makes `path` absolute with every existing part resolved, following `..` lexically in the part
/// that does not exist yet.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };

    // The longest prefix that exists is resolved by the file system.
    let components: Vec<Component<'_>> = absolute.components().collect();
    let mut split = components.len();
    while split > 0 && !components[..split].iter().collect::<PathBuf>().exists() {
        split -= 1;
    }
    let mut resolved = components[..split]
        .iter()
        .collect::<PathBuf>()
        .canonicalize()?;

    for component in &components[split..] {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(part) => resolved.push(part),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }

    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_output_in_or_around_input() {
        let root = tempfile::tempdir().unwrap();
        let input = root.path().join("wechat");
        std::fs::create_dir_all(input.join("pages")).unwrap();

        let kind = |output: PathBuf| {
            check_directories(&input, &output, false)
                .map(|_| ())
                .unwrap_err()
                .kind()
        };

        assert_eq!(kind(input.clone()), ConvertErrorKind::OutputIsInput);
        assert_eq!(kind(input.join(".")), ConvertErrorKind::OutputIsInput);
        assert_eq!(
            kind(input.join("pages")),
            ConvertErrorKind::OutputInsideInput
        );
        assert_eq!(
            kind(input.join("new/qq")),
            ConvertErrorKind::OutputInsideInput
        );
        assert_eq!(
            kind(input.join("new/../../wechat")),
            ConvertErrorKind::OutputIsInput
        );
        assert_eq!(
            kind(root.path().to_path_buf()),
            ConvertErrorKind::InputInsideOutput
        );
        assert!(check_directories(&input, &root.path().join("qq"), false).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_cannot_hide_the_input() {
        let root = tempfile::tempdir().unwrap();
        let input = root.path().join("wechat");
        std::fs::create_dir_all(&input).unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&input, &link).unwrap();

        let error = check_directories(&input, &link.join("out"), false).unwrap_err();
        assert_eq!(error.kind(), ConvertErrorKind::OutputInsideInput);
    }

    #[test]
    fn non_empty_output_needs_force() {
        let root = tempfile::tempdir().unwrap();
        let input = root.path().join("wechat");
        let output = root.path().join("qq");
        std::fs::create_dir_all(&input).unwrap();
        std::fs::create_dir_all(&output).unwrap();
        std::fs::write(output.join("old.txt"), "x").unwrap();

        let error = check_directories(&input, &output, false).unwrap_err();
        assert_eq!(error.kind(), ConvertErrorKind::OutputNotEmpty);
        assert!(error.message(Language::English).contains("--force"));
        assert!(check_directories(&input, &output, true).is_ok());

        let missing = check_directories(&root.path().join("nope"), &output, true).unwrap_err();
        assert_eq!(missing.kind(), ConvertErrorKind::InputNotDirectory);
    }
}
