//! Helpers shared by the integration tests: fixtures, a raw HTTP/1.1 client and a test server.

#![allow(dead_code, unreachable_pub)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qie_model::secret::AppSecret;
use qie_webhook::{Events, Server, Webhook, WebhookBuilder, WebhookKey};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

pub const PATH: &str = "/qq/webhook";

/// A fixture file parsed as JSON.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));

    serde_json::from_str(&text).unwrap()
}

/// A string field of a fixture, by JSON pointer.
pub fn field(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("missing {pointer}"))
        .to_owned()
}

pub fn key(secret: &str) -> WebhookKey {
    WebhookKey::from_secret(&AppSecret::new(secret)).unwrap()
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Returns a clock fixed at `seconds` after the Unix epoch.
pub fn fixed_clock(seconds: u64) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    move || UNIX_EPOCH + Duration::from_secs(seconds)
}

/// Serves `webhook` on a fresh 127.0.0.1 port with the built-in server.
pub async fn serve(webhook: &Webhook) -> SocketAddr {
    let server = Server::builder("127.0.0.1:0".parse().unwrap())
        .serve(webhook.router(PATH).unwrap())
        .await
        .unwrap();
    let address = server.local_addr();
    tokio::spawn(server.run());

    address
}

/// Builds a receiver from `builder` and serves it.
pub async fn start(builder: WebhookBuilder) -> (Webhook, Events, SocketAddr) {
    let (webhook, events) = builder.build().unwrap();
    let address = serve(&webhook).await;

    (webhook, events, address)
}

/// A response read off the socket.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A request: header lines and a body, sent with `Content-Length` or chunked.
#[derive(Clone, Debug)]
pub struct RawRequest {
    pub method: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub chunked: bool,
}

impl RawRequest {
    pub fn post(body: impl Into<Vec<u8>>) -> Self {
        Self {
            method: "POST",
            headers: vec![
                ("Content-Type".to_owned(), "application/json".to_owned()),
                ("User-Agent".to_owned(), "QQBot-Callback".to_owned()),
            ],
            body: body.into(),
            chunked: false,
        }
    }

    /// Builds a request signed with `key` over `timestamp` and the body.
    pub fn signed(
        app_id: &str,
        key: &WebhookKey,
        timestamp: &str,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        let body = body.into();
        let signature = key.sign(timestamp, &body);

        Self::post(body)
            .header("X-Bot-Appid", app_id)
            .header("X-Signature-Timestamp", timestamp)
            .header("X-Signature-Ed25519", &signature)
    }

    /// Builds the request of a `webhook.*.request.json` fixture: its headers and `body_raw`.
    pub fn from_fixture(name: &str) -> Self {
        let fixture = fixture(name);
        let mut request = Self {
            method: "POST",
            headers: Vec::new(),
            body: field(&fixture, "/body_raw").into_bytes(),
            chunked: false,
        };
        for (name, value) in fixture["headers"].as_object().unwrap() {
            request = request.header(name, value.as_str().unwrap());
        }

        request
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn without(mut self, name: &str) -> Self {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        self
    }

    pub fn chunked(mut self) -> Self {
        self.chunked = true;
        self
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "{} {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
            self.method
        );
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        if self.chunked {
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
        } else {
            let _ = write!(head, "Content-Length: {}\r\n\r\n", self.body.len());
        }

        let mut bytes = head.into_bytes();
        if self.chunked {
            for chunk in self.body.chunks(7) {
                bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                bytes.extend_from_slice(chunk);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
        } else {
            bytes.extend_from_slice(&self.body);
        }

        bytes
    }

    pub async fn send(&self, address: SocketAddr) -> RawResponse {
        exchange(address, &self.to_bytes()).await
    }
}

/// Writes raw bytes to a fresh connection and reads one response.
pub async fn exchange(address: SocketAddr, request: &[u8]) -> RawResponse {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();

    read_response(&mut stream).await
}

/// Reads one HTTP/1.1 response with a `Content-Length` body (or a body up to EOF).
pub async fn read_response<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> RawResponse {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(
            read > 0,
            "connection closed before the response head: {:?}",
            String::from_utf8_lossy(&buffer)
        );
        buffer.extend_from_slice(&chunk[..read]);
    };

    let head = String::from_utf8(buffer[..head_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();

    let mut body = buffer[head_end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.parse::<usize>().unwrap());
    match length {
        Some(length) => {
            while body.len() < length {
                let mut chunk = [0u8; 4096];
                let read = stream.read(&mut chunk).await.unwrap();
                assert!(read > 0, "connection closed inside the response body");
                body.extend_from_slice(&chunk[..read]);
            }
            body.truncate(length);
        }
        None => {
            stream.read_to_end(&mut body).await.unwrap();
        }
    }

    RawResponse {
        status,
        headers,
        body,
    }
}
