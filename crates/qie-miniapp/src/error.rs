//! The error type of every operation in this crate.
//!
//! An [`Error`] is an [`ErrorKind`] plus an optional source. Platform rejections arrive as
//! [`ErrorKind::Api`], whose [`ApiError`] keeps the endpoint, the numeric code (read from
//! `errcode`, `errCode` or `code`) and the message.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::id::AppId;

type Source = Arc<dyn StdError + Send + Sync + 'static>;

/// An error of a platform call, of open-data decryption or of a signature check.
///
/// Cheap to clone: the source is shared. Display is lower case and does not repeat the source;
/// walk [`source`](StdError::source) for the cause. No secret (AppSecret, access token,
/// session_key) appears in the message or in the source: request URLs are removed from
/// transport errors because their query strings carry secrets.
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Source>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: ErrorKind,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind,
            source: Some(Arc::new(source)),
        }
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput {
            message: message.into(),
        })
    }

    /// Returns the kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Returns the platform error when the platform returned one.
    pub fn api(&self) -> Option<&ApiError> {
        match &self.kind {
            ErrorKind::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Returns the platform's numeric error code, if the platform sent one.
    pub fn code(&self) -> Option<i64> {
        self.api().map(ApiError::code)
    }

    /// Returns whether the data was decrypted with a session_key that does not belong to it.
    ///
    /// This is almost always a stale key: `qq.login()` rotated the key after the server stored
    /// it. The fix is a fresh `qq.login()` on the client and a new `code2session` call.
    pub fn is_session_key_mismatch(&self) -> bool {
        matches!(self.kind, ErrorKind::SessionKeyMismatch)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = formatter.debug_struct("Error");
        debug.field("kind", &self.kind);
        if let Some(source) = &self.source {
            debug.field("source", source);
        }

        debug.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Api(api) => fmt::Display::fmt(api, formatter),
            ErrorKind::Transport { endpoint } => {
                write!(formatter, "request to {endpoint} failed")
            }
            ErrorKind::Status { endpoint, status } => write!(
                formatter,
                "{endpoint} returned HTTP {status} without a platform error body"
            ),
            ErrorKind::Decode { endpoint, detail } => {
                write!(formatter, "invalid response from {endpoint}: {detail}")
            }
            ErrorKind::InvalidInput { message } => formatter.write_str(message),
            ErrorKind::InvalidBase64 { field } => write!(
                formatter,
                "{field} is not valid base64; pass the value exactly as the client sent it"
            ),
            ErrorKind::InvalidLength {
                field,
                expected,
                actual,
            } => write!(
                formatter,
                "{field} decodes to {actual} bytes, expected {expected}"
            ),
            ErrorKind::SessionKeyMismatch => formatter.write_str(
                "encryptedData does not decrypt with this session_key and iv; the session_key is \
                 most likely stale (qq.login() rotated it): log in again on the client and call \
                 code2session for a fresh key",
            ),
            ErrorKind::MissingWatermark => {
                formatter.write_str("decrypted data has no watermark.appid to check")
            }
            ErrorKind::WatermarkMismatch { expected, actual } => write!(
                formatter,
                "decrypted data belongs to appid {actual:?}, not to this mini-program ({expected})"
            ),
            ErrorKind::WatermarkExpired { timestamp, max_age } => write!(
                formatter,
                "decrypted data was produced at unix time {timestamp}, more than {}s ago",
                max_age.as_secs()
            ),
            ErrorKind::SignatureMismatch => formatter.write_str(
                "rawData signature does not match; the rawData was changed or the session_key is \
                 stale",
            ),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The platform returned a non-zero error code.
    Api(ApiError),
    /// The request could not be sent or its response could not be read.
    Transport {
        /// Name of the endpoint, for example `jscode2session`.
        endpoint: &'static str,
    },
    /// The platform returned an HTTP error status and no error body.
    Status {
        /// Name of the endpoint.
        endpoint: &'static str,
        /// HTTP status code.
        status: u16,
    },
    /// The response body is not what the endpoint documents.
    Decode {
        /// Name of the endpoint.
        endpoint: &'static str,
        /// What is wrong with the body (never the body itself, which may hold secrets).
        detail: String,
    },
    /// An argument is invalid (an empty js_code, an unusable base URL …).
    InvalidInput {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A base64 field could not be decoded, even after repairing `+` signs that an URL decoder
    /// turned into spaces.
    InvalidBase64 {
        /// `session_key`, `iv` or `encryptedData`.
        field: &'static str,
    },
    /// A decoded field has the wrong length.
    InvalidLength {
        /// `session_key`, `iv` or `encryptedData`.
        field: &'static str,
        /// The length the algorithm requires.
        expected: &'static str,
        /// The decoded length in bytes.
        actual: usize,
    },
    /// Decryption produced invalid padding or a plaintext that is not UTF-8 JSON: the
    /// session_key (or iv) does not belong to the data. Usually the session_key is stale.
    SessionKeyMismatch,
    /// The decrypted JSON has no `watermark.appid`.
    MissingWatermark,
    /// The decrypted data was encrypted for another mini-program.
    WatermarkMismatch {
        /// This mini-program's appid.
        expected: AppId,
        /// The appid in the watermark.
        actual: String,
    },
    /// The watermark timestamp is older than the configured maximum age.
    WatermarkExpired {
        /// Unix seconds in the watermark.
        timestamp: i64,
        /// The configured maximum age.
        max_age: Duration,
    },
    /// The rawData signature does not match.
    SignatureMismatch,
}

/// An error response of the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    endpoint: &'static str,
    code: i64,
    message: String,
}

impl ApiError {
    pub(crate) fn new(endpoint: &'static str, code: i64, message: impl Into<String>) -> Self {
        Self {
            endpoint,
            code,
            message: message.into(),
        }
    }

    /// Returns the name of the endpoint that responded.
    pub fn endpoint(&self) -> &'static str {
        self.endpoint
    }

    /// Returns the numeric code as sent.
    pub fn code(&self) -> i64 {
        self.code
    }

    /// Returns the code as a known value.
    pub fn kind(&self) -> ApiCode {
        ApiCode::from_raw(self.code)
    }

    /// Returns the platform's message (`errmsg`, `errMsg` or `message`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} returned error {} ({})",
            self.endpoint, self.code, self.message
        )?;
        if let Some(hint) = self.kind().hint() {
            write!(formatter, ": {hint}")?;
        }

        Ok(())
    }
}

/// The error codes the platform documents for the mini-program server APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiCode {
    /// -1: system busy, retry later.
    SystemBusy,
    /// 40001: wrong AppSecret, or a secret of another appid.
    InvalidSecret,
    /// 40002: `grant_type` must be `client_credential`.
    InvalidGrantType,
    /// 40013: invalid appid.
    InvalidAppId,
    /// 40014: the access token expired.
    AccessTokenExpired,
    /// 40015: invalid `oac_appid`.
    InvalidOacAppId,
    /// 40029: invalid js_code (unknown, expired or already used).
    InvalidCode,
    /// 40035: the parameters do not match the template.
    TemplateParamsMismatch,
    /// 40036: internal error (see the message).
    InternalError,
    /// 40037: wrong `template_id`.
    InvalidTemplateId,
    /// 41030: messages sent to the same user too fast.
    SendTooFast,
    /// 45011: more than 100 `jscode2session` calls per user per minute.
    CodeRateLimited,
    /// 45029: the app used its 50 mini-program codes.
    MiniCodeQuotaExhausted,
    /// 46001: the user did not subscribe.
    NotSubscribed,
    /// 46002: the daily quota is used up.
    DailyQuotaExceeded,
    /// 46003: the user refuses messages.
    UserRefused,
    /// 46004: the user does not follow the official account (the `oac_appid` path).
    OfficialAccountNotFollowed,
    /// 46005: the official account is not bound to the mini-program.
    OfficialAccountNotBound,
    /// 47001: the mini-program is banned from sending.
    SendingBanned,
    /// 87014: risky content (content security).
    RiskyContent,
    /// -1800110107, -1800110108, -1800110109: the access token is invalid or expired (content
    /// security; observed, not documented).
    SecurityTokenInvalid,
    /// -13010: returned by `ImgSecCheck`; its meaning is not documented.
    ImageNotProcessed,
    /// A code this crate does not know.
    Unknown(i64),
}

impl ApiCode {
    /// Classifies a raw code.
    pub fn from_raw(code: i64) -> Self {
        match code {
            -1 => Self::SystemBusy,
            40001 => Self::InvalidSecret,
            40002 => Self::InvalidGrantType,
            40013 => Self::InvalidAppId,
            40014 => Self::AccessTokenExpired,
            40015 => Self::InvalidOacAppId,
            40029 => Self::InvalidCode,
            40035 => Self::TemplateParamsMismatch,
            40036 => Self::InternalError,
            40037 => Self::InvalidTemplateId,
            41030 => Self::SendTooFast,
            45011 => Self::CodeRateLimited,
            45029 => Self::MiniCodeQuotaExhausted,
            46001 => Self::NotSubscribed,
            46002 => Self::DailyQuotaExceeded,
            46003 => Self::UserRefused,
            46004 => Self::OfficialAccountNotFollowed,
            46005 => Self::OfficialAccountNotBound,
            47001 => Self::SendingBanned,
            87014 => Self::RiskyContent,
            -1_800_110_109..=-1_800_110_107 => Self::SecurityTokenInvalid,
            -13010 => Self::ImageNotProcessed,
            other => Self::Unknown(other),
        }
    }

    /// Returns whether a call that sent an access token should fetch a new one and retry once.
    pub fn is_token_rejected(self) -> bool {
        matches!(self, Self::AccessTokenExpired | Self::SecurityTokenInvalid)
    }

    fn hint(self) -> Option<&'static str> {
        let hint = match self {
            Self::SystemBusy => "the platform is busy, retry later",
            Self::InvalidSecret => "check the AppSecret of this appid",
            Self::InvalidAppId => "check the appid (QQ appids are numeric)",
            Self::InvalidCode => {
                "the js_code is unknown, expired or already used; call qq.login() for a new one"
            }
            Self::CodeRateLimited => "more than 100 logins per user per minute",
            Self::MiniCodeQuotaExhausted => {
                "an app may create at most 50 codes in total; reuse the ones you have"
            }
            Self::NotSubscribed => "the user has not granted this subscription",
            Self::RiskyContent => "the content is risky",
            _ => return None,
        };

        Some(hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_code_round_trip() {
        assert_eq!(ApiCode::from_raw(40029), ApiCode::InvalidCode);
        assert_eq!(
            ApiCode::from_raw(-1_800_110_108),
            ApiCode::SecurityTokenInvalid
        );
        assert_eq!(ApiCode::from_raw(12345), ApiCode::Unknown(12345));
        assert!(ApiCode::AccessTokenExpired.is_token_rejected());
        assert!(!ApiCode::InvalidCode.is_token_rejected());
    }

    #[test]
    fn api_error_display_names_endpoint_and_fix() {
        let error = Error::new(ErrorKind::Api(ApiError::new(
            "jscode2session",
            40029,
            "invalid code",
        )));

        let text = error.to_string();
        assert!(text.starts_with("jscode2session returned error 40029 (invalid code)"));
        assert!(text.contains("qq.login()"));
        assert_eq!(error.code(), Some(40029));
    }
}
