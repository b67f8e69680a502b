//! OpenAPI error bodies and the documented error-code table.
//!
//! The platform sends two error body forms, often merged: the older `{"code", "message"}` and
//! the 2026 `{"err_code", "message", "trace_id"}`. On the wire in 2026 both appear together with
//! `code == err_code`, but either may be missing and they may differ. [`ApiErrorBody`] accepts all
//! of these; [`ApiErrorBody::code`] prefers `err_code`, as the platform documents.

mod codes;

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

pub use codes::ErrorCodeInfo;

use crate::id::AuditId;

/// The client action an error code calls for.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCategory {
    /// Credentials are wrong (AppID, secret, token form): fix the configuration.
    Auth,
    /// The access token is missing or expired: refresh it and retry once.
    TokenExpired,
    /// A rate limit or quota was hit: back off.
    RateLimited,
    /// The `(msg_id, msg_seq)` pair was already used: send again with a new `msg_seq`.
    DuplicateMsgSeq,
    /// The `msg_id`/`event_id` reply window or reply count is used up: send proactively or drop.
    ReplyWindowExpired,
    /// The bot lacks a permission, grant or relation for this call.
    Permission,
    /// The request is invalid: fix the request.
    InvalidRequest,
    /// A transient platform failure: retry later (the platform documents at most one retry on
    /// the "system error" codes).
    Server,
    /// Accepted but held for manual audit (304023, 304024): the message is delivered later and
    /// announced by MESSAGE_AUDIT_PASS or MESSAGE_AUDIT_REJECT. Not a failure.
    PendingAudit,
    /// The code is not documented.
    Unknown,
}

impl ErrorCategory {
    /// Returns whether retrying the same request later may succeed.
    pub const fn is_retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::Server | Self::TokenExpired)
    }
}

/// Looks up a documented error code.
///
/// Codes that only belong to a documented family (for example 301042 in "301000–301099 channel
/// permission errors") return `None` here; see [`code_family`].
pub fn error_code_info(code: u32) -> Option<&'static ErrorCodeInfo> {
    codes::CODES
        .binary_search_by_key(&code, |info| info.code)
        .ok()
        .and_then(|index| codes::CODES.get(index))
}

/// Returns the documented family of a code, such as "announcement errors" for 501000–501999.
pub fn code_family(code: u32) -> Option<&'static str> {
    codes::RANGES
        .iter()
        .find(|(first, last, _)| (*first..=*last).contains(&code))
        .map(|(_, _, meaning)| *meaning)
}

/// Returns every documented single code, sorted by code.
pub fn documented_codes() -> &'static [ErrorCodeInfo] {
    codes::CODES
}

/// Classifies an error code.
///
/// Documented codes use the table; undocumented 8-digit codes starting with 500 are treated as
/// [`ErrorCategory::Server`] (every documented 500xxxxx code means "retry later").
pub fn categorize(code: u32) -> ErrorCategory {
    if let Some(info) = error_code_info(code) {
        return info.category;
    }

    if (50_000_000..50_100_000).contains(&code) {
        return ErrorCategory::Server;
    }

    ErrorCategory::Unknown
}

/// An OpenAPI (or token endpoint) error body.
///
/// # Examples
///
/// ```
/// use qie_model::error::{ApiErrorBody, ErrorCategory};
///
/// let body: ApiErrorBody = serde_json::from_str(
///     r#"{"message":"消息被去重，请检查请求msgseq","code":40054005,"err_code":40054005,"trace_id":"2e4f"}"#,
/// )?;
/// assert_eq!(body.code(), Some(40054005));
/// assert_eq!(body.category(), ErrorCategory::DuplicateMsgSeq);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// `code`: the older business code (integer or numeric string on the wire).
    #[serde(
        default,
        deserialize_with = "lenient_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<u32>,
    /// `err_code`: the 2026 business code; decides the failure when present.
    #[serde(
        default,
        deserialize_with = "lenient_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub err_code: Option<u32>,
    /// Human-readable message (usually Chinese); some clients see it as `msg`.
    #[serde(default, alias = "msg")]
    pub message: String,
    /// Trace id, the same value as the `X-Tps-trace-ID` response header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// Extra data, such as the audit id of 304023/304024.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<ErrorData>,
}

/// `data` of an error body.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ErrorData {
    /// Set for 304023/304024 (accepted, waiting for manual audit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_audit: Option<MessageAudit>,
}

/// `data.message_audit` of an error body.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MessageAudit {
    /// Matches `audit_id` of the later MESSAGE_AUDIT_PASS/REJECT event.
    pub audit_id: AuditId,
}

impl ApiErrorBody {
    /// Builds a body in the 2026 wire form (`code` and `err_code` equal).
    pub fn new(code: u32, message: impl Into<String>, trace_id: Option<String>) -> Self {
        Self {
            code: Some(code),
            err_code: Some(code),
            message: message.into(),
            trace_id,
            data: None,
        }
    }

    /// Returns the deciding code: `err_code`, else `code`.
    pub fn code(&self) -> Option<u32> {
        self.err_code.or(self.code)
    }

    /// Classifies the error by `err_code`, falling back to `code` when `err_code` is missing or
    /// undocumented.
    pub fn category(&self) -> ErrorCategory {
        let by_err_code = self.err_code.map_or(ErrorCategory::Unknown, categorize);
        if by_err_code != ErrorCategory::Unknown {
            return by_err_code;
        }

        self.code.map_or(ErrorCategory::Unknown, categorize)
    }

    /// Returns the documented meaning of the deciding code.
    pub fn meaning(&self) -> Option<&'static str> {
        let code = self.code()?;

        error_code_info(code)
            .map(|info| info.meaning)
            .or_else(|| code_family(code))
    }

    /// Returns the audit id of a 304023/304024 body.
    pub fn audit_id(&self) -> Option<&AuditId> {
        self.data
            .as_ref()
            .and_then(|data| data.message_audit.as_ref())
            .map(|audit| &audit.audit_id)
    }
}

impl fmt::Display for ApiErrorBody {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code() {
            Some(code) => write!(formatter, "code {code}: {}", self.message)?,
            None => write!(formatter, "{}", self.message)?,
        }
        if let Some(trace_id) = &self.trace_id {
            write!(formatter, " (trace id {trace_id})")?;
        }

        Ok(())
    }
}

fn lenient_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    struct CodeVisitor;

    impl Visitor<'_> for CodeVisitor {
        type Value = Option<u32>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("an error code as an integer or a numeric string")
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<u32>, E> {
            Ok(u32::try_from(value).ok())
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<u32>, E> {
            Ok(u32::try_from(value).ok())
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Option<u32>, E> {
            Ok(value.trim().parse().ok())
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<u32>, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<u32>, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(CodeVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        let codes = documented_codes();

        assert!(codes.windows(2).all(|pair| pair[0].code < pair[1].code));
    }

    #[test]
    fn categories_of_key_codes() {
        let table = [
            (11241, ErrorCategory::TokenExpired),
            (11244, ErrorCategory::TokenExpired),
            (11243, ErrorCategory::Auth),
            (11245, ErrorCategory::Auth),
            (100_007, ErrorCategory::Auth),
            (22009, ErrorCategory::RateLimited),
            (40_034_100, ErrorCategory::RateLimited),
            (40_054_005, ErrorCategory::DuplicateMsgSeq),
            (40_034_005, ErrorCategory::ReplyWindowExpired),
            (304_027, ErrorCategory::ReplyWindowExpired),
            (40_034_128, ErrorCategory::ReplyWindowExpired),
            (11264, ErrorCategory::Permission),
            (40_034_102, ErrorCategory::Permission),
            (50006, ErrorCategory::InvalidRequest),
            (50057, ErrorCategory::InvalidRequest),
            (11242, ErrorCategory::Server),
            (306_003, ErrorCategory::Server),
            (50_055_001, ErrorCategory::Server),
            (50_099_999, ErrorCategory::Server),
            (304_023, ErrorCategory::PendingAudit),
            (304_024, ErrorCategory::PendingAudit),
            (999, ErrorCategory::Unknown),
        ];

        for (code, category) in table {
            assert_eq!(categorize(code), category, "{code}");
        }
    }

    #[test]
    fn family_lookup() {
        assert_eq!(code_family(301_042), Some("channel permission errors"));
        assert_eq!(code_family(42), None);
    }

    #[test]
    fn body_accepts_every_form() {
        let legacy: ApiErrorBody =
            serde_json::from_str(r#"{"code":100007,"message":"appid invalid"}"#).unwrap();
        let docs: ApiErrorBody =
            serde_json::from_str(r#"{"err_code":40034005,"message":"m","trace_id":"t"}"#).unwrap();
        let differing: ApiErrorBody =
            serde_json::from_str(r#"{"message":"Token错误","code":11242,"err_code":40012002}"#)
                .unwrap();
        let string_code: ApiErrorBody =
            serde_json::from_str(r#"{"code":"11244","msg":"expired"}"#).unwrap();

        assert_eq!(legacy.code(), Some(100_007));
        assert_eq!(docs.code(), Some(40_034_005));
        assert_eq!(docs.trace_id.as_deref(), Some("t"));
        assert_eq!(differing.code(), Some(40_012_002));
        assert_eq!(differing.category(), ErrorCategory::Auth);
        assert_eq!(string_code.code(), Some(11244));
        assert_eq!(string_code.message, "expired");
        assert_eq!(string_code.category(), ErrorCategory::TokenExpired);
    }

    #[test]
    fn display_names_code_and_trace() {
        let body = ApiErrorBody::new(11264, "check guild auth not pass", Some("7c1e".to_owned()));

        assert_eq!(
            body.to_string(),
            "code 11264: check guild auth not pass (trace id 7c1e)"
        );
    }
}
