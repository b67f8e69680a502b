//! The error type of every operation in this crate.
//!
//! An [`Error`] is a [`ErrorKind`] plus an optional source. Platform rejections arrive as
//! [`ErrorKind::Api`], whose [`ApiError`] keeps the HTTP status, the platform code, the message
//! and the `X-Tps-trace-ID` value that the platform's support asks for.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use qie_model::id::AuditId;
use reqwest::StatusCode;

use crate::codes::{self, CodeClass};
use crate::reply::Scene;

type Source = Arc<dyn StdError + Send + Sync + 'static>;

/// An error of a request, of the token source or of a reply.
///
/// Cheap to clone: the source is shared. Display is lower case and does not repeat the source;
/// walk [`source`](StdError::source) for the cause.
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

    pub(crate) fn validation(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Validation {
            message: message.into(),
        })
    }

    /// Returns the kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, returning its kind and source.
    pub fn into_parts(self) -> (ErrorKind, Option<Arc<dyn StdError + Send + Sync + 'static>>) {
        (self.kind, self.source)
    }

    /// Returns the platform error when the platform answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match &self.kind {
            ErrorKind::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Returns the HTTP status of the response that caused the error, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            ErrorKind::Api(api) => Some(api.status()),
            ErrorKind::Parse { status, .. } => Some(*status),
            ErrorKind::Token(token) => token.status,
            _ => None,
        }
    }

    /// Returns the platform error code (`err_code`, else `code`), if the platform sent one.
    pub fn code(&self) -> Option<u32> {
        match &self.kind {
            ErrorKind::Api(api) => api.code(),
            ErrorKind::Token(token) => token.code,
            ErrorKind::PendingAudit { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Returns the `X-Tps-trace-ID` of the response, if any (give it to the platform's support).
    pub fn trace_id(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Api(api) => api.trace_id(),
            ErrorKind::Parse { trace_id, .. }
            | ErrorKind::PendingAudit { trace_id, .. }
            | ErrorKind::DeliveryUnconfirmed { trace_id, .. } => trace_id.as_deref(),
            ErrorKind::Token(token) => token.trace_id.as_deref(),
            _ => None,
        }
    }

    /// Returns whether the request timed out (the platform may still have processed it).
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, ErrorKind::Timeout { .. })
    }

    /// Returns whether the message was accepted and is waiting for manual audit.
    pub fn is_pending_audit(&self) -> bool {
        matches!(self.kind, ErrorKind::PendingAudit { .. })
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
        fmt::Display::fmt(&self.kind, formatter)
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
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A request builder was given a value the platform would reject; nothing was sent.
    Validation {
        /// Which value is wrong and how to fix it.
        message: Cow<'static, str>,
    },
    /// The configuration is invalid, or the HTTP client could not be built.
    Config {
        /// Which setting is wrong and how to fix it.
        message: Cow<'static, str>,
    },
    /// The platform answered with an error status or an error body.
    Api(Box<ApiError>),
    /// The platform answered with success, but the body did not have the expected shape.
    Parse {
        /// HTTP status of the response.
        status: StatusCode,
        /// `X-Tps-trace-ID` of the response.
        trace_id: Option<String>,
        /// The start of the body, for diagnosis (printed only in `Debug`).
        body_excerpt: String,
    },
    /// No complete response arrived within the timeout. The platform may still have processed
    /// the request (a message may have been delivered).
    Timeout {
        /// The timeout that elapsed.
        timeout: Duration,
    },
    /// The connection failed or broke; the source has the transport error.
    Transport {
        /// Whether the failure happened before the request was sent (safe to retry).
        before_send: bool,
    },
    /// The access-token endpoint refused to issue a token, or answered with something else.
    Token(Box<TokenError>),
    /// The platform accepted the message but holds it for manual audit (codes 304023 and
    /// 304024). It is not lost: MESSAGE_AUDIT_PASS or MESSAGE_AUDIT_REJECT with this audit id
    /// follows.
    PendingAudit {
        /// Audit id of the held message (absent when the body did not carry one).
        audit_id: Option<AuditId>,
        /// 304023 (proactive push) or 304024 (reply).
        code: u32,
        /// `X-Tps-trace-ID` of the response.
        trace_id: Option<String>,
    },
    /// A send carrying `msg_seq` was retried after a timeout or server error, and the retry was
    /// rejected as a duplicate (40054005). The first attempt was most likely delivered, but its
    /// message id is unknown. Do not send again.
    DeliveryUnconfirmed {
        /// `X-Tps-trace-ID` of the duplicate rejection.
        trace_id: Option<String>,
    },
    /// The passive reply window of the message being replied to has passed; nothing was sent.
    ReplyWindowExpired {
        /// Scene of the message.
        scene: Scene,
        /// Time since the message was received.
        age: Duration,
        /// The scene's reply window.
        window: Duration,
    },
    /// The scene's number of passive replies per message is used up; nothing was sent.
    ReplyLimitReached {
        /// Scene of the message.
        scene: Scene,
        /// The scene's limit of replies per message.
        limit: u32,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation { message } => write!(formatter, "invalid request: {message}"),
            Self::Config { message } => write!(formatter, "invalid configuration: {message}"),
            Self::Api(api) => fmt::Display::fmt(api, formatter),
            Self::Parse {
                status, trace_id, ..
            } => {
                write!(
                    formatter,
                    "failed to parse the response body (HTTP {})",
                    status.as_u16()
                )?;
                write_trace_id(formatter, trace_id.as_deref())
            }
            Self::Timeout { timeout } => write!(
                formatter,
                "request timed out after {} ms; the platform may still have processed it",
                timeout.as_millis()
            ),
            Self::Transport { before_send: true } => {
                formatter.write_str("failed to connect to the platform")
            }
            Self::Transport { before_send: false } => {
                formatter.write_str("connection to the platform failed during the request")
            }
            Self::Token(token) => fmt::Display::fmt(token, formatter),
            Self::PendingAudit {
                audit_id,
                code,
                trace_id,
            } => {
                write!(
                    formatter,
                    "message accepted but held for audit (code {code}"
                )?;
                if let Some(audit_id) = audit_id {
                    write!(formatter, ", audit id {audit_id}")?;
                }
                formatter.write_str(")")?;
                write_trace_id(formatter, trace_id.as_deref())
            }
            Self::DeliveryUnconfirmed { trace_id } => {
                formatter.write_str(
                    "retried send was rejected as a duplicate (40054005): the first attempt was \
                     probably delivered, do not send again",
                )?;
                write_trace_id(formatter, trace_id.as_deref())
            }
            Self::ReplyWindowExpired { scene, age, window } => write!(
                formatter,
                "reply window expired: the {scene} message is {} s old and the window is {} s; \
                 send a proactive message instead if the target allows it",
                age.as_secs(),
                window.as_secs()
            ),
            Self::ReplyLimitReached { scene, limit } => write!(
                formatter,
                "reply limit reached: a {scene} message accepts at most {limit} passive replies"
            ),
        }
    }
}

fn write_trace_id(formatter: &mut fmt::Formatter<'_>, trace_id: Option<&str>) -> fmt::Result {
    match trace_id {
        Some(trace_id) => write!(formatter, ", trace id {trace_id}"),
        None => Ok(()),
    }
}

/// The shape of an error response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// A JSON object (the platform's own error body).
    Json,
    /// An HTML page, typically from a proxy or gateway in front of the platform.
    Html,
    /// Some other text.
    Text,
    /// No body at all.
    Empty,
}

/// An error response from the platform (or from a proxy in front of it).
#[derive(Clone, Debug)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: Option<u32>,
    pub(crate) legacy_code: Option<u32>,
    pub(crate) message: Option<String>,
    pub(crate) trace_id: Option<String>,
    pub(crate) body_kind: BodyKind,
    pub(crate) body_excerpt: Option<String>,
    pub(crate) retry_after: Option<Duration>,
}

impl ApiError {
    /// HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The platform code deciding the failure: `err_code`, else `code`.
    pub fn code(&self) -> Option<u32> {
        self.code
    }

    /// The body's `code` when it differs from `err_code` (seen as 11242 beside 40012002).
    pub fn legacy_code(&self) -> Option<u32> {
        self.legacy_code
    }

    /// The platform's message (usually Chinese), or the title of an HTML error page.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `X-Tps-trace-ID` header, else the body's `trace_id`.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// Shape of the response body.
    pub fn body_kind(&self) -> BodyKind {
        self.body_kind
    }

    /// Start of a non-JSON body, whitespace collapsed, for diagnosis.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.body_excerpt.as_deref()
    }

    /// The `Retry-After` delay the response asked for.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// How the client treats this error (token, rate limit, duplicate, transient ...).
    pub fn class(&self) -> CodeClass {
        codes::classify(self.status, self.code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "platform returned HTTP {}", self.status.as_u16())?;
        if let Some(reason) = self.status.canonical_reason() {
            write!(formatter, " {reason}")?;
        }

        match (self.code, self.message.as_deref()) {
            (Some(code), Some(message)) => write!(formatter, ", code {code}: {message}")?,
            (Some(code), None) => write!(formatter, ", code {code}")?,
            (None, Some(message)) => write!(formatter, ": {message}")?,
            (None, None) => {}
        }

        match self.body_kind {
            BodyKind::Html => formatter.write_str(" (HTML body, likely from a proxy)")?,
            BodyKind::Empty => formatter.write_str(" (empty body)")?,
            BodyKind::Text => formatter.write_str(" (non-JSON body)")?,
            BodyKind::Json => {}
        }

        write_trace_id(formatter, self.trace_id.as_deref())
    }
}

/// Failure of the access-token endpoint.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TokenError {
    /// HTTP status, when the endpoint answered.
    pub status: Option<StatusCode>,
    /// The body's `code` (for example 100007 "appid invalid", 100016 mismatched secret).
    pub code: Option<u32>,
    /// The body's `message`, or a description of what was wrong with the response.
    pub message: String,
    /// `X-Tps-trace-ID` of the response.
    pub trace_id: Option<String>,
}

impl fmt::Display for TokenError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("failed to get an access token")?;
        if let Some(status) = self.status {
            write!(formatter, " (HTTP {})", status.as_u16())?;
        }
        if let Some(code) = self.code {
            write!(formatter, ": code {code}")?;
        }
        write!(formatter, ": {}", self.message)?;
        if let Some(hint) = self.code.and_then(codes::token_code_hint) {
            write!(formatter, " ({hint})")?;
        }
        write_trace_id(formatter, self.trace_id.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_display_names_status_code_and_trace() {
        let error = ApiError {
            status: StatusCode::BAD_REQUEST,
            code: Some(40_054_005),
            legacy_code: None,
            message: Some("消息被去重，请检查请求msgseq".to_owned()),
            trace_id: Some("2e4f".to_owned()),
            body_kind: BodyKind::Json,
            body_excerpt: None,
            retry_after: None,
        };

        assert_eq!(
            error.to_string(),
            "platform returned HTTP 400 Bad Request, code 40054005: 消息被去重，请检查请求msgseq, trace id 2e4f"
        );
    }

    #[test]
    fn html_error_display_says_proxy() {
        let error = ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: None,
            legacy_code: None,
            message: Some("413 Request Entity Too Large".to_owned()),
            trace_id: None,
            body_kind: BodyKind::Html,
            body_excerpt: Some("<html>".to_owned()),
            retry_after: None,
        };

        assert_eq!(
            error.to_string(),
            "platform returned HTTP 413 Payload Too Large: 413 Request Entity Too Large (HTML body, likely from a proxy)"
        );
    }
}
