//! A standalone HTTP/1.1 server for the receiver, with optional TLS.
//!
//! Use it when no application server or reverse proxy is in front of the bot. It serves any axum
//! [`Router`], so health checks can be merged next to the webhook route.

mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

pub use self::tls::TlsConfig;
use crate::error::{Error, ErrorKind};

/// Pause after a failed `accept` (for example when the process is out of file descriptors).
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// A bound server, ready to run.
///
/// # Examples
///
/// ```no_run
/// use qie_model::secret::AppSecret;
/// use qie_webhook::{Server, TlsConfig, Webhook};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let (webhook, mut events) = Webhook::builder()
///     .bot("102000001", AppSecret::new(std::env::var("QQ_BOT_SECRET")?))
///     .build()?;
/// let tls = TlsConfig::from_pem_files("/etc/qie/fullchain.pem", "/etc/qie/privkey.pem")?;
/// let server = Server::builder("0.0.0.0:8443".parse()?)
///     .tls(tls)
///     .serve(webhook.router("/qq/webhook")?)
///     .await?;
///
/// tokio::spawn(server.run());
/// while let Some(event) = events.recv().await {
///     println!("{}", event.event().name());
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: Router,
    settings: ServerSettings,
}

#[derive(Clone, Debug)]
struct ServerSettings {
    tls: Option<TlsConfig>,
    max_connections: usize,
    header_timeout: Duration,
    handshake_timeout: Duration,
    shutdown_timeout: Duration,
}

impl Server {
    /// Returns a builder that will listen on `address`.
    pub fn builder(address: SocketAddr) -> ServerBuilder {
        ServerBuilder {
            address,
            settings: ServerSettings {
                tls: None,
                max_connections: 1024,
                header_timeout: Duration::from_secs(30),
                handshake_timeout: Duration::from_secs(10),
                shutdown_timeout: Duration::from_secs(10),
            },
        }
    }

    /// Returns the bound address (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until the task is dropped.
    pub async fn run(self) {
        self.run_until(std::future::pending()).await;
    }

    /// Serves until `signal` completes, then stops accepting and gives open connections up to
    /// the shutdown timeout to finish their current request.
    pub async fn run_until(self, signal: impl Future<Output = ()> + Send) {
        let Self {
            listener,
            local_addr,
            router,
            settings,
        } = self;
        let settings = Arc::new(settings);
        let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
        let graceful = GracefulShutdown::new();
        let mut signal = std::pin::pin!(signal);
        tracing::info!(%local_addr, tls = settings.tls.is_some(), "webhook server listening");

        loop {
            // Taking a slot before accepting leaves surplus connections in the kernel backlog.
            let slot = tokio::select! {
                () = &mut signal => break,
                slot = Arc::clone(&slots).acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
            };
            let (stream, peer) = tokio::select! {
                () = &mut signal => break,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        tracing::warn!(%error, "webhook server failed to accept a connection");
                        tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                        continue;
                    }
                },
            };

            let watcher = graceful.watcher();
            let router = router.clone();
            let settings = Arc::clone(&settings);
            tokio::spawn(async move {
                serve_stream(stream, peer, router, &settings, watcher).await;
                drop(slot);
            });
        }

        drop(listener);
        tracing::info!(%local_addr, "webhook server stopping");
        let shutdown_timeout = settings.shutdown_timeout;
        if tokio::time::timeout(shutdown_timeout, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(
                ?shutdown_timeout,
                "webhook server closed connections still open after the shutdown timeout"
            );
        }
    }
}

/// Runs the TLS handshake when configured, then HTTP/1.1 on one connection.
async fn serve_stream(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    settings: &ServerSettings,
    watcher: Watcher,
) {
    let Some(tls) = &settings.tls else {
        serve_connection(stream, peer, router, settings, watcher).await;
        return;
    };

    match tokio::time::timeout(settings.handshake_timeout, tls.acceptor().accept(stream)).await {
        Ok(Ok(stream)) => serve_connection(stream, peer, router, settings, watcher).await,
        Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
    }
}

async fn serve_connection<S>(
    stream: S,
    peer: SocketAddr,
    router: Router,
    settings: &ServerSettings,
    watcher: Watcher,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(router);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), service);

    if let Err(error) = watcher.watch(connection).await {
        tracing::debug!(%peer, %error, "webhook connection ended with an error");
    }
}

/// Configures a [`Server`].
#[derive(Debug)]
#[must_use]
pub struct ServerBuilder {
    address: SocketAddr,
    settings: ServerSettings,
}

impl ServerBuilder {
    /// Terminates TLS with this certificate; without it the server speaks plain HTTP (for use
    /// behind a reverse proxy).
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.settings.tls = Some(tls);
        self
    }

    /// Maximum number of open connections; default 1024. Further clients wait in the listen
    /// backlog.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.settings.max_connections = connections;
        self
    }

    /// Time allowed for a request's headers to arrive, and for an idle keep-alive connection to
    /// send its next request; default 30 s.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.settings.header_timeout = timeout;
        self
    }

    /// Time allowed for a TLS handshake; default 10 s.
    pub fn tls_handshake_timeout(mut self, timeout: Duration) -> Self {
        self.settings.handshake_timeout = timeout;
        self
    }

    /// Time open connections get to finish after the shutdown signal; default 10 s.
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.settings.shutdown_timeout = timeout;
        self
    }

    /// Binds the address and returns the server, which serves `router` once run.
    ///
    /// # Errors
    ///
    /// Returns [`ErrorKind::Bind`] when the address cannot be bound.
    pub async fn serve(self, router: Router) -> Result<Server, Error> {
        let listener = TcpListener::bind(self.address).await.map_err(|source| {
            Error::with_source(
                ErrorKind::Bind {
                    address: self.address,
                },
                source,
            )
        })?;
        let local_addr = listener.local_addr().map_err(|source| {
            Error::with_source(
                ErrorKind::Bind {
                    address: self.address,
                },
                source,
            )
        })?;

        Ok(Server {
            listener,
            local_addr,
            router,
            settings: self.settings,
        })
    }
}
