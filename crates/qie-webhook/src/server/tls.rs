//! TLS termination with rustls (ring provider) from PEM certificate and key files.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::{Error, ErrorKind};

/// Certificate and private key for [`Server`](crate::Server) to terminate TLS itself.
///
/// The platform calls only HTTPS callback URLs on ports 80, 443, 8080 and 8443, so a bot without
/// a reverse proxy in front needs this. The certificate must be one the platform trusts (issued
/// by a public CA for the callback's domain). HTTP/1.1 is offered through ALPN.
///
/// Clones share the certificate, so [`reload`](Self::reload) on any clone updates a running
/// server: call it after the files are renewed (for example on SIGHUP). New handshakes use the
/// new certificate; open connections keep theirs.
#[derive(Clone)]
pub struct TlsConfig {
    resolver: Arc<FileCertResolver>,
    config: Arc<rustls::ServerConfig>,
}

impl TlsConfig {
    /// Loads a PEM certificate chain (leaf first) and a PEM private key (PKCS#8, PKCS#1 or
    /// SEC1).
    ///
    /// # Errors
    ///
    /// Returns [`ErrorKind::ReadCertificate`] or [`ErrorKind::ReadPrivateKey`] when a file cannot
    /// be read or contains no PEM item of its kind, and [`ErrorKind::Tls`] when rustls rejects the
    /// key or the key does not match the certificate.
    pub fn from_pem_files(
        certificate: impl Into<PathBuf>,
        private_key: impl Into<PathBuf>,
    ) -> Result<Self, Error> {
        let certificate_path = certificate.into();
        let key_path = private_key.into();
        let loaded = load_certified_key(&certificate_path, &key_path)?;
        let resolver = Arc::new(FileCertResolver {
            certificate_path,
            key_path,
            current: RwLock::new(Arc::new(loaded)),
        });

        let mut config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|source| Error::with_source(ErrorKind::Tls, source))?
            .with_no_client_auth()
            .with_cert_resolver(resolver.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec()];

        Ok(Self {
            resolver,
            config: Arc::new(config),
        })
    }

    /// Reads the certificate and key files again and uses them for new handshakes.
    ///
    /// # Errors
    ///
    /// As [`from_pem_files`](Self::from_pem_files). On error the previous certificate stays in
    /// use.
    pub fn reload(&self) -> Result<(), Error> {
        self.resolver.reload()
    }

    /// Returns the certificate file.
    pub fn certificate_path(&self) -> &Path {
        &self.resolver.certificate_path
    }

    pub(crate) fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(Arc::clone(&self.config))
    }
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TlsConfig")
            .field("certificate_path", &self.resolver.certificate_path)
            .field("key_path", &self.resolver.key_path)
            .finish_non_exhaustive()
    }
}

/// Returns the ring provider, named explicitly so the choice does not depend on which rustls features
/// other crates in the build enable.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Serves the certificate last loaded from its files.
struct FileCertResolver {
    certificate_path: PathBuf,
    key_path: PathBuf,
    current: RwLock<Arc<CertifiedKey>>,
}

impl FileCertResolver {
    fn reload(&self) -> Result<(), Error> {
        let loaded = load_certified_key(&self.certificate_path, &self.key_path)?;
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(loaded);

        Ok(())
    }
}

/// Reads a PEM certificate chain and private key and checks that they belong together.
fn load_certified_key(certificate_path: &Path, key_path: &Path) -> Result<CertifiedKey, Error> {
    let certificate_error = || ErrorKind::ReadCertificate {
        path: certificate_path.to_owned(),
    };
    let chain = CertificateDer::pem_file_iter(certificate_path)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|source| Error::with_source(certificate_error(), source))?;
    if chain.is_empty() {
        return Err(Error::new(certificate_error()));
    }

    let key = PrivateKeyDer::from_pem_file(key_path).map_err(|source| {
        Error::with_source(
            ErrorKind::ReadPrivateKey {
                path: key_path.to_owned(),
            },
            source,
        )
    })?;

    let certified = CertifiedKey::from_der(chain, key, &provider())
        .map_err(|source| Error::with_source(ErrorKind::Tls, source))?;
    tracing::info!(certificate = %certificate_path.display(), "TLS certificate loaded");

    Ok(certified)
}

impl ResolvesServerCert for FileCertResolver {
    fn resolve(&self, _client_hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let current = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);

        Some(Arc::clone(&current))
    }
}

impl fmt::Debug for FileCertResolver {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("FileCertResolver")
            .field("certificate_path", &self.certificate_path)
            .finish_non_exhaustive()
    }
}
