//! A one-request HTTP/1.1 client for callback deliveries, with optional TLS.
//!
//! Each attempt opens a fresh connection, the way a retrying platform would, and the caller
//! chooses whether the body goes with `Content-Length` or as chunks without it.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Request, Uri};
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt as _, Full, StreamBody};
use hyper::body::Frame;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::Error;

/// Largest response body kept from a callback, in bytes.
const RESPONSE_LIMIT: usize = 64 * 1024;

/// Size of the chunks of a chunked body.
const CHUNK_SIZE: usize = 16;

/// Ports the platform calls callback URLs on.
pub(crate) const PLATFORM_PORTS: [u16; 4] = [80, 443, 8080, 8443];

/// A parsed callback URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) url: String,
    https: bool,
    host: String,
    port: u16,
    authority: String,
    path_and_query: String,
}

impl Target {
    /// Parses an `http://` or `https://` URL; with `platform_ports_only`, the port must be one the
    /// platform calls.
    pub(crate) fn parse(url: &str, platform_ports_only: bool) -> Result<Self, Error> {
        let uri: Uri = url
            .parse()
            .map_err(|_| Error::invalid(format!("callback URL {url:?} is not a valid URL")))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => {
                return Err(Error::invalid(format!(
                    "callback URL {url:?} must start with http:// or https://"
                )));
            }
        };
        let authority = uri
            .authority()
            .ok_or_else(|| Error::invalid(format!("callback URL {url:?} has no host")))?;
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        if platform_ports_only && !PLATFORM_PORTS.contains(&port) {
            return Err(Error::invalid(format!(
                "callback URL {url:?} uses port {port}; the platform calls only ports 80, 443, 8080 and 8443"
            )));
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();

        Ok(Self {
            url: url.to_owned(),
            https,
            host,
            port,
            authority: authority.as_str().to_owned(),
            path_and_query: uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |path| path.as_str().to_owned()),
        })
    }

    pub(crate) fn is_https(&self) -> bool {
        self.https
    }
}

/// One request to send: headers in order and the exact body bytes.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Bytes,
    /// Sends the body with `Transfer-Encoding: chunked` and no `Content-Length`.
    pub(crate) chunked: bool,
}

/// The status and body of a callback's response.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Bytes,
}

/// Builds the TLS client for `https://` callbacks, trusting only the given PEM certificates.
pub(crate) fn tls_connector(
    ca_certificates_pem: &str,
) -> Result<tokio_rustls::TlsConnector, Error> {
    use rustls_pki_types::pem::PemObject as _;

    let mut roots = rustls::RootCertStore::empty();
    for certificate in
        rustls_pki_types::CertificateDer::pem_slice_iter(ca_certificates_pem.as_bytes())
    {
        let certificate = certificate
            .map_err(|error| Error::invalid(format!("invalid PEM in ca_certificate: {error}")))?;
        roots
            .add(certificate)
            .map_err(|error| Error::invalid(format!("unusable CA certificate: {error}")))?;
    }
    if roots.is_empty() {
        return Err(Error::invalid("ca_certificate contains no PEM certificate"));
    }

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::invalid(format!("TLS setup failed: {error}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();

    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

/// Sends one request on a fresh connection and reads the response, all within `timeout`.
///
/// Returns a short description of the failure (connect error, TLS error, timeout …) on error.
pub(crate) async fn send(
    target: &Target,
    tls: Option<&tokio_rustls::TlsConnector>,
    request: &Outgoing,
    timeout: Duration,
) -> Result<Reply, String> {
    tokio::time::timeout(timeout, exchange(target, tls, request))
        .await
        .map_err(|_| format!("no response within {} ms", timeout.as_millis()))?
}

async fn exchange(
    target: &Target,
    tls: Option<&tokio_rustls::TlsConnector>,
    request: &Outgoing,
) -> Result<Reply, String> {
    let stream = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|error| format!("connect to {}:{} failed: {error}", target.host, target.port))?;

    if !target.https {
        return over(stream, target, request).await;
    }
    let Some(tls) = tls else {
        return Err(
            "https callback without a trusted CA certificate (set ca_certificate)".to_owned(),
        );
    };
    let server_name = rustls_pki_types::ServerName::try_from(target.host.clone())
        .map_err(|error| format!("invalid TLS server name {}: {error}", target.host))?;
    let stream = tls
        .connect(server_name, stream)
        .await
        .map_err(|error| format!("TLS handshake with {} failed: {error}", target.authority))?;

    over(stream, target, request).await
}

async fn over<S>(stream: S, target: &Target, outgoing: &Outgoing) -> Result<Reply, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("HTTP handshake failed: {error}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });

    let mut builder =
        Request::post(target.path_and_query.as_str()).header("Host", target.authority.as_str());
    for (name, value) in &outgoing.headers {
        builder = builder.header(*name, value.as_str());
    }
    let request = builder
        .body(body(outgoing))
        .map_err(|error| format!("invalid request header: {error}"))?;

    let response = sender
        .send_request(request)
        .await
        .map_err(|error| format!("request failed: {error}"))?;
    let status = response.status().as_u16();
    let body = read_limited(response.into_body()).await?;

    Ok(Reply { status, body })
}

/// The request body: sized (hyper sends `Content-Length`) or a stream of small chunks of unknown
/// total size (hyper sends `Transfer-Encoding: chunked`).
fn body(outgoing: &Outgoing) -> BoxBody<Bytes, std::convert::Infallible> {
    if !outgoing.chunked {
        return Full::new(outgoing.body.clone()).boxed();
    }

    let chunks: Vec<Result<Frame<Bytes>, std::convert::Infallible>> = outgoing
        .body
        .chunks(CHUNK_SIZE)
        .map(|chunk| Ok(Frame::data(Bytes::copy_from_slice(chunk))))
        .collect();

    StreamBody::new(futures_util::stream::iter(chunks)).boxed()
}

async fn read_limited(mut body: hyper::body::Incoming) -> Result<Bytes, String> {
    let mut collected = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| format!("reading the response failed: {error}"))?;
        if let Ok(data) = frame.into_data() {
            let room = RESPONSE_LIMIT.saturating_sub(collected.len());
            collected.extend_from_slice(&data[..data.len().min(room)]);
        }
    }

    Ok(Bytes::from(collected))
}

#[cfg(test)]
mod tests {
    use super::Target;

    #[test]
    fn target_parses_callback_urls() {
        let target = Target::parse("http://127.0.0.1:8080/qq/webhook?bot=1", true).unwrap();
        assert_eq!(target.host, "127.0.0.1");
        assert_eq!(target.port, 8080);
        assert_eq!(target.path_and_query, "/qq/webhook?bot=1");
        assert!(!target.is_https());

        let target = Target::parse("https://bot.example/", true).unwrap();
        assert_eq!(target.port, 443);
        assert!(target.is_https());

        let target = Target::parse("http://[::1]:9000", false).unwrap();
        assert_eq!(target.host, "::1");
        assert_eq!(target.path_and_query, "/");
    }

    #[test]
    fn target_rejects_bad_urls() {
        assert!(Target::parse("ftp://127.0.0.1/", false).is_err());
        assert!(Target::parse("/qq/webhook", false).is_err());
        assert!(Target::parse("not a url", false).is_err());
        let error = Target::parse("http://127.0.0.1:9000/", true).unwrap_err();
        assert!(error.to_string().contains("port 9000"), "{error}");
    }
}
