//! The crate's error type: an [`ErrorKind`] with what the caller acts on, plus the
//! underlying cause as [`std::error::Error::source`].

use std::error::Error as StdError;
use std::fmt;

use crate::code::{ApiRet, ConnectCode};
use crate::id::AppId;

/// Reason a login state was rejected on the callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StateError {
    /// The browser sent no state cookie: cookies are blocked, the login started in another
    /// browser, or the cookie expired and the browser dropped it.
    MissingCookie,
    /// The callback URL has no `state` parameter.
    MissingState,
    /// The state cookie is not in the format this crate writes.
    Malformed,
    /// The state cookie's signature does not verify: it was forged, altered, or signed with
    /// another key.
    BadSignature,
    /// The login started longer ago than the state lifetime.
    Expired,
    /// The `state` parameter differs from the one bound to this browser (possible CSRF).
    Mismatch,
    /// This state was already used to finish a login.
    Replayed,
}

impl StateError {
    /// Returns a short English description.
    pub fn description(self) -> &'static str {
        match self {
            Self::MissingCookie => "the login state cookie is missing",
            Self::MissingState => "the callback has no state parameter",
            Self::Malformed => "the login state cookie is malformed",
            Self::BadSignature => "the login state cookie has an invalid signature",
            Self::Expired => "the login state expired",
            Self::Mismatch => "the state parameter does not match this browser's login",
            Self::Replayed => "the login state was already used",
        }
    }

    /// Returns a short Chinese description.
    pub fn description_zh(self) -> &'static str {
        match self {
            Self::MissingCookie => "缺少登录状态 cookie",
            Self::MissingState => "回调缺少 state 参数",
            Self::Malformed => "登录状态 cookie 格式错误",
            Self::BadSignature => "登录状态 cookie 签名无效",
            Self::Expired => "登录状态已过期",
            Self::Mismatch => "state 参数与本浏览器的登录不符",
            Self::Replayed => "登录状态已被使用过",
        }
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.description())
    }
}

/// Kind of failure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `graph.qq.com` returned an OAuth error (`error` and `error_description`).
    Platform {
        /// Path of the endpoint, such as `/oauth2.0/token`.
        endpoint: String,
        /// The `error` code.
        code: ConnectCode,
        /// The `error_description` text, as sent.
        description: String,
    },
    /// An OpenAPI call returned a non-zero `ret`.
    Api {
        /// Path of the API, such as `/user/get_user_info`.
        api: String,
        /// The `ret` code.
        ret: ApiRet,
        /// The `msg` text, as sent.
        msg: String,
    },
    /// The response is not JSON, JSONP or form-encoded text, or lacks a required member.
    InvalidResponse {
        /// Path of the endpoint.
        endpoint: String,
        /// Problem with the body. The body itself is never included, because it may contain tokens.
        reason: String,
    },
    /// The request failed before a response body arrived.
    Http {
        /// Path of the endpoint.
        endpoint: String,
    },
    /// `/oauth2.0/me` returned a `client_id` other than this app's: the access token was issued
    /// to another app and must not log the user in.
    ClientIdMismatch {
        /// This app's appid.
        expected: AppId,
        /// The `client_id` in the response.
        actual: String,
    },
    /// `unionid=1` was requested but the response has no unionid.
    UnionIdMissing,
    /// The login state of the callback was rejected.
    State(StateError),
    /// The callback URL carries an `error` parameter or no `code`.
    Callback {
        /// The `error` parameter as a code, when present and numeric.
        code: Option<ConnectCode>,
        /// Description of the problem.
        reason: String,
    },
    /// A setting is invalid.
    InvalidConfig {
        /// The setting and the problem with it.
        reason: String,
    },
    /// The operating system's random source failed.
    Random,
}

/// An error of this crate: a kind plus an optional source.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
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
            source: Some(Box::new(source)),
        }
    }

    pub(crate) fn invalid_response(endpoint: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidResponse {
            endpoint: endpoint.into(),
            reason: reason.into(),
        })
    }

    pub(crate) fn state(error: StateError) -> Self {
        Self::new(ErrorKind::State(error))
    }

    /// Returns what went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error and returns its kind.
    pub fn into_kind(self) -> ErrorKind {
        self.kind
    }

    /// Returns the OAuth code when the platform returned an OAuth error.
    pub fn connect_code(&self) -> Option<ConnectCode> {
        match &self.kind {
            ErrorKind::Platform { code, .. } => Some(*code),
            ErrorKind::Callback { code, .. } => *code,
            _ => None,
        }
    }

    /// Returns the OpenAPI `ret` when an OpenAPI call failed.
    pub fn api_ret(&self) -> Option<ApiRet> {
        match &self.kind {
            ErrorKind::Api { ret, .. } => Some(*ret),
            _ => None,
        }
    }

    /// Returns the rejected state check, if that is what failed.
    pub fn state_error(&self) -> Option<StateError> {
        match &self.kind {
            ErrorKind::State(error) => Some(*error),
            _ => None,
        }
    }

    /// Returns whether the user has to log in again (the grant is gone, the code is spent or
    /// the login state was rejected).
    pub fn requires_login(&self) -> bool {
        match &self.kind {
            ErrorKind::Platform { code, .. } => code.requires_login(),
            ErrorKind::Api { ret, .. } => ret.requires_login(),
            ErrorKind::State(_)
            | ErrorKind::Callback { .. }
            | ErrorKind::ClientIdMismatch { .. } => true,
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Platform {
                endpoint,
                code,
                description,
            } => write!(formatter, "{endpoint} returned error {code}: {description:?}"),
            ErrorKind::Api { api, ret, msg } => write!(formatter, "{api} returned ret {ret}: {msg:?}"),
            ErrorKind::InvalidResponse { endpoint, reason } => {
                write!(formatter, "invalid response from {endpoint}: {reason}")
            }
            ErrorKind::Http { endpoint } => write!(formatter, "request to {endpoint} failed"),
            ErrorKind::ClientIdMismatch { expected, actual } => write!(
                formatter,
                "the access token belongs to app {actual:?}, not to this app {expected}; reject the login"
            ),
            ErrorKind::UnionIdMissing => formatter.write_str(
                "unionid was requested but the response has none; check that UnionID is enabled for the developer account",
            ),
            ErrorKind::State(error) => write!(formatter, "login state rejected: {error}"),
            ErrorKind::Callback { code, reason } => match code {
                Some(code) => write!(formatter, "login callback failed with {code}: {reason}"),
                None => write!(formatter, "login callback failed: {reason}"),
            },
            ErrorKind::InvalidConfig { reason } => write!(formatter, "invalid configuration: {reason}"),
            ErrorKind::Random => formatter.write_str("failed to read random bytes"),
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
