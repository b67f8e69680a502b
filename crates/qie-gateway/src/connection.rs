//! Opening the WebSocket: TCP, TLS (rustls) and the HTTP upgrade.

use std::sync::{Arc, OnceLock};

use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream, tungstenite};

/// An open gateway connection.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Largest frame accepted. Dispatches are a few kilobytes; 16 MiB leaves room for anything the
/// platform sends while bounding memory per connection.
const MAX_MESSAGE_SIZE: usize = 16 << 20;

/// Opens a WebSocket to `url` (`ws://` or `wss://`).
///
/// The socket is boxed because its buffers would otherwise make every future that owns it tens of
/// kilobytes large.
pub(crate) async fn connect(url: &str) -> Result<Box<Socket>, tungstenite::Error> {
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_SIZE))
        .max_frame_size(Some(MAX_MESSAGE_SIZE));
    let secure = url
        .get(..4)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("wss:"));
    let connector = if secure {
        let tls = tls_config().map_err(|error| std::io::Error::other(error.clone()))?;
        Some(Connector::Rustls(tls))
    } else {
        None
    };

    let handshake =
        tokio_tungstenite::connect_async_tls_with_config(url, Some(config), true, connector);
    let (socket, _response) = Box::pin(handshake).await?;

    Ok(Box::new(socket))
}

/// Returns the TLS client configuration, built once per process. It trusts the system's root
/// certificates, or the Mozilla roots bundled with webpki-roots when the system has none (as in
/// minimal containers).
fn tls_config() -> Result<Arc<rustls::ClientConfig>, &'static rustls::Error> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, rustls::Error>> = OnceLock::new();

    CONFIG
        .get_or_init(build_tls_config)
        .as_ref()
        .map(Arc::clone)
}

fn build_tls_config() -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    if !native.errors.is_empty() {
        tracing::debug!(
            errors = native.errors.len(),
            "some system root certificates could not be loaded"
        );
    }
    let (added, _ignored) = roots.add_parsable_certificates(native.certs);
    if added == 0 {
        tracing::info!("no system root certificates found, using the bundled Mozilla roots");
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }

    // NOTE: the provider is named explicitly so that linking another rustls provider into the
    // application cannot make the process-wide default ambiguous.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();

    Ok(Arc::new(config))
}
