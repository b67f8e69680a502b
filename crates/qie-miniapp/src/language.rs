//! The language of text meant for people: converter reports, scaffold and converter errors.

use serde::Serialize;

/// A language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Language {
    /// English.
    English,
    /// Simplified Chinese.
    SimplifiedChinese,
}
