//! The built-in server terminating TLS with certificate files, over a real socket.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{PATH, RawRequest, key, read_response, unix_now};
use qie_model::secret::AppSecret;
use qie_webhook::{ErrorKind, Server, TlsConfig, Webhook};
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

const APP_ID: &str = "102000001";
const SECRET: &str = "Zq7Lm2Xp9Rt4Wv8Kb3Nc";

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "qie-webhook-tls-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).unwrap();

        Self(path)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a fresh self-signed certificate for `localhost`; returns its DER.
fn write_certificate(directory: &TempDir) -> CertificateDer<'static> {
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    std::fs::write(directory.file("cert.pem"), generated.cert.pem()).unwrap();
    std::fs::write(
        directory.file("key.pem"),
        generated.signing_key.serialize_pem(),
    )
    .unwrap();

    generated.cert.der().clone()
}

fn connector(trusted: &CertificateDer<'static>) -> TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(trusted.clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();

    TlsConnector::from(Arc::new(config))
}

/// Sends one request over TLS; returns the response and the certificate the server presented.
async fn send_tls(
    address: std::net::SocketAddr,
    trusted: &CertificateDer<'static>,
    request: &RawRequest,
) -> (common::RawResponse, CertificateDer<'static>) {
    let tcp = TcpStream::connect(address).await.unwrap();
    let server_name = ServerName::try_from("localhost").unwrap();
    let mut stream = connector(trusted).connect(server_name, tcp).await.unwrap();
    let presented = stream.get_ref().1.peer_certificates().unwrap()[0].clone();
    stream.write_all(&request.to_bytes()).await.unwrap();
    let response = read_response(&mut stream).await;

    (response, presented)
}

async fn start_tls(tls: TlsConfig) -> (qie_webhook::Events, std::net::SocketAddr) {
    let (webhook, events) = Webhook::builder()
        .bot(APP_ID, AppSecret::new(SECRET))
        .build()
        .unwrap();
    let server = Server::builder("127.0.0.1:0".parse().unwrap())
        .tls(tls)
        .serve(webhook.router(PATH).unwrap())
        .await
        .unwrap();
    let address = server.local_addr();
    tokio::spawn(server.run());

    (events, address)
}

fn event_request(id: &str) -> RawRequest {
    let body = format!(
        r#"{{"op":0,"id":"{id}","t":"GROUP_ADD_ROBOT","d":{{"group_openid":"6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4","op_member_openid":"0F1E2D3C4B5A69788796A5B4C3D2E1F0","timestamp":1767240002}}}}"#
    );

    RawRequest::signed(APP_ID, &key(SECRET), &unix_now().to_string(), body)
}

#[tokio::test]
async fn tls_delivers_a_signed_event() {
    let directory = TempDir::new();
    let certificate = write_certificate(&directory);
    let tls =
        TlsConfig::from_pem_files(directory.file("cert.pem"), directory.file("key.pem")).unwrap();
    let (mut events, address) = start_tls(tls).await;

    let (response, presented) =
        send_tls(address, &certificate, &event_request("TLS1").chunked()).await;

    assert_eq!(response.status, 200);
    assert_eq!(response.body, br#"{"op":12,"d":0}"#);
    assert_eq!(presented, certificate);
    assert_eq!(events.recv().await.unwrap().id().unwrap(), "TLS1");
}

#[tokio::test]
async fn tls_reload_serves_the_new_certificate() {
    let directory = TempDir::new();
    let first = write_certificate(&directory);
    let tls =
        TlsConfig::from_pem_files(directory.file("cert.pem"), directory.file("key.pem")).unwrap();
    let (mut events, address) = start_tls(tls.clone()).await;
    let (_, presented) = send_tls(address, &first, &event_request("BEFORE")).await;
    assert_eq!(presented, first);

    let second = write_certificate(&directory);
    tls.reload().unwrap();
    let (response, presented) = send_tls(address, &second, &event_request("AFTER")).await;

    assert_eq!(response.status, 200);
    assert_eq!(presented, second);
    assert_eq!(events.recv().await.unwrap().id().unwrap(), "BEFORE");
    assert_eq!(events.recv().await.unwrap().id().unwrap(), "AFTER");
}

#[tokio::test]
async fn failed_reload_keeps_the_old_certificate() {
    let directory = TempDir::new();
    let first = write_certificate(&directory);
    let tls =
        TlsConfig::from_pem_files(directory.file("cert.pem"), directory.file("key.pem")).unwrap();
    let (_events, address) = start_tls(tls.clone()).await;

    std::fs::write(directory.file("key.pem"), "not a key").unwrap();
    let error = tls.reload().unwrap_err();
    let (response, presented) = send_tls(address, &first, &event_request("KEPT")).await;

    assert!(
        matches!(error.kind(), ErrorKind::ReadPrivateKey { .. }),
        "{error}"
    );
    assert_eq!(response.status, 200);
    assert_eq!(presented, first);
}

#[test]
fn tls_files_are_checked() {
    let directory = TempDir::new();
    write_certificate(&directory);
    let certificate = directory.file("cert.pem");
    let key = directory.file("key.pem");

    let missing = TlsConfig::from_pem_files(directory.file("absent.pem"), &key).unwrap_err();
    assert_eq!(
        missing.kind(),
        &ErrorKind::ReadCertificate {
            path: directory.file("absent.pem")
        }
    );

    std::fs::write(directory.file("empty.pem"), "").unwrap();
    let empty = TlsConfig::from_pem_files(directory.file("empty.pem"), &key).unwrap_err();
    assert!(
        matches!(empty.kind(), ErrorKind::ReadCertificate { .. }),
        "{empty}"
    );

    let no_key = TlsConfig::from_pem_files(&certificate, directory.file("empty.pem")).unwrap_err();
    assert!(
        matches!(no_key.kind(), ErrorKind::ReadPrivateKey { .. }),
        "{no_key}"
    );

    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    std::fs::write(
        directory.file("other-key.pem"),
        other.signing_key.serialize_pem(),
    )
    .unwrap();
    let mismatch =
        TlsConfig::from_pem_files(&certificate, directory.file("other-key.pem")).unwrap_err();
    assert_eq!(mismatch.kind(), &ErrorKind::Tls, "{mismatch}");
}
