//! Command arguments: whitespace-separated tokens with quoting.

use std::any::type_name;
use std::fmt;
use std::str::FromStr;

/// The arguments of one command, split into tokens.
///
/// Tokens are separated by whitespace (including the full-width space U+3000 that Chinese input
/// methods type). A token may be quoted with `"…"`, `'…'` or the Chinese quotes `“…”` to keep
/// spaces inside it; an unterminated quote runs to the end of the text.
///
/// # Examples
///
/// ```
/// use qie::command::Args;
///
/// let args = Args::parse(r#"20 "two words" “中文 参数”"#);
/// assert_eq!(args.len(), 3);
/// assert_eq!(args.get(1), Some("two words"));
/// assert_eq!(args.get(2), Some("中文 参数"));
/// assert_eq!(args.required::<u32>(0, "sides").unwrap(), 20);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    raw: String,
    tokens: Vec<String>,
}

impl Args {
    /// Splits `raw` into tokens.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();

        Self {
            raw: raw.to_owned(),
            tokens: tokenize(raw),
        }
    }

    /// Returns the argument text as the user typed it, without the command name and outer whitespace.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Returns the number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Returns whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Returns the token at `index`, without its quotes.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.tokens.get(index).map(String::as_str)
    }

    /// Iterates over the tokens.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().map(String::as_str)
    }

    /// Parses the token at `index` as `T`.
    ///
    /// `name` is the argument's name in usage text; errors carry it.
    ///
    /// # Errors
    ///
    /// [`ArgErrorKind::Missing`] when there is no token at `index`, [`ArgErrorKind::Invalid`] when
    /// the token does not parse as `T`.
    pub fn required<T: FromStr>(&self, index: usize, name: &'static str) -> Result<T, ArgError> {
        match self.optional(index, name)? {
            Some(value) => Ok(value),
            None => Err(ArgError {
                kind: ArgErrorKind::Missing { index, name },
            }),
        }
    }

    /// Parses the token at `index` as `T`, or returns `None` when there is no such token.
    ///
    /// # Errors
    ///
    /// [`ArgErrorKind::Invalid`] when the token does not parse as `T`.
    pub fn optional<T: FromStr>(
        &self,
        index: usize,
        name: &'static str,
    ) -> Result<Option<T>, ArgError> {
        let Some(token) = self.get(index) else {
            return Ok(None);
        };

        token.parse().map(Some).map_err(|_| ArgError {
            kind: ArgErrorKind::Invalid {
                index,
                name,
                value: token.to_owned(),
                expected: short_type_name::<T>(),
            },
        })
    }
}

/// An argument that is missing or does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    kind: ArgErrorKind,
}

impl ArgError {
    /// What went wrong.
    pub fn kind(&self) -> &ArgErrorKind {
        &self.kind
    }
}

/// The kind of an [`ArgError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgErrorKind {
    /// No token at `index`.
    Missing {
        /// Zero-based position of the argument.
        index: usize,
        /// Name of the argument.
        name: &'static str,
    },
    /// The token at `index` does not parse as the expected type.
    Invalid {
        /// Zero-based position of the argument.
        index: usize,
        /// Name of the argument.
        name: &'static str,
        /// The token as typed.
        value: String,
        /// Rust name of the expected type, for example `u32`.
        expected: &'static str,
    },
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ArgErrorKind::Missing { name, .. } => write!(f, "missing argument `{name}`"),
            ArgErrorKind::Invalid {
                name,
                value,
                expected,
                ..
            } => write!(
                f,
                "invalid argument `{name}`: {value:?} is not a {expected}"
            ),
        }
    }
}

impl std::error::Error for ArgError {}

fn short_type_name<T>() -> &'static str {
    let full = type_name::<T>();

    full.rsplit("::").next().unwrap_or(full)
}

/// Splits text into tokens, honouring ASCII and Chinese quotes.
fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();

    while let Some(&first) = chars.peek() {
        if first.is_whitespace() {
            chars.next();
            continue;
        }

        let closing = match first {
            '"' => Some('"'),
            '\'' => Some('\''),
            '“' => Some('”'),
            _ => None,
        };
        let mut token = String::new();
        if let Some(closing) = closing {
            chars.next();
            for c in chars.by_ref() {
                if c == closing {
                    break;
                }
                token.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                token.push(c);
                chars.next();
            }
        }
        tokens.push(token);
    }

    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_any_whitespace() {
        let args = Args::parse("  a\tb\u{3000}c  ");
        assert_eq!(args.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(args.raw(), "a\tb\u{3000}c");
    }

    #[test]
    fn quotes_keep_spaces() {
        let args = Args::parse(r#"say "hello world" 'single quoted' “中 文”"#);
        assert_eq!(
            args.iter().collect::<Vec<_>>(),
            ["say", "hello world", "single quoted", "中 文"]
        );
    }

    #[test]
    fn unterminated_quote_runs_to_end() {
        let args = Args::parse(r#"x "open quote here"#);
        assert_eq!(args.get(1), Some("open quote here"));
    }

    #[test]
    fn empty_quotes_give_empty_token() {
        let args = Args::parse(r#"a "" b"#);
        assert_eq!(args.len(), 3);
        assert_eq!(args.get(1), Some(""));
    }

    #[test]
    fn required_reports_missing_name() {
        let error = Args::parse("").required::<u32>(0, "sides").unwrap_err();
        assert_eq!(
            error.kind(),
            &ArgErrorKind::Missing {
                index: 0,
                name: "sides"
            }
        );
        assert_eq!(error.to_string(), "missing argument `sides`");
    }

    #[test]
    fn required_reports_invalid_value() {
        let error = Args::parse("abc").required::<u32>(0, "sides").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"invalid argument `sides`: "abc" is not a u32"#
        );
    }

    #[test]
    fn optional_absent_is_none() {
        assert_eq!(Args::parse("").optional::<u8>(0, "n").unwrap(), None);
        assert_eq!(Args::parse("7").optional::<u8>(0, "n").unwrap(), Some(7));
    }
}
