//! What the shard logs: spans with the shard and session, and never the access token.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;

use common::{TestServer, established};

/// Collects formatted log lines in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

#[test]
fn logs_never_contain_token() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    common::run(async {
        let mut server = TestServer::start().await;
        let (mut events, mut first) = established(&mut server).await;
        first.close(4004).await;
        let mut second = server.next_connection().await;
        second.hello(45_000).await;
        second.expect_resume().await;
        second.dispatch(3, 3).await;
        events.next_dispatch().await;
    });

    let logs = captured.text();
    assert!(!logs.contains(common::TOKEN), "the access token was logged");
    assert!(
        logs.contains("qie_gateway.shard{shard=0 shards=1"),
        "{logs}"
    );
    assert!(logs.contains("session_id=\"session-1\""), "{logs}");
    assert!(logs.contains("reconnecting"), "{logs}");
    assert!(logs.contains("resuming session"), "{logs}");
}
