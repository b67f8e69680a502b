//! The language of everything the CLI prints: English or Simplified Chinese.

use std::ffi::OsString;

/// A language the CLI can print in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Lang {
    /// Picks the English or the Chinese text.
    pub(crate) fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Self::En => en,
            Self::ZhCn => zh,
        }
    }

    /// Parses a `--lang` value or a locale name (`zh_CN.UTF-8`, `zh-CN`, `en_US`, `C`).
    ///
    /// Returns `None` for a value that names neither language.
    pub(crate) fn from_locale(value: &str) -> Option<Self> {
        let lower = value.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            return Some(Self::ZhCn);
        }
        if lower.starts_with("en") || lower == "c" || lower.starts_with("c.") || lower == "posix" {
            return Some(Self::En);
        }

        None
    }

    /// Chooses the language: the `--lang` argument, then `LC_ALL`, `LC_MESSAGES` and `LANG` in
    /// the POSIX order of precedence, then English.
    ///
    /// The arguments are scanned before clap parses them, so the help text and clap's own errors
    /// come out in the chosen language too.
    pub(crate) fn detect(args: &[OsString], env: &dyn Fn(&str) -> Option<String>) -> Self {
        if let Some(lang) = lang_argument(args).as_deref().and_then(Self::from_locale) {
            return lang;
        }

        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            match env(name) {
                // An empty variable does not count, as in POSIX.
                Some(value) if !value.is_empty() => {
                    return Self::from_locale(&value).unwrap_or(Self::En);
                }
                _ => {}
            }
        }

        Self::En
    }
}

fn lang_argument(args: &[OsString]) -> Option<String> {
    let mut iter = args.iter().filter_map(|arg| arg.to_str());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            return Some(value.to_owned());
        }
        if arg == "--lang" {
            return iter.next().map(str::to_owned);
        }
    }

    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn detect(list: &[&str], env: &[(&str, &str)]) -> Lang {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Lang::detect(&args(list), &|name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn flag_wins_over_environment() {
        assert_eq!(
            detect(&["qie", "--lang", "en", "demo"], &[("LANG", "zh_CN.UTF-8")]),
            Lang::En
        );
        assert_eq!(detect(&["qie", "demo", "--lang=zh-CN"], &[]), Lang::ZhCn);
    }

    #[test]
    fn lc_all_wins_over_lang() {
        assert_eq!(
            detect(
                &["qie"],
                &[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")]
            ),
            Lang::ZhCn
        );
        assert_eq!(
            detect(&["qie"], &[("LC_ALL", ""), ("LANG", "zh_TW.UTF-8")]),
            Lang::ZhCn
        );
    }

    #[test]
    fn default_is_english() {
        assert_eq!(detect(&["qie"], &[]), Lang::En);
        assert_eq!(detect(&["qie"], &[("LANG", "C.UTF-8")]), Lang::En);
        assert_eq!(detect(&["qie"], &[("LANG", "fr_FR.UTF-8")]), Lang::En);
    }
}
