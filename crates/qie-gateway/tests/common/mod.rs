//! A scripted gateway server on 127.0.0.1 and helpers shared by the integration tests.
//!
//! Tests run on one current-thread runtime with tokio's clock paused, the server and the shard
//! side by side, so every wait below is virtual time and a test never sleeps for real (see
//! [`run`]).

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

pub mod contracts;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use qie_gateway::{Config, ConfigBuilder, FatalError, Shard, ShardEvent, StaticToken};
use qie_model::gateway::{ClientFrame, Identify, Intents, Resume};
use qie_model::secret::AccessToken;
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

/// Wall time the runtime waits before each idle park; see [`run`].
const PARK_GRACE: Duration = Duration::from_millis(1);

/// Runs `test` on a current-thread runtime with the clock paused.
///
/// A paused clock jumps to the next timer whenever the runtime has nothing to run. With real
/// sockets, bytes written on loopback can still be in the kernel at that moment, because a loaded
/// machine may defer loopback delivery. The clock could then jump before the reader sees them and,
/// for example, fire a heartbeat before the ACK was read. Waiting a little wall time before each
/// park lets such bytes land, so the park finds them and the clock stays put.
pub fn run<F: std::future::Future>(test: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .on_thread_park(|| std::thread::sleep(PARK_GRACE))
        .build()
        .expect("test runtime")
        .block_on(test)
}

/// The access token every test shard uses.
pub const TOKEN: &str = "test-access-token";

/// Maximum virtual wait for something a test expects. Reaching it fails the test.
pub const PATIENCE: Duration = Duration::from_secs(6 * 60 * 60);

/// A WebSocket server that hands each accepted connection to the test.
pub struct TestServer {
    pub url: String,
    connections: mpsc::UnboundedReceiver<ServerConn>,
    accepted: Arc<AtomicUsize>,
}

impl TestServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/websocket", listener.local_addr().unwrap());
        let (sender, connections) = mpsc::unbounded_channel();
        let accepted = Arc::new(AtomicUsize::new(0));

        let counter = Arc::clone(&accepted);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                // Without it, Nagle's algorithm keeps a second small frame back until the first is
                // acknowledged, and the client delays that acknowledgement.
                let _ = stream.set_nodelay(true);
                let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
                    continue;
                };
                let number = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let connection = ServerConn {
                    socket: Some(socket),
                    opened_at: Instant::now(),
                    number,
                    heartbeats: Vec::new(),
                };
                if sender.send(connection).is_err() {
                    return;
                }
            }
        });

        Self {
            url,
            connections,
            accepted,
        }
    }

    /// Waits for the next connection.
    pub async fn next_connection(&mut self) -> ServerConn {
        tokio::time::timeout(PATIENCE, self.connections.recv())
            .await
            .expect("no connection within the patience window")
            .expect("server stopped")
    }

    /// Returns a connection that is already waiting, if any.
    pub fn try_next_connection(&mut self) -> Option<ServerConn> {
        self.connections.try_recv().ok()
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// What the client sent.
#[derive(Debug)]
pub enum Received {
    Frame(ClientFrame),
    Closed(Option<u16>),
}

/// One accepted connection, driven by the test.
pub struct ServerConn {
    socket: Option<WebSocketStream<TcpStream>>,
    pub opened_at: Instant,
    /// 1 for the first connection the server accepted.
    pub number: usize,
    /// Heartbeats received so far: arrival time and `d`.
    pub heartbeats: Vec<(Instant, Option<u64>)>,
}

impl ServerConn {
    fn socket(&mut self) -> &mut WebSocketStream<TcpStream> {
        self.socket.as_mut().expect("connection already dropped")
    }

    pub async fn send_text(&mut self, text: impl Into<String>) {
        let text: String = text.into();
        let _ = self.socket().send(Message::text(text)).await;
    }

    pub async fn send_json(&mut self, value: Value) {
        self.send_text(value.to_string()).await;
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        let _ = self.socket().send(Message::binary(bytes)).await;
    }

    pub async fn hello(&mut self, interval_ms: u64) {
        self.send_json(json!({"op": 10, "d": {"heartbeat_interval": interval_ms}}))
            .await;
    }

    pub async fn ready(&mut self, session_id: &str, seq: u64, shard: [u32; 2]) {
        self.send_json(json!({
            "op": 0, "s": seq, "t": "READY",
            "d": {
                "version": 1,
                "session_id": session_id,
                "user": {"id": "11223344556677889900", "username": "ExampleBot", "bot": true},
                "shard": shard
            }
        }))
        .await;
    }

    pub async fn resumed(&mut self, seq: u64) {
        self.send_json(json!({"op": 0, "s": seq, "t": "RESUMED", "d": ""}))
            .await;
    }

    /// Sends a FRIEND_ADD dispatch with sequence number `seq` and event id `FRIEND_ADD:{id}`.
    pub async fn dispatch(&mut self, seq: u64, id: u64) {
        self.send_text(dispatch_text(seq, id)).await;
    }

    pub async fn ack(&mut self) {
        self.send_json(json!({"op": 11})).await;
    }

    pub async fn close(&mut self, code: u16) {
        let frame = CloseFrame {
            code: code.into(),
            reason: "".into(),
        };
        let _ = self.socket().close(Some(frame)).await;
    }

    /// Drops the TCP connection without a closing handshake.
    pub fn drop_connection(&mut self) {
        self.socket = None;
    }

    /// Receives the next client frame, recording heartbeats and (with `ack`) acknowledging
    /// them, until a frame other than a heartbeat arrives.
    pub async fn recv(&mut self, ack: bool) -> Received {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let received = tokio::time::timeout_at(deadline, self.recv_any())
                .await
                .expect("only heartbeats within the patience window");
            match received {
                Received::Frame(ClientFrame::Heartbeat(seq)) => {
                    self.heartbeats.push((Instant::now(), seq));
                    if ack {
                        self.ack().await;
                    }
                }
                other => return other,
            }
        }
    }

    /// Receives the next client frame or close, heartbeats included.
    pub async fn recv_any(&mut self) -> Received {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket().next())
                .await
                .expect("nothing received within the patience window");
            match message {
                Some(Ok(Message::Text(text))) => {
                    let frame = ClientFrame::from_slice(text.as_bytes()).unwrap_or_else(|error| {
                        panic!("client sent an invalid frame {text}: {error}")
                    });
                    return Received::Frame(frame);
                }
                Some(Ok(Message::Close(frame))) => {
                    return Received::Closed(frame.map(|frame| u16::from(frame.code)));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return Received::Closed(None),
            }
        }
    }

    pub async fn expect_identify(&mut self) -> Identify {
        match self.recv(true).await {
            Received::Frame(ClientFrame::Identify(identify)) => identify,
            other => panic!("expected Identify, got {other:?}"),
        }
    }

    pub async fn expect_resume(&mut self) -> Resume {
        match self.recv(true).await {
            Received::Frame(ClientFrame::Resume(resume)) => resume,
            other => panic!("expected Resume, got {other:?}"),
        }
    }

    /// Receives heartbeats for `duration`, acknowledging each; returns early with anything else.
    pub async fn serve_heartbeats_for(&mut self, duration: Duration) -> Option<Received> {
        let deadline = Instant::now() + duration;
        loop {
            let Ok(received) = tokio::time::timeout_at(deadline, self.recv_any()).await else {
                return None;
            };
            match received {
                Received::Frame(ClientFrame::Heartbeat(seq)) => {
                    self.heartbeats.push((Instant::now(), seq));
                    self.ack().await;
                }
                other => return Some(other),
            }
        }
    }

    /// Sends Hello, expects Identify and replies with READY (`s` 1).
    pub async fn accept_identify(&mut self, session_id: &str, shard: [u32; 2]) -> Identify {
        self.hello(45_000).await;
        let identify = self.expect_identify().await;
        self.ready(session_id, 1, shard).await;
        identify
    }
}

/// Starts a shard whose READY session (`session-1`) has delivered dispatch 2.
pub async fn established(server: &mut TestServer) -> (Events, ServerConn) {
    let mut events = spawn(Shard::new(
        qie_gateway::ShardId::ONE,
        config_builder(&server.url).build(),
    ));
    let mut connection = server.next_connection().await;
    connection.accept_identify("session-1", [0, 1]).await;
    connection.dispatch(2, 2).await;
    assert_eq!(events.next_dispatch().await.0, 2);

    (events, connection)
}

/// Builds the text of a FRIEND_ADD dispatch.
pub fn dispatch_text(seq: u64, id: u64) -> String {
    json!({
        "op": 0, "s": seq, "t": "FRIEND_ADD", "id": format!("FRIEND_ADD:{id:08}"),
        "d": {"timestamp": 1_767_225_600, "openid": "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C"}
    })
    .to_string()
}

/// Starts a configuration for `url` with the static test token.
pub fn config_builder(url: &str) -> ConfigBuilder {
    Config::builder(
        StaticToken::new(AccessToken::new(TOKEN)),
        Intents::DEFAULT | Intents::GROUP_AND_C2C_EVENT,
    )
    .gateway_url(url)
}

/// The items of a shard's stream, read by a task of their own so the test can drive the server
/// meanwhile.
pub struct Events {
    receiver: mpsc::UnboundedReceiver<Result<ShardEvent, FatalError>>,
}

/// Starts consuming `shard` in a task.
pub fn spawn(mut shard: Shard) -> Events {
    let (sender, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(item) = shard.next().await {
            if sender.send(item).is_err() {
                return;
            }
        }
    });

    Events { receiver }
}

impl Events {
    /// Takes the next item, failing the test when none comes within the patience window;
    /// `None` when the stream ended.
    pub async fn next(&mut self) -> Option<Result<ShardEvent, FatalError>> {
        tokio::time::timeout(PATIENCE, self.receiver.recv())
            .await
            .expect("no stream item within the patience window")
    }

    /// Returns an item that is already there, if any.
    pub fn try_next(&mut self) -> Option<Result<ShardEvent, FatalError>> {
        self.receiver.try_recv().ok()
    }

    /// Takes the next event, failing the test on a fatal error or the end of the stream.
    pub async fn next_event(&mut self) -> ShardEvent {
        match self.next().await {
            Some(Ok(event)) => event,
            Some(Err(error)) => panic!("unexpected fatal error: {error}"),
            None => panic!("stream ended"),
        }
    }

    /// Takes events until a dispatch arrives; returns its sequence number and the lifecycle
    /// events seen before it.
    pub async fn next_dispatch(&mut self) -> (u64, Vec<ShardEvent>) {
        let mut lifecycle = Vec::new();
        let dispatch = self
            .until(|event| match event {
                ShardEvent::Dispatch(dispatch) => Ok(dispatch),
                other => {
                    lifecycle.push(other);
                    Err(())
                }
            })
            .await;

        (dispatch.seq.expect("dispatch without seq"), lifecycle)
    }

    /// Takes events until `select` accepts one, within the patience window.
    pub async fn until<T, E>(&mut self, mut select: impl FnMut(ShardEvent) -> Result<T, E>) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            assert!(
                Instant::now() < deadline,
                "no matching event within the patience window"
            );
            if let Ok(selected) = select(self.next_event().await) {
                return selected;
            }
        }
    }

    /// Takes events until READY.
    pub async fn until_ready(&mut self) {
        self.until(|event| match event {
            ShardEvent::Ready(_) => Ok(()),
            _ => Err(()),
        })
        .await;
    }

    /// Takes events until RESUMED.
    pub async fn until_resumed(&mut self) -> qie_gateway::Resumed {
        self.until(|event| match event {
            ShardEvent::Resumed(resumed) => Ok(resumed),
            _ => Err(()),
        })
        .await
    }

    /// Takes events until the next reconnect and returns it.
    pub async fn until_reconnecting(&mut self) -> qie_gateway::Reconnecting {
        self.until(|event| match event {
            ShardEvent::Reconnecting(reconnecting) => Ok(reconnecting),
            _ => Err(()),
        })
        .await
    }
}
