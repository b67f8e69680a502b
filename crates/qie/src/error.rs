//! [`BotError`]: why a bot could not start, or why the platform stopped it.

use std::fmt;

use qie_gateway::{FatalError, FatalErrorKind};
use qie_model::gateway::Intents;

use crate::transport::is_credential_error;

/// A bot that could not start or that the platform stopped.
#[derive(Debug)]
pub struct BotError {
    kind: BotErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The kind of a [`BotError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BotErrorKind {
    /// The token endpoint rejected the AppID or secret.
    Credentials {
        /// The platform's code (100016: AppID and secret do not match; 100007: invalid AppID
        /// or the bot is banned; 10004: no such bot).
        code: Option<u32>,
        /// The platform's message.
        message: String,
        /// `X-Tps-trace-ID` of the answer.
        trace_id: Option<String>,
    },
    /// No connection to the platform could be made (DNS, TCP, TLS, timeout).
    Unreachable {
        /// The URL that was tried.
        url: String,
    },
    /// Another OpenAPI failure while starting, or an invalid configuration.
    Http,
    /// `GET /gateway/bot` failed.
    Discovery,
    /// The gateway stopped the bot for good.
    Gateway {
        /// Why.
        kind: FatalErrorKind,
        /// The close code, when one ended the session.
        close_code: Option<u16>,
        /// The intents the bot identified with; with [`FatalErrorKind::DisallowedIntents`], some
        /// of them are not granted.
        intents: Intents,
    },
}

impl BotError {
    pub(crate) fn new(
        kind: BotErrorKind,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self { kind, source }
    }

    pub(crate) fn http(error: qie_http::Error) -> Self {
        Self::new(BotErrorKind::Http, Some(Box::new(error)))
    }

    /// Classifies a failure to get the first access token from `token_url`.
    pub(crate) fn startup(error: qie_http::Error, token_url: &str) -> Self {
        let kind = match error.kind() {
            qie_http::ErrorKind::Token(token) if is_credential_error(&error) => {
                BotErrorKind::Credentials {
                    code: token.code,
                    message: token.message.clone(),
                    trace_id: token.trace_id.clone(),
                }
            }
            qie_http::ErrorKind::Transport { .. } | qie_http::ErrorKind::Timeout { .. } => {
                BotErrorKind::Unreachable {
                    url: token_url.to_owned(),
                }
            }
            qie_http::ErrorKind::Token(token) if token.status.is_none() => {
                BotErrorKind::Unreachable {
                    url: token_url.to_owned(),
                }
            }
            _ => BotErrorKind::Http,
        };

        Self::new(kind, Some(Box::new(error)))
    }

    pub(crate) fn gateway(error: FatalError, intents: Intents) -> Self {
        let kind = BotErrorKind::Gateway {
            kind: error.kind(),
            close_code: error
                .close_code()
                .map(qie_model::gateway::CloseCode::to_u16),
            intents,
        };

        Self::new(kind, Some(Box::new(error)))
    }

    /// What went wrong.
    pub fn kind(&self) -> &BotErrorKind {
        &self.kind
    }

    /// Returns the OpenAPI error behind it, if any.
    pub fn http_error(&self) -> Option<&qie_http::Error> {
        self.source.as_deref()?.downcast_ref()
    }
}

impl fmt::Display for BotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BotErrorKind::Credentials { code, message, .. } => {
                write!(f, "the platform rejected the AppID or secret")?;
                if let Some(code) = code {
                    write!(f, " (code {code})")?;
                }
                write!(f, ": {message}")
            }
            BotErrorKind::Unreachable { .. } => f.write_str("the platform is unreachable"),
            BotErrorKind::Http => f.write_str("the OpenAPI request failed while starting"),
            BotErrorKind::Discovery => f.write_str("gateway discovery (GET /gateway/bot) failed"),
            BotErrorKind::Gateway {
                kind, close_code, ..
            } => {
                write!(f, "the gateway stopped the bot: {kind:?}")?;
                if let Some(code) = close_code {
                    write!(f, " (close code {code})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for BotError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
