//! The client's reaction to each platform error code.
//!
//! The platform returns an HTTP status and a numeric code (`err_code`, else `code`). This module
//! maps both to a [`CodeClass`], which drives token refetches, rate-limit waits, retries and the
//! `msg_seq` re-sequencing of replies.

use qie_model::error::{ErrorCategory, categorize};
use reqwest::StatusCode;

/// Token expired, wrong or missing: the request is replayed once with a refetched token.
///
/// 11241 token missing, 11243 token wrong, 11244 token expired or unknown, 40012002 token error
/// in the 2026 eight-digit form.
pub const TOKEN_INVALID_CODES: &[u32] = &[11_241, 11_243, 11_244, 40_012_002];

/// Short-term rate-limit codes: the request is waited out and retried.
///
/// The codes: 20028 channel writes, 22009 group and C2C sends, 40034100 proactive sends, 50002
/// streams, 304045 and 304049 channel and DM proactive messages, 503004 thread posts, 610013
/// guild permissions, 620006 reactions, 1100100 security, 1100308 guild, 100001 the token
/// endpoint. Daily quotas (302012, 40093002 …) are not here:
/// waiting seconds does not help, so they are returned to the caller.
pub const RATE_LIMIT_CODES: &[u32] = &[
    20_028, 22_009, 40_034_100, 50_002, 100_001, 304_045, 304_049, 503_004, 610_013, 620_006,
    1_100_100, 1_100_308,
];

/// System errors the platform documents as "retry once", and never more.
pub const RETRY_ONCE_CODES: &[u32] = &[11_242, 11_252, 11_263, 11_281];

/// The client's treatment of an error response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeClass {
    /// The access token is invalid: refetch it and replay the request once.
    TokenInvalid,
    /// Rate limited: wait and retry.
    RateLimited,
    /// The `(msg_id, msg_seq)` pair was already used.
    DuplicateSeq,
    /// The message is held for manual audit; it was accepted.
    PendingAudit,
    /// The passive reply window or reply count of the anchor message is used up.
    ReplyExpired,
    /// A temporary server-side failure; safe requests are retried.
    Transient,
    /// A system error of a check that runs before the request takes effect (token, privilege,
    /// admin checks). The platform documents one retry and no more, so every method is retried
    /// once.
    RetryOnce,
    /// Any other rejection: returned to the caller as is.
    Rejected,
}

/// Classifies an error response by its HTTP status and code.
///
/// HTTP 401 and 429 decide on their own. Otherwise the code decides, using the documented code
/// table of `qie_model::error`; an undocumented code falls back to the status (5xx transient).
pub fn classify(status: StatusCode, code: Option<u32>) -> CodeClass {
    match status.as_u16() {
        401 => return CodeClass::TokenInvalid,
        429 => return CodeClass::RateLimited,
        _ => {}
    }

    if let Some(class) = code.and_then(classify_code) {
        return class;
    }

    if status.is_server_error() {
        CodeClass::Transient
    } else {
        CodeClass::Rejected
    }
}

fn classify_code(code: u32) -> Option<CodeClass> {
    if TOKEN_INVALID_CODES.contains(&code) {
        return Some(CodeClass::TokenInvalid);
    }
    if RATE_LIMIT_CODES.contains(&code) {
        return Some(CodeClass::RateLimited);
    }
    if RETRY_ONCE_CODES.contains(&code) {
        return Some(CodeClass::RetryOnce);
    }

    match categorize(code) {
        ErrorCategory::TokenExpired => Some(CodeClass::TokenInvalid),
        ErrorCategory::DuplicateMsgSeq => Some(CodeClass::DuplicateSeq),
        ErrorCategory::PendingAudit => Some(CodeClass::PendingAudit),
        ErrorCategory::ReplyWindowExpired => Some(CodeClass::ReplyExpired),
        ErrorCategory::Server => Some(CodeClass::Transient),
        ErrorCategory::Unknown => None,
        _ => Some(CodeClass::Rejected),
    }
}

/// Returns whether `code` means the message is held for manual audit.
pub(crate) fn is_pending_audit(code: u32) -> bool {
    categorize(code) == ErrorCategory::PendingAudit
}

/// Returns a short English hint for a token-endpoint code.
pub(crate) fn token_code_hint(code: u32) -> Option<&'static str> {
    match code {
        100_001 => Some("token endpoint rate limited, retry later"),
        100_002 => Some("token endpoint internal error, retry later"),
        100_007 => Some("AppID invalid, or the bot is banned or deleted"),
        100_016 => Some("AppID and AppSecret do not match"),
        10_004 => Some("no bot with this AppID"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_win_over_status() {
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, Some(11_244)),
            CodeClass::TokenInvalid
        );
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, Some(40_054_005)),
            CodeClass::DuplicateSeq
        );
        assert_eq!(
            classify(StatusCode::OK, Some(304_023)),
            CodeClass::PendingAudit
        );
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, Some(50_055_002)),
            CodeClass::Transient
        );
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, Some(40_034_100)),
            CodeClass::RateLimited
        );
    }

    #[test]
    fn status_fallback() {
        assert_eq!(
            classify(StatusCode::UNAUTHORIZED, None),
            CodeClass::TokenInvalid
        );
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, None),
            CodeClass::RateLimited
        );
        assert_eq!(
            classify(StatusCode::BAD_GATEWAY, None),
            CodeClass::Transient
        );
        assert_eq!(
            classify(StatusCode::PAYLOAD_TOO_LARGE, None),
            CodeClass::Rejected
        );
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, Some(11_264)),
            CodeClass::Rejected
        );
        assert_eq!(
            classify(StatusCode::INTERNAL_SERVER_ERROR, Some(11_245)),
            CodeClass::Rejected,
            "a documented auth code on a 500 is not retried"
        );
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, Some(302_012)),
            CodeClass::Rejected,
            "a daily quota is not waited out"
        );
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, Some(11_242)),
            CodeClass::RetryOnce
        );
    }
}
