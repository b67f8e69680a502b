#![doc = include_str!("../README.md")]

use std::io;
use std::path::Path;

use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// AppID of the emulator's example bot.
pub const APP_ID: &str = "102000001";
/// AppSecret of the emulator's example bot.
pub const SECRET: &str = "ExampleBotSecret01";
/// Group openid of the example world.
pub const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
/// C2C user openid of the example world.
pub const C2C_USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";
/// Guild text channel of the example world.
pub const CHANNEL: &str = "5550001";
/// Line a bot prints on stdout once it has handled the expected number of events.
pub const DONE_LINE: &str = "BENCH done";

/// The message scenes of a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenes {
    /// Group @ messages, C2C messages and guild @ messages in turn.
    Mix,
    /// Guild @ messages only (AT_MESSAGE_CREATE).
    Guild,
}

impl Scenes {
    /// Parses `mix` or `guild`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "mix" => Some(Self::Mix),
            "guild" => Some(Self::Guild),
            _ => None,
        }
    }

    /// Fixture files of the dispatches, in the order they are cycled.
    #[must_use]
    pub fn fixtures(self) -> &'static [&'static str] {
        match self {
            Self::Mix => &[
                "dispatch.group_at_message_create.json",
                "dispatch.c2c_message_create.json",
                "dispatch.at_message_create.json",
            ],
            Self::Guild => &["dispatch.at_message_create.json"],
        }
    }
}

/// Reads the `t` and `d` of the dispatch fixtures of `scenes` from `fixtures`.
///
/// # Errors
///
/// A fixture is missing or is not a dispatch with `t` and `d`.
pub fn load_dispatches(fixtures: &Path, scenes: Scenes) -> io::Result<Vec<(String, Value)>> {
    scenes
        .fixtures()
        .iter()
        .map(|name| {
            let path = fixtures.join(name);
            let text = std::fs::read_to_string(&path)?;
            let value: Value = serde_json::from_str(&text).map_err(io::Error::other)?;
            let t = value.get("t").and_then(Value::as_str);
            match (t, value.get("d")) {
                (Some(t), Some(d)) => Ok((t.to_owned(), d.clone())),
                _ => Err(io::Error::other(format!(
                    "{} is not a dispatch with t and d",
                    path.display()
                ))),
            }
        })
        .collect()
}

/// Builds `count` dispatch payloads cycling through `dispatches`, each with a distinct message id
/// (`d.id` gets the suffix `-bench-{index}`), so that no client drops one as a redelivery.
#[must_use]
pub fn distinct_frames(dispatches: &[(String, Value)], count: usize) -> Vec<(String, Value)> {
    (0..count)
        .filter_map(|index| {
            let (t, d) = dispatches.get(index % dispatches.len().max(1))?;
            let mut d = d.clone();
            if let Some(id) = d.get("id").and_then(Value::as_str) {
                let id = format!("{id}-bench-{index}");
                d["id"] = Value::String(id);
            }
            Some((t.clone(), d))
        })
        .collect()
}

/// Resident set size of a process in KiB, from `/proc/{pid}/status` (`VmRSS`).
#[must_use]
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

/// A minimal HTTP/1.1 client connection with keep-alive, for loopback load generation.
#[derive(Debug)]
pub struct Http1 {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Http1 {
    /// Connects to `address`.
    ///
    /// # Errors
    ///
    /// The connection fails.
    pub async fn connect(address: &str) -> io::Result<Self> {
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buffer: Vec::with_capacity(4096),
        })
    }

    /// Writes one complete request and reads its response; returns the status and the body.
    ///
    /// # Errors
    ///
    /// The connection fails or the response is not HTTP/1.1 with a `Content-Length` or chunked
    /// body.
    pub async fn send(&mut self, request: &[u8]) -> io::Result<(u16, Vec<u8>)> {
        self.stream.write_all(request).await?;
        self.receive().await
    }

    /// Reads the next response; returns the status and the body.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn receive(&mut self) -> io::Result<(u16, Vec<u8>)> {
        loop {
            if let Some(response) = self.parse()? {
                return Ok(response);
            }
            let mut chunk = [0_u8; 8192];
            let read = self.stream.read(&mut chunk).await?;
            if read == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed before a complete response",
                ));
            }
            self.buffer.extend_from_slice(&chunk[..read]);
        }
    }

    /// Takes one complete response out of the buffer, if there is one.
    fn parse(&mut self) -> io::Result<Option<(u16, Vec<u8>)>> {
        let Some(end) = self
            .buffer
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
        else {
            return Ok(None);
        };
        let head = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|status| status.parse().ok())
            .ok_or_else(|| io::Error::other(format!("invalid status line in {head:?}")))?;
        let header = |name: &str| {
            head.lines().skip(1).find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let body_start = end + 4;
        if let Some(length) = header("content-length") {
            let length: usize = length
                .parse()
                .map_err(|_| io::Error::other(format!("invalid Content-Length {length:?}")))?;
            if self.buffer.len() < body_start + length {
                return Ok(None);
            }
            let body = self.buffer[body_start..body_start + length].to_vec();
            self.buffer.drain(..body_start + length);
            return Ok(Some((status, body)));
        }
        if header("transfer-encoding").is_some_and(|value| value.eq_ignore_ascii_case("chunked")) {
            let mut body = Vec::new();
            let mut position = body_start;
            loop {
                let Some(line_end) = self.buffer[position..]
                    .windows(2)
                    .position(|window| window == b"\r\n")
                else {
                    return Ok(None);
                };
                let size_text =
                    String::from_utf8_lossy(&self.buffer[position..position + line_end])
                        .into_owned();
                let size =
                    usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                        .map_err(|_| {
                            io::Error::other(format!("invalid chunk size {size_text:?}"))
                        })?;
                let data = position + line_end + 2;
                if self.buffer.len() < data + size + 2 {
                    return Ok(None);
                }
                body.extend_from_slice(&self.buffer[data..data + size]);
                position = data + size + 2;
                if size == 0 {
                    self.buffer.drain(..position);
                    return Ok(Some((status, body)));
                }
            }
        }
        // No body (204, 304), or a body without Content-Length or chunked framing.
        self.buffer.drain(..body_start);
        Ok(Some((status, Vec::new())))
    }
}

/// Summary of repeated measurements: median, minimum and maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Median (mean of the two middle values for an even count).
    pub median: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Summarises `values`; `None` when empty.
#[must_use]
pub fn summarize(values: &[f64]) -> Option<Summary> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        f64::midpoint(sorted[middle - 1], sorted[middle])
    } else {
        sorted[middle]
    };
    Some(Summary {
        median,
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

/// The `q` quantile (0 to 1) of `values` by the nearest-rank method; `None` when empty.
#[must_use]
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    let mut sorted = values.to_vec();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a rank within a vector's length"
    )]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"))
    }

    #[test]
    fn frames_cycle_scenes_with_distinct_ids() {
        let dispatches = load_dispatches(fixtures(), Scenes::Mix).unwrap();
        let frames = distinct_frames(&dispatches, 7);
        let types: Vec<&str> = frames.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            types,
            [
                "GROUP_AT_MESSAGE_CREATE",
                "C2C_MESSAGE_CREATE",
                "AT_MESSAGE_CREATE",
                "GROUP_AT_MESSAGE_CREATE",
                "C2C_MESSAGE_CREATE",
                "AT_MESSAGE_CREATE",
                "GROUP_AT_MESSAGE_CREATE"
            ]
        );
        let ids: std::collections::HashSet<&str> = frames
            .iter()
            .filter_map(|(_, d)| d["id"].as_str())
            .collect();
        assert_eq!(ids.len(), 7);
        assert!(frames[3].1["id"].as_str().unwrap().ends_with("-bench-3"));
    }

    #[test]
    fn guild_frames_are_at_messages_only() {
        let dispatches = load_dispatches(fixtures(), Scenes::Guild).unwrap();
        let frames = distinct_frames(&dispatches, 3);
        assert!(frames.iter().all(|(t, _)| t == "AT_MESSAGE_CREATE"));
    }

    #[test]
    fn summary_and_quantiles() {
        let summary = summarize(&[5.0, 1.0, 3.0, 2.0]).unwrap();
        assert!((summary.median - 2.5).abs() < f64::EPSILON);
        assert!((summary.min - 1.0).abs() < f64::EPSILON);
        assert!((summary.max - 5.0).abs() < f64::EPSILON);
        assert!(summarize(&[]).is_none());
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&values, 0.5), Some(50.0));
        assert_eq!(quantile(&values, 0.99), Some(99.0));
    }

    #[test]
    fn rss_of_this_process() {
        let rss = rss_kib(std::process::id()).unwrap();
        assert!(rss > 100, "{rss} KiB");
    }

    #[tokio::test]
    async fn http1_reads_length_and_chunked_bodies() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut seen = Vec::new();
            let mut chunk = [0_u8; 1024];
            while seen.windows(4).filter(|w| w == b"\r\n\r\n").count() < 2 {
                let read = socket.read(&mut chunk).await.unwrap();
                seen.extend_from_slice(&chunk[..read]);
            }
            socket
                .write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello\
                      HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                )
                .await
                .unwrap();
        });
        let mut client = Http1::connect(&address).await.unwrap();
        client
            .stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let first = client
            .send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(first, (200, b"hello".to_vec()));
        let second = client.receive().await.unwrap();
        assert_eq!(second, (503, b"abc".to_vec()));
        server.await.unwrap();
    }
}
