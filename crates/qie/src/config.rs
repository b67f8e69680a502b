//! Bot configuration from a `qie.toml` file and the environment.
//!
//! ```toml
//! [bot]
//! app_id = "102000001"
//! # Or leave it out and set QIE_APP_SECRET.
//! secret = "your AppSecret"
//!
//! [platform]
//! # Optional. The OpenAPI base URL; the token endpoint defaults to
//! # {api_base}/app/getAppAccessToken.
//! api_base = "https://api.bot.qq.com"
//!
//! [dispatch]
//! # Optional limits, see DispatchLimits.
//! max_running = 32
//! max_pending = 1024
//! queue_per_conversation = 64
//! ```
//!
//! Every key can also come from the environment, which wins over the file:
//!
//! | key | variable |
//! | --- | --- |
//! | `bot.app_id` | `QIE_APP_ID` |
//! | `bot.secret` | `QIE_APP_SECRET` |
//! | `platform.api_base` | `QIE_API_BASE` |
//! | `platform.token_url` | `QIE_TOKEN_URL` |
//!
//! Errors name the key, the file and the fix; [`ConfigErrorKind`] lets a program show them in
//! its own words (the `qie` CLI prints them in English or Chinese).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use qie_model::gateway::Intents;
use qie_model::id::AppId;
use qie_model::secret::AppSecret;

use crate::dispatch::DispatchLimits;

/// The production OpenAPI base URL.
pub const DEFAULT_API_BASE: &str = "https://api.bot.qq.com";

/// Path of the token endpoint below the OpenAPI base URL.
pub const TOKEN_PATH: &str = "/app/getAppAccessToken";

/// Everything a bot needs to connect.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The bot's AppID.
    pub app_id: AppId,
    /// The bot's AppSecret.
    pub secret: AppSecret,
    /// The OpenAPI base URL, without a trailing slash.
    pub api_base: String,
    /// The token endpoint URL.
    pub token_url: String,
    /// Dispatcher limits.
    pub limits: DispatchLimits,
    /// Intents that replace the ones derived from the handlers, when set.
    ///
    /// A bot without approval for an intent (for example `DIRECT_MESSAGE`) is closed with 4014,
    /// so an operator can drop it here without changing code.
    pub intents: Option<Intents>,
}

impl Config {
    /// Creates a configuration for the production platform.
    pub fn new(app_id: AppId, secret: AppSecret) -> Self {
        Self {
            app_id,
            secret,
            api_base: DEFAULT_API_BASE.to_owned(),
            token_url: format!("{DEFAULT_API_BASE}{TOKEN_PATH}"),
            limits: DispatchLimits::default(),
            intents: None,
        }
    }

    /// Points the configuration at another platform, such as the emulator.
    ///
    /// Sets the token endpoint to `{api_base}/app/getAppAccessToken`.
    #[must_use]
    pub fn with_api_base(mut self, api_base: &str) -> Self {
        let api_base = api_base.trim_end_matches('/');
        self.token_url = format!("{api_base}{TOKEN_PATH}");
        api_base.clone_into(&mut self.api_base);

        self
    }

    /// Reads `path`, then applies the `QIE_*` environment variables.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the file, the key and the fix when the file cannot be read, is
    /// not valid TOML, or lacks or misstates a key.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let environment: HashMap<String, String> = std::env::vars().collect();

        Self::load_with_env(path.as_ref(), &|name| environment.get(name).cloned())
    }

    /// Builds the configuration from the `QIE_*` environment variables alone.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] when a variable is missing or invalid.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_sources(None, &toml::Table::new(), &|name| std::env::var(name).ok())
    }

    /// Like [`load`](Self::load), with the environment given as a lookup function.
    ///
    /// A missing file is an error only when the environment does not provide the required keys
    /// either, so a deployment can use the environment alone.
    ///
    /// # Errors
    ///
    /// As [`load`](Self::load).
    pub fn load_with_env(
        path: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let table = match std::fs::read_to_string(path) {
            Ok(text) => parse_table(path, &text)?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                match (env(APP_ID.env).is_some(), env(SECRET.env).is_some()) {
                    (true, true) => {}
                    // One variable is set, so the environment was meant to replace the file.
                    (true, false) => {
                        return Err(ConfigError::new(
                            None,
                            ConfigErrorKind::Missing { key: SECRET },
                        ));
                    }
                    (false, true) => {
                        return Err(ConfigError::new(
                            None,
                            ConfigErrorKind::Missing { key: APP_ID },
                        ));
                    }
                    (false, false) => {
                        return Err(ConfigError::new(Some(path), ConfigErrorKind::FileNotFound));
                    }
                }
                toml::Table::new()
            }
            Err(error) => {
                return Err(ConfigError::new(
                    Some(path),
                    ConfigErrorKind::Read {
                        reason: error.to_string(),
                    },
                ));
            }
        };

        Self::from_sources(Some(path), &table, env)
    }

    fn from_sources(
        path: Option<&Path>,
        table: &toml::Table,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        // An error about a key whose value came from its environment variable names the
        // variable, not the file.
        let fail = |kind: ConfigErrorKind| {
            let from_env = kind
                .key()
                .is_some_and(|key| !key.env.is_empty() && env(key.env).is_some());
            ConfigError::new(if from_env { None } else { path }, kind)
        };
        check_known_keys(table).map_err(fail)?;

        let app_id = read_string(table, &APP_ID, env)
            .map_err(fail)?
            .ok_or_else(|| fail(ConfigErrorKind::Missing { key: APP_ID }))?;
        if app_id.is_empty() || !app_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail(ConfigErrorKind::Invalid {
                key: APP_ID,
                value: app_id,
                expected: Expected::AppId,
            }));
        }

        // The secret's value never goes into an error.
        let secret = read_string(table, &SECRET, env)
            .map_err(fail)?
            .ok_or_else(|| fail(ConfigErrorKind::Missing { key: SECRET }))?;
        if secret.trim().is_empty() {
            return Err(fail(ConfigErrorKind::Invalid {
                key: SECRET,
                value: String::new(),
                expected: Expected::Secret,
            }));
        }

        let mut config = Self::new(AppId::new(app_id), AppSecret::new(secret));
        if let Some(api_base) = read_string(table, &API_BASE, env).map_err(fail)? {
            check_url(&API_BASE, &api_base).map_err(fail)?;
            config = config.with_api_base(&api_base);
        }
        if let Some(token_url) = read_string(table, &TOKEN_URL, env).map_err(fail)? {
            check_url(&TOKEN_URL, &token_url).map_err(fail)?;
            config.token_url = token_url;
        }

        config.intents = read_intents(table, env).map_err(fail)?;

        let defaults = DispatchLimits::default();
        config.limits = DispatchLimits::new(
            read_count(table, &MAX_RUNNING)
                .map_err(fail)?
                .unwrap_or(defaults.max_running),
            read_count(table, &MAX_PENDING)
                .map_err(fail)?
                .unwrap_or(defaults.max_pending),
            read_count(table, &QUEUE_PER_CONVERSATION)
                .map_err(fail)?
                .unwrap_or(defaults.queue_per_conversation),
        );

        Ok(config)
    }
}

/// A configuration key: where it sits in `qie.toml` and which variable overrides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigKey {
    /// Table name in `qie.toml`.
    pub table: &'static str,
    /// Key name inside the table.
    pub name: &'static str,
    /// Environment variable that overrides it, or `""` when there is none.
    pub env: &'static str,
}

impl ConfigKey {
    const fn new(table: &'static str, name: &'static str, env: &'static str) -> Self {
        Self { table, name, env }
    }
}

impl fmt::Display for ConfigKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.table, self.name)
    }
}

/// `bot.app_id`.
pub const APP_ID: ConfigKey = ConfigKey::new("bot", "app_id", "QIE_APP_ID");
/// `bot.secret`.
pub const SECRET: ConfigKey = ConfigKey::new("bot", "secret", "QIE_APP_SECRET");
/// `platform.api_base`.
pub const API_BASE: ConfigKey = ConfigKey::new("platform", "api_base", "QIE_API_BASE");
/// `platform.token_url`.
pub const TOKEN_URL: ConfigKey = ConfigKey::new("platform", "token_url", "QIE_TOKEN_URL");
/// `bot.intents`: a number or a list of intent names such as `"GROUP_AND_C2C_EVENT"`.
pub const INTENTS: ConfigKey = ConfigKey::new("bot", "intents", "QIE_INTENTS");
/// `dispatch.max_running`.
pub const MAX_RUNNING: ConfigKey = ConfigKey::new("dispatch", "max_running", "");
/// `dispatch.max_pending`.
pub const MAX_PENDING: ConfigKey = ConfigKey::new("dispatch", "max_pending", "");
/// `dispatch.queue_per_conversation`.
pub const QUEUE_PER_CONVERSATION: ConfigKey =
    ConfigKey::new("dispatch", "queue_per_conversation", "");

const ALL_KEYS: [ConfigKey; 8] = [
    APP_ID,
    SECRET,
    INTENTS,
    API_BASE,
    TOKEN_URL,
    MAX_RUNNING,
    MAX_PENDING,
    QUEUE_PER_CONVERSATION,
];

/// A configuration that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    path: Option<PathBuf>,
    kind: ConfigErrorKind,
}

impl ConfigError {
    fn new(path: Option<&Path>, kind: ConfigErrorKind) -> Self {
        Self {
            path: path.map(Path::to_path_buf),
            kind,
        }
    }

    /// Returns the configuration file, when one was read.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What is wrong.
    pub fn kind(&self) -> &ConfigErrorKind {
        &self.kind
    }
}

/// The kind of a [`ConfigError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// The file does not exist and the environment does not replace it.
    FileNotFound,
    /// The file exists but cannot be read.
    Read {
        /// The operating system's reason.
        reason: String,
    },
    /// The file is not valid TOML.
    Syntax {
        /// One-based line of the error.
        line: usize,
        /// One-based column of the error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A required key is absent from both the file and the environment.
    Missing {
        /// The key.
        key: ConfigKey,
    },
    /// A key has a value of the wrong type or form.
    Invalid {
        /// The key.
        key: ConfigKey,
        /// The value as written; empty for the secret, whose value is never shown.
        value: String,
        /// What the value must be.
        expected: Expected,
    },
    /// The file contains a key qie does not know, usually a typo.
    UnknownKey {
        /// The key as written, `table.name`.
        key: String,
        /// The known key closest to it, if any.
        suggestion: Option<ConfigKey>,
    },
}

impl ConfigErrorKind {
    /// Returns the key the error is about, for the kinds that name one.
    pub fn key(&self) -> Option<ConfigKey> {
        match self {
            Self::Missing { key } | Self::Invalid { key, .. } => Some(*key),
            Self::FileNotFound
            | Self::Read { .. }
            | Self::Syntax { .. }
            | Self::UnknownKey { .. } => None,
        }
    }
}

/// The form a configuration value must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// A string of decimal digits, as shown in the QQ bot console.
    AppId,
    /// A non-empty string.
    Secret,
    /// An `http://` or `https://` URL.
    Url,
    /// A number or a list of intent names.
    Intents,
    /// A whole number greater than zero.
    PositiveInteger,
    /// A string.
    String,
    /// A table (`[name]` section).
    Table,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AppId => "a string of digits (the AppID shown in the QQ bot console)",
            Self::Secret => "a non-empty string (the AppSecret shown in the QQ bot console)",
            Self::Url => "an http:// or https:// URL",
            Self::PositiveInteger => "a whole number greater than zero",
            Self::String => "a quoted string",
            Self::Table => "a table such as [bot]",
            Self::Intents => {
                "a number or a list of intent names such as [\"GROUP_AND_C2C_EVENT\", \"INTERACTION\"]"
            }
        })
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = match (&self.path, self.kind.key()) {
            (Some(path), _) => path.display().to_string(),
            (None, Some(key)) if !key.env.is_empty() => {
                format!("the environment variable {}", key.env)
            }
            (None, _) => "the environment".to_owned(),
        };
        match &self.kind {
            ConfigErrorKind::FileNotFound => write!(
                f,
                "configuration file {file} not found; create it with [bot] app_id and secret, \
                 or set QIE_APP_ID and QIE_APP_SECRET"
            ),
            ConfigErrorKind::Read { reason } => write!(f, "cannot read {file}: {reason}"),
            ConfigErrorKind::Syntax {
                line,
                column,
                message,
            } => write!(f, "{file}:{line}:{column}: invalid TOML: {message}"),
            ConfigErrorKind::Missing { key } => write!(
                f,
                "missing `{key}` in {file}; add `{name} = \"…\"` under [{table}] or set {env}",
                name = key.name,
                table = key.table,
                env = key.env
            ),
            ConfigErrorKind::Invalid {
                key,
                value,
                expected,
            } if value.is_empty() => write!(f, "invalid `{key}` in {file}: expected {expected}"),
            ConfigErrorKind::Invalid {
                key,
                value,
                expected,
            } => write!(f, "invalid `{key}` in {file}: {value:?} is not {expected}"),
            ConfigErrorKind::UnknownKey { key, suggestion } => {
                write!(f, "unknown key `{key}` in {file}")?;
                match suggestion {
                    Some(known) => write!(f, "; did you mean `{known}`?"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for ConfigError {}

fn parse_table(path: &Path, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|error| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| line_and_column(text, span.start));
        ConfigError::new(
            Some(path),
            ConfigErrorKind::Syntax {
                line,
                column,
                message: error.message().to_owned(),
            },
        )
    })
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;

    (line, column)
}

fn check_known_keys(table: &toml::Table) -> Result<(), ConfigErrorKind> {
    for (table_name, value) in table {
        let Some(inner) = value.as_table() else {
            if ALL_KEYS.iter().any(|key| key.table == table_name) {
                return Err(ConfigErrorKind::Invalid {
                    key: ConfigKey::new(table_lookup(table_name), "", ""),
                    value: value.to_string(),
                    expected: Expected::Table,
                });
            }
            return Err(unknown_key(table_name.clone()));
        };
        for name in inner.keys() {
            let known = ALL_KEYS
                .iter()
                .any(|key| key.table == table_name && key.name == name);
            if !known {
                return Err(unknown_key(format!("{table_name}.{name}")));
            }
        }
    }

    Ok(())
}

fn table_lookup(name: &str) -> &'static str {
    ALL_KEYS
        .iter()
        .find(|key| key.table == name)
        .map_or("", |key| key.table)
}

fn unknown_key(key: String) -> ConfigErrorKind {
    let bare = key.rsplit('.').next().unwrap_or(&key);
    let suggestion = ALL_KEYS
        .iter()
        .map(|known| (edit_distance(bare, known.name), *known))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known);

    ConfigErrorKind::UnknownKey { key, suggestion }
}

fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    for (i, l) in left.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, r) in right.iter().enumerate() {
            let substitution = previous[j] + usize::from(l != *r);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }

    previous[right.len()]
}

fn lookup<'a>(table: &'a toml::Table, key: &ConfigKey) -> Option<&'a toml::Value> {
    table.get(key.table)?.as_table()?.get(key.name)
}

fn read_string(
    table: &toml::Table,
    key: &ConfigKey,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>, ConfigErrorKind> {
    if !key.env.is_empty()
        && let Some(value) = env(key.env)
    {
        return Ok(Some(value.trim().to_owned()));
    }

    match lookup(table, key) {
        None => Ok(None),
        Some(toml::Value::String(value)) => Ok(Some(value.trim().to_owned())),
        Some(other) => Err(ConfigErrorKind::Invalid {
            key: *key,
            // A secret written as a number is still a secret.
            value: if *key == SECRET {
                String::new()
            } else {
                other.to_string()
            },
            expected: Expected::String,
        }),
    }
}

fn read_count(table: &toml::Table, key: &ConfigKey) -> Result<Option<usize>, ConfigErrorKind> {
    let Some(value) = lookup(table, key) else {
        return Ok(None);
    };

    value
        .as_integer()
        .and_then(|number| usize::try_from(number).ok())
        .filter(|number| *number > 0)
        .map(Some)
        .ok_or_else(|| ConfigErrorKind::Invalid {
            key: *key,
            value: value.to_string(),
            expected: Expected::PositiveInteger,
        })
}

/// Reads `bot.intents` (or `QIE_INTENTS`): a number, or intent names in a TOML list or, in the
/// variable, separated by commas.
fn read_intents(
    table: &toml::Table,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Intents>, ConfigErrorKind> {
    let invalid = |value: String| ConfigErrorKind::Invalid {
        key: INTENTS,
        value,
        expected: Expected::Intents,
    };

    if let Some(text) = env(INTENTS.env) {
        let text = text.trim();
        if let Ok(bits) = text.parse::<u32>() {
            return Ok(Some(Intents::from_bits_retain(bits)));
        }
        return parse_intent_names(text.split(',').map(str::trim))
            .map(Some)
            .ok_or_else(|| invalid(text.to_owned()));
    }

    let Some(value) = lookup(table, &INTENTS) else {
        return Ok(None);
    };
    match value {
        toml::Value::Integer(number) => u32::try_from(*number)
            .map(|bits| Some(Intents::from_bits_retain(bits)))
            .map_err(|_| invalid(value.to_string())),
        toml::Value::Array(items) => {
            let names: Option<Vec<&str>> = items.iter().map(toml::Value::as_str).collect();
            names
                .and_then(|names| parse_intent_names(names.into_iter()))
                .map(Some)
                .ok_or_else(|| invalid(value.to_string()))
        }
        other => Err(invalid(other.to_string())),
    }
}

fn parse_intent_names<'a>(names: impl Iterator<Item = &'a str>) -> Option<Intents> {
    names
        .filter(|name| !name.is_empty())
        .try_fold(Intents::empty(), |intents, name| {
            Some(intents | Intents::from_name(&name.to_ascii_uppercase())?)
        })
}

fn check_url(key: &ConfigKey, value: &str) -> Result<(), ConfigErrorKind> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(ConfigErrorKind::Invalid {
            key: *key,
            value: value.to_owned(),
            expected: Expected::Url,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "qie-config-test-{}-{number}.toml",
            std::process::id()
        ));
        std::fs::write(&path, text).unwrap();
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let result = Config::load_with_env(&path, &|name| env.get(name).cloned());
        std::fs::remove_file(&path).unwrap();

        result
    }

    #[test]
    fn full_file_loads() {
        let config = load(
            r#"
            [bot]
            app_id = "102000001"
            secret = "s3cr3t"
            [platform]
            api_base = "http://127.0.0.1:8080/"
            [dispatch]
            max_running = 4
            "#,
            &[],
        )
        .unwrap();

        assert_eq!(config.app_id.as_str(), "102000001");
        assert_eq!(config.secret.expose(), "s3cr3t");
        assert_eq!(config.api_base, "http://127.0.0.1:8080");
        assert_eq!(
            config.token_url,
            "http://127.0.0.1:8080/app/getAppAccessToken"
        );
        assert_eq!(config.limits.max_running, 4);
        assert_eq!(config.limits.max_pending, 1024);
    }

    #[test]
    fn environment_wins_over_file() {
        let config = load(
            "[bot]\napp_id = \"1\"\nsecret = \"file\"\n",
            &[("QIE_APP_ID", "2"), ("QIE_APP_SECRET", "env")],
        )
        .unwrap();

        assert_eq!(config.app_id.as_str(), "2");
        assert_eq!(config.secret.expose(), "env");
    }

    #[test]
    fn missing_secret_names_key_and_variable() {
        let error = load("[bot]\napp_id = \"102000001\"\n", &[]).unwrap_err();

        assert_eq!(error.kind(), &ConfigErrorKind::Missing { key: SECRET });
        let message = error.to_string();
        assert!(message.contains("`bot.secret`"), "{message}");
        assert!(message.contains("QIE_APP_SECRET"), "{message}");
    }

    #[test]
    fn syntax_error_has_line() {
        let error = load("[bot]\napp_id = 102000001\nsecret = \n", &[]).unwrap_err();

        match error.kind() {
            ConfigErrorKind::Syntax { line, .. } => assert_eq!(*line, 3),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn numeric_app_id_is_invalid_type() {
        let error = load("[bot]\napp_id = 102000001\nsecret = \"x\"\n", &[]).unwrap_err();

        assert_eq!(
            error.kind(),
            &ConfigErrorKind::Invalid {
                key: APP_ID,
                value: "102000001".to_owned(),
                expected: Expected::String,
            }
        );
    }

    #[test]
    fn non_digit_app_id_is_invalid() {
        let error = load("[bot]\napp_id = \"abc\"\nsecret = \"x\"\n", &[]).unwrap_err();

        assert!(matches!(
            error.kind(),
            ConfigErrorKind::Invalid {
                expected: Expected::AppId,
                ..
            }
        ));
    }

    #[test]
    fn secret_value_never_in_error() {
        let error = load("[bot]\napp_id = \"1\"\nsecret = 123456789\n", &[]).unwrap_err();

        assert!(!error.to_string().contains("123456789"));
        assert!(!format!("{error:?}").contains("123456789"));
    }

    #[test]
    fn typo_gets_suggestion() {
        let error = load("[bot]\nappid = \"1\"\nsecret = \"x\"\n", &[]).unwrap_err();

        assert_eq!(
            error.kind(),
            &ConfigErrorKind::UnknownKey {
                key: "bot.appid".to_owned(),
                suggestion: Some(APP_ID),
            }
        );
        assert!(error.to_string().contains("did you mean `bot.app_id`?"));
    }

    #[test]
    fn bad_url_rejected() {
        let error = load(
            "[bot]\napp_id = \"1\"\nsecret = \"x\"\n[platform]\napi_base = \"api.bot.qq.com\"\n",
            &[],
        )
        .unwrap_err();

        assert!(matches!(
            error.kind(),
            ConfigErrorKind::Invalid {
                expected: Expected::Url,
                ..
            }
        ));
    }

    #[test]
    fn zero_limit_rejected() {
        let error = load(
            "[bot]\napp_id = \"1\"\nsecret = \"x\"\n[dispatch]\nmax_running = 0\n",
            &[],
        )
        .unwrap_err();

        assert_eq!(
            error.kind(),
            &ConfigErrorKind::Invalid {
                key: MAX_RUNNING,
                value: "0".to_owned(),
                expected: Expected::PositiveInteger,
            }
        );
    }

    #[test]
    fn missing_file_without_env_is_not_found() {
        let path = std::env::temp_dir().join("qie-definitely-missing.toml");
        let error = Config::load_with_env(&path, &|_| None).unwrap_err();

        assert_eq!(error.kind(), &ConfigErrorKind::FileNotFound);
    }

    #[test]
    fn missing_file_with_env_loads() {
        let path = std::env::temp_dir().join("qie-definitely-missing.toml");
        let config = Config::load_with_env(&path, &|name| match name {
            "QIE_APP_ID" => Some("5".to_owned()),
            "QIE_APP_SECRET" => Some("y".to_owned()),
            _ => None,
        })
        .unwrap();

        assert_eq!(config.app_id.as_str(), "5");
    }

    #[test]
    fn missing_file_with_half_env_names_variable() {
        let path = std::env::temp_dir().join("qie-definitely-missing.toml");
        let error = Config::load_with_env(&path, &|name| {
            (name == "QIE_APP_ID").then(|| "102000001".to_owned())
        })
        .unwrap_err();

        assert_eq!(error.kind(), &ConfigErrorKind::Missing { key: SECRET });
        assert_eq!(error.path(), None);
        assert!(error.to_string().contains("QIE_APP_SECRET"), "{error}");
    }

    #[test]
    fn invalid_env_value_blames_variable() {
        let error = load(
            "[bot]\napp_id = \"102000001\"\nsecret = \"x\"\n",
            &[("QIE_APP_ID", "abc")],
        )
        .unwrap_err();

        assert_eq!(error.path(), None);
        let text = error.to_string();
        assert!(text.contains("environment variable QIE_APP_ID"), "{text}");
        assert!(!text.contains(".toml"), "{text}");
    }

    #[test]
    fn invalid_file_value_blames_file() {
        let error = load("[bot]\napp_id = \"abc\"\nsecret = \"x\"\n", &[]).unwrap_err();

        assert!(error.path().is_some());
        assert!(error.to_string().contains(".toml"), "{error}");
    }

    #[test]
    fn intents_from_names_and_number() {
        let config = load(
            "[bot]\napp_id = \"1\"\nsecret = \"x\"\nintents = [\"GROUP_AND_C2C_EVENT\", \"interaction\"]\n",
            &[],
        )
        .unwrap();
        assert_eq!(
            config.intents,
            Some(Intents::GROUP_AND_C2C_EVENT | Intents::INTERACTION)
        );

        let config = load(
            "[bot]\napp_id = \"1\"\nsecret = \"x\"\n",
            &[("QIE_INTENTS", "1,GUILDS")],
        );
        assert!(config.is_err(), "a number inside a name list is not a name");

        let config = load(
            "[bot]\napp_id = \"1\"\nsecret = \"x\"\n",
            &[("QIE_INTENTS", "33554432")],
        )
        .unwrap();
        assert_eq!(config.intents, Some(Intents::GROUP_AND_C2C_EVENT));
    }

    #[test]
    fn unknown_intent_name_is_invalid() {
        let error = load(
            "[bot]\napp_id = \"1\"\nsecret = \"x\"\nintents = [\"GROUPS\"]\n",
            &[],
        )
        .unwrap_err();

        assert!(matches!(
            error.kind(),
            ConfigErrorKind::Invalid { key, expected: Expected::Intents, .. } if *key == INTENTS
        ));
    }
}
