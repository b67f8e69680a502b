//! Errors of building a webhook receiver and of running its server.
//!
//! Rejected requests are not errors of this kind: they are answered with a 4xx status and counted
//! in [`WebhookStats`](crate::WebhookStats).

use std::error::Error as StdError;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use qie_model::id::AppId;

/// An error of configuring the receiver, loading TLS material or binding the server.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// What went wrong.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The builder has no bot: add one with [`WebhookBuilder::bot`](crate::WebhookBuilder::bot).
    NoBots,
    /// The AppSecret of a bot is empty, so no signing key can be derived from it.
    EmptySecret {
        /// The bot whose secret is empty.
        app_id: AppId,
    },
    /// The same AppID was added twice.
    DuplicateBot {
        /// The repeated AppID.
        app_id: AppId,
    },
    /// A route path that axum cannot mount (it must start with `/`).
    InvalidPath {
        /// The rejected path.
        path: String,
    },
    /// The listening socket could not be bound.
    Bind {
        /// The requested address.
        address: SocketAddr,
    },
    /// A certificate file could not be read or holds no PEM certificate.
    ReadCertificate {
        /// The certificate file.
        path: PathBuf,
    },
    /// A private key file could not be read or holds no PEM private key.
    ReadPrivateKey {
        /// The key file.
        path: PathBuf,
    },
    /// rustls rejected the certificate and key (unsupported key type, or the key does not match
    /// the certificate).
    Tls,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: ErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// Returns what went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error and returns its kind and source.
    pub fn into_parts(self) -> (ErrorKind, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::NoBots => formatter
                .write_str("no bot is configured: add one with WebhookBuilder::bot(app_id, secret)"),
            ErrorKind::EmptySecret { app_id } => write!(
                formatter,
                "the AppSecret of bot {app_id} is empty: copy it from the QQ Open Platform console"
            ),
            ErrorKind::DuplicateBot { app_id } => {
                write!(formatter, "bot {app_id} is configured twice: add each AppID once")
            }
            ErrorKind::InvalidPath { path } => {
                write!(formatter, "invalid webhook path {path:?}: it must start with '/'")
            }
            ErrorKind::Bind { address } => write!(formatter, "failed to bind {address}"),
            ErrorKind::ReadCertificate { path } => write!(
                formatter,
                "failed to read a PEM certificate chain from {}",
                path.display()
            ),
            ErrorKind::ReadPrivateKey { path } => write!(
                formatter,
                "failed to read a PEM private key (PKCS#8, PKCS#1 or SEC1) from {}",
                path.display()
            ),
            ErrorKind::Tls => formatter.write_str(
                "the TLS certificate and private key were rejected (check that they belong together)",
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
