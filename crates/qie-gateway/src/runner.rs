//! The task that runs one shard: it connects, authenticates, heartbeats, reads frames, hands
//! events to the stream and reconnects by the policy until it is shut down or fails for good.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{FutureExt as _, SinkExt, StreamExt};
use qie_model::event::Event;
use qie_model::gateway::{ClientFrame, CloseCode, Dispatch, Identify, Resume, ServerFrame};
use qie_model::secret::{AccessToken, GatewayToken};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, timeout, timeout_at};
use tokio_tungstenite::tungstenite::{self, Message, protocol::CloseFrame};
use tracing::Instrument;

use crate::ShardId;
use crate::config::Config;
use crate::connection::{self, Socket};
use crate::dedupe::EventIdWindow;
use crate::delivery::Delivered;
use crate::error::{FatalError, FatalErrorKind};
use crate::event::{Connected, ReconnectReason, Reconnecting, Resumed, ShardEvent, TransportError};
use crate::policy::{Rule, SessionAction};
use crate::session::SessionRecord;
use crate::token::TokenProviderError;

/// An item the shard task sends to its stream, tagged with the shard's index in that stream.
pub(crate) type Item = (usize, Result<ShardEvent, FatalError>);

/// The way a shard closes when it is asked to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShutdownMode {
    /// Close with code 4000 and keep the session (saved in the session store), so that the next
    /// start resumes it and receives the events sent in between.
    Resumable,
    /// Close with code 1000 and forget the session; the next start identifies afresh.
    Final,
}

/// Requests from the shard's handles to its task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Control {
    Run,
    Shutdown(ShutdownMode),
}

/// Close code sent when the session should stay resumable.
const RESUMABLE_CLOSE: u16 = 4000;
/// Close code sent when the session ends.
const FINAL_CLOSE: u16 = 1000;
/// Maximum time a frame write may take before the connection counts as lost.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Maximum time the client waits to send its own close frame.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);
/// Shortest heartbeat interval accepted from Hello; a smaller value is taken as this.
const MIN_HEARTBEAT_INTERVAL: Duration = Duration::from_millis(100);
/// Frames handled in a row when they are already received, before the timers and the control
/// channel are looked at again. Handling one takes microseconds, so a heartbeat is late by well
/// under a millisecond at most.
const READ_BATCH: usize = 64;

/// The stream was dropped, so no consumer takes events anymore.
#[derive(Debug)]
struct StreamClosed;

/// The outcome of one connection.
enum End {
    Reconnect(Disconnect),
    Shutdown(ShutdownMode),
    Fatal(FatalError),
}

/// A connection that ended in a way the policy handles.
struct Disconnect {
    reason: ReconnectReason,
    /// The token this connection authenticated with, to reject on close code 4004.
    token: Option<AccessToken>,
    /// When READY or RESUMED arrived on this connection.
    established: Option<Instant>,
    /// A wait imposed by the platform (a rate limit on discovery).
    min_delay: Option<Duration>,
}

impl Disconnect {
    fn new(reason: ReconnectReason) -> Self {
        Self {
            reason,
            token: None,
            established: None,
            min_delay: None,
        }
    }
}

/// State of one open connection.
struct Link {
    resuming: bool,
    token: Option<AccessToken>,
    established: Option<Instant>,
    awaiting_ack: bool,
    /// The stream was full at some point since the last heartbeat, so the socket went unread
    /// and a missing ACK proves nothing.
    ack_blind: bool,
    /// Dispatches delivered between Resume and RESUMED.
    replayed: u64,
    /// The next dispatch is the first after Resume (a sequence gap there means lost events).
    first_after_resume: bool,
    /// Deadline for READY or RESUMED after Identify or Resume went out. Each replayed dispatch
    /// moves it, so a long replay is not cut off.
    handshake_deadline: Option<Instant>,
}

impl Link {
    fn disconnect(&self, reason: ReconnectReason) -> End {
        End::Reconnect(Disconnect {
            reason,
            token: self.token.clone(),
            established: self.established,
            min_delay: None,
        })
    }
}

pub(crate) struct Runner {
    shard: ShardId,
    index: usize,
    config: Config,
    output: mpsc::Sender<Item>,
    delivered: Arc<Delivered>,
    span: tracing::Span,

    session_id: Option<String>,
    /// Last sequence number handed to the stream in the current session.
    seq: u64,
    /// Sessions started by READY so far (see [`Delivered`]).
    generation: u64,
    /// Sequence number of the current session's READY, or of the stored session it resumed.
    base_seq: u64,
    /// Position of the last successful save, to skip saves that change nothing.
    saved: Option<(u64, u64)>,
    dedupe: EventIdWindow,
    /// Reconnects since the last stable session.
    attempt: u32,
    /// Consecutive connection attempts that did not reach Hello.
    connect_failures: u32,
    /// READY or RESUMED arrived, so the session should be saved once the frame is handled.
    save_due: bool,
    /// Items the full stream could not take yet, oldest first. They go out before anything
    /// else, and the socket is not read while there are any.
    pending: VecDeque<Item>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Runner")
            .field("shard", &self.shard)
            .field("session_id", &self.session_id)
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

impl Runner {
    pub(crate) fn new(
        shard: ShardId,
        index: usize,
        config: Config,
        output: mpsc::Sender<Item>,
        delivered: Arc<Delivered>,
    ) -> Self {
        let span = tracing::info_span!(
            "qie_gateway.shard",
            shard = shard.id,
            shards = shard.total,
            session_id = tracing::field::Empty
        );
        let dedupe = EventIdWindow::new(config.inner.dedupe_window);

        Self {
            shard,
            index,
            config,
            output,
            delivered,
            span,
            session_id: None,
            seq: 0,
            generation: 0,
            base_seq: 0,
            saved: None,
            dedupe,
            attempt: 0,
            connect_failures: 0,
            save_due: false,
            pending: VecDeque::new(),
        }
    }

    /// Runs the shard until it is shut down, fails for good, or its stream is dropped.
    pub(crate) async fn run(self, control: watch::Receiver<Control>) {
        let span = self.span.clone();

        self.run_inner(control).instrument(span).await;
    }

    async fn run_inner(mut self, mut control: watch::Receiver<Control>) {
        self.load_session().await;

        let mut delay = Duration::ZERO;
        loop {
            if self.output.is_closed() {
                self.finish_shutdown(ShutdownMode::Resumable).await;
                return;
            }
            if !delay.is_zero()
                && let Err(mode) = until_shutdown(&mut control, tokio::time::sleep(delay)).await
            {
                self.finish_shutdown(mode).await;
                return;
            }

            let end = match until_shutdown(&mut control, self.connect()).await {
                Ok(Ok((mut socket, interval))) => {
                    self.live(&mut socket, interval, &mut control).await
                }
                Ok(Err(end)) => end,
                Err(mode) => End::Shutdown(mode),
            };

            match end {
                End::Reconnect(disconnect) => match self.plan(disconnect).await {
                    Ok(next_delay) => delay = next_delay,
                    Err(error) => {
                        self.fail(error).await;
                        return;
                    }
                },
                End::Shutdown(mode) => {
                    self.finish_shutdown(mode).await;
                    return;
                }
                End::Fatal(error) => {
                    self.fail(error).await;
                    return;
                }
            }
        }
    }

    /// Opens the WebSocket and waits for Hello; returns the socket and the heartbeat interval.
    async fn connect(&mut self) -> Result<(Box<Socket>, Duration), End> {
        let policy = &self.config.inner.reconnect;
        let refresh = self.connect_failures >= policy.refresh_url_after;
        let url = match self.config.inner.url.get(refresh).await {
            Ok(url) => url,
            Err(error) if error.unconfigured => {
                let source = error.error.to_string();
                return Err(End::Fatal(
                    FatalError::new(self.shard, FatalErrorKind::InvalidUrl).with_source(source),
                ));
            }
            Err(error) => {
                return Err(End::Reconnect(Disconnect {
                    min_delay: error.retry_after,
                    ..Disconnect::new(ReconnectReason::DiscoveryFailed(error.error))
                }));
            }
        };

        if !has_websocket_scheme(&url) {
            let source = format!("gateway URL {url} does not start with ws:// or wss://");
            return Err(End::Fatal(
                FatalError::new(self.shard, FatalErrorKind::InvalidUrl).with_source(source),
            ));
        }

        let deadline = Instant::now() + self.config.inner.handshake_timeout;
        tracing::debug!(url = %url, "connecting");
        let mut socket = match timeout_at(deadline, connection::connect(&url)).await {
            Ok(Ok(socket)) => socket,
            Ok(Err(tungstenite::Error::Url(error))) => {
                return Err(End::Fatal(
                    FatalError::new(self.shard, FatalErrorKind::InvalidUrl).with_source(error),
                ));
            }
            Ok(Err(error)) => {
                self.connect_failures += 1;
                let reason = ReconnectReason::ConnectFailed(TransportError::new(error));
                return Err(End::Reconnect(Disconnect::new(reason)));
            }
            Err(_elapsed) => {
                self.connect_failures += 1;
                return Err(End::Reconnect(Disconnect::new(
                    ReconnectReason::HandshakeTimeout,
                )));
            }
        };

        let interval = match timeout_at(deadline, receive_hello(&mut socket)).await {
            Ok(Ok(interval)) => interval,
            Ok(Err(reason)) => {
                self.connect_failures += 1;
                return Err(End::Reconnect(Disconnect::new(reason)));
            }
            Err(_elapsed) => {
                self.connect_failures += 1;
                close(&mut socket, RESUMABLE_CLOSE).await;
                return Err(End::Reconnect(Disconnect::new(
                    ReconnectReason::HandshakeTimeout,
                )));
            }
        };
        self.connect_failures = 0;

        Ok((socket, interval))
    }

    /// Runs an open connection: authenticate, heartbeat, read frames.
    async fn live(
        &mut self,
        socket: &mut Socket,
        interval: Duration,
        control: &mut watch::Receiver<Control>,
    ) -> End {
        let resuming = self.session_id.is_some();
        if !resuming {
            // A new session numbers its dispatches from the start.
            self.seq = 0;
        }
        tracing::debug!(
            heartbeat_ms = interval.as_millis(),
            resuming,
            "hello received"
        );
        if self
            .emit(ShardEvent::Connected(Connected {
                heartbeat_interval: interval,
                resuming,
            }))
            .is_err()
        {
            close(socket, RESUMABLE_CLOSE).await;
            return End::Shutdown(ShutdownMode::Resumable);
        }

        let mut link = Link {
            resuming,
            token: None,
            established: None,
            awaiting_ack: false,
            ack_blind: false,
            replayed: 0,
            first_after_resume: resuming,
            handshake_deadline: None,
        };
        let mut auth = Some(self.auth_future(resuming));
        // A separate sender, so that waiting for room does not borrow the runner.
        let output = self.output.clone();
        let beat = tokio::time::sleep(interval);
        tokio::pin!(beat);

        loop {
            let handshake_deadline = link.handshake_deadline;

            tokio::select! {
                biased;

                changed = control.changed() => {
                    let mode = match changed {
                        Ok(()) => match *control.borrow_and_update() {
                            Control::Run => continue,
                            Control::Shutdown(mode) => mode,
                        },
                        // Every handle is gone, so no shutdown request can arrive anymore.
                        Err(_) => ShutdownMode::Resumable,
                    };
                    close(socket, close_code(mode)).await;
                    return End::Shutdown(mode);
                }

                () = &mut beat => {
                    if link.awaiting_ack && !link.ack_blind && self.pending.is_empty() {
                        tracing::info!(
                            heartbeat_ms = interval.as_millis(),
                            "heartbeat not acknowledged before the next was due, reconnecting"
                        );
                        close(socket, RESUMABLE_CLOSE).await;
                        return link.disconnect(ReconnectReason::HeartbeatAckMissed);
                    }
                    if let Err(end) = self.heartbeat(socket, &link).await {
                        return end;
                    }
                    link.awaiting_ack = true;
                    link.ack_blind = !self.pending.is_empty();
                    let next = beat.deadline() + interval;
                    beat.as_mut().reset(next);
                    self.checkpoint().await;
                }

                result = async {
                    match auth.as_mut() {
                        Some(future) => future.await,
                        None => std::future::pending().await,
                    }
                }, if auth.is_some() => {
                    auth = None;
                    if let Err(end) = self.authenticate(socket, &mut link, result).await {
                        return end;
                    }
                }

                () = sleep_until_some(handshake_deadline), if handshake_deadline.is_some() => {
                    tracing::info!("no READY or RESUMED in time after authenticating, reconnecting");
                    close(socket, RESUMABLE_CLOSE).await;
                    return link.disconnect(ReconnectReason::HandshakeTimeout);
                }

                permit = output.reserve(), if !self.pending.is_empty() => {
                    link.ack_blind = true;
                    let Ok(permit) = permit else {
                        close(socket, RESUMABLE_CLOSE).await;
                        return End::Shutdown(ShutdownMode::Resumable);
                    };
                    if let Some(item) = self.pending.pop_front() {
                        permit.send(item);
                    }
                }

                message = socket.next(), if self.pending.is_empty() => {
                    let mut message = message;
                    let mut handled = 0;
                    loop {
                        if let Some(end) = self.handle_message(socket, &mut link, message).await {
                            if matches!(end, End::Shutdown(_)) {
                                close(socket, RESUMABLE_CLOSE).await;
                            }
                            return end;
                        }
                        handled += 1;
                        if handled == READ_BATCH || !self.pending.is_empty() {
                            break;
                        }
                        // The next frame without waiting, if it is already here.
                        match socket.next().now_or_never() {
                            Some(next) => message = next,
                            None => break,
                        }
                    }
                }
            }
        }
    }

    /// Waits for the identify slot (when identifying) and the access token.
    fn auth_future(
        &self,
        resuming: bool,
    ) -> BoxFuture<'static, Result<AccessToken, TokenProviderError>> {
        let token = Arc::clone(&self.config.inner.token);
        let queue = (!resuming).then(|| Arc::clone(&self.config.inner.queue));
        let shard = self.shard;

        Box::pin(async move {
            if let Some(queue) = queue {
                queue.acquire(shard).await;
            }

            token.access_token().await
        })
    }

    /// Sends Identify or Resume once the token is there.
    async fn authenticate(
        &mut self,
        socket: &mut Socket,
        link: &mut Link,
        token: Result<AccessToken, TokenProviderError>,
    ) -> Result<(), End> {
        let token = match token {
            Ok(token) => token,
            Err(error) if error.is_retryable() => {
                close(socket, RESUMABLE_CLOSE).await;
                let reason = ReconnectReason::TokenUnavailable(TransportError::from_arc(
                    Arc::from(error.into_source()),
                ));
                return Err(link.disconnect(reason));
            }
            Err(error) => {
                close(socket, RESUMABLE_CLOSE).await;
                return Err(End::Fatal(
                    FatalError::new(self.shard, FatalErrorKind::Token).with_source(error),
                ));
            }
        };

        let gateway_token = GatewayToken::new(token.clone());
        let frame = if let (Some(session_id), true) = (&self.session_id, link.resuming) {
            tracing::info!(seq = self.seq, "resuming session");
            ClientFrame::Resume(Resume::new(gateway_token, session_id.clone(), self.seq))
        } else {
            tracing::info!(intents = self.config.inner.intents.bits(), "identifying");
            let mut identify = Identify::new(gateway_token, self.config.inner.intents, self.shard);
            if let Some(properties) = &self.config.inner.properties {
                identify = identify.with_properties(properties.clone());
            }
            ClientFrame::Identify(identify)
        };
        link.token = Some(token);
        link.handshake_deadline = Some(Instant::now() + self.config.inner.handshake_timeout);

        send(socket, &frame)
            .await
            .map_err(|reason| link.disconnect(reason))
    }

    async fn heartbeat(&mut self, socket: &mut Socket, link: &Link) -> Result<(), End> {
        // `d` is null until the session has seen a dispatch.
        let seq = (self.seq > 0).then_some(self.seq);
        tracing::debug!(seq, "sending heartbeat");

        send(socket, &ClientFrame::Heartbeat(seq))
            .await
            .map_err(|reason| link.disconnect(reason))
    }

    async fn handle_message(
        &mut self,
        socket: &mut Socket,
        link: &mut Link,
        message: Option<Result<Message, tungstenite::Error>>,
    ) -> Option<End> {
        let message = match message {
            Some(Ok(message)) => message,
            Some(Err(error)) => {
                let reason = ReconnectReason::ConnectionLost(TransportError::new(error));
                return Some(link.disconnect(reason));
            }
            None => {
                let reason = ReconnectReason::ConnectionLost(TransportError::new(
                    std::io::Error::from(std::io::ErrorKind::UnexpectedEof),
                ));
                return Some(link.disconnect(reason));
            }
        };

        match message {
            // The WebSocket layer has validated the text as UTF-8 already.
            Message::Text(text) => self.handle_frame(socket, link, text.as_str()).await,
            Message::Binary(bytes) => {
                tracing::warn!(bytes = bytes.len(), "binary gateway frame skipped");
                None
            }
            Message::Close(frame) => Some(link.disconnect(closed_reason(frame.as_ref()))),
            // The WebSocket layer replies to pings.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => None,
        }
    }

    async fn handle_frame(
        &mut self,
        socket: &mut Socket,
        link: &mut Link,
        text: &str,
    ) -> Option<End> {
        let frame = match text.parse::<ServerFrame>() {
            Ok(frame) => frame,
            Err(error) => {
                tracing::warn!(%error, bytes = text.len(), "malformed gateway frame skipped");
                tracing::trace!(frame = %text, "malformed frame body");
                return None;
            }
        };
        tracing::trace!(frame = %text, "frame received");

        match frame {
            ServerFrame::Dispatch(dispatch) => {
                let end = self.handle_dispatch(link, dispatch);
                if std::mem::take(&mut self.save_due) {
                    self.checkpoint().await;
                }
                end
            }
            ServerFrame::HeartbeatAck => {
                tracing::debug!("heartbeat acknowledged");
                link.awaiting_ack = false;
                None
            }
            ServerFrame::Heartbeat(_) => {
                // The gateway requests a heartbeat now. The schedule stays as it is.
                self.heartbeat(socket, link).await.err()
            }
            ServerFrame::Reconnect => {
                tracing::info!("gateway requested a reconnect (op 7)");
                close(socket, RESUMABLE_CLOSE).await;
                Some(link.disconnect(ReconnectReason::ReconnectRequested))
            }
            ServerFrame::InvalidSession(resumable) => {
                tracing::info!(resumable, "gateway invalidated the session (op 9)");
                close(socket, RESUMABLE_CLOSE).await;
                Some(link.disconnect(ReconnectReason::InvalidSession { resumable }))
            }
            ServerFrame::Hello(_) => {
                tracing::warn!("second Hello on one connection skipped");
                None
            }
            other => {
                tracing::warn!(
                    op = other.opcode().to_u8(),
                    "gateway frame with unknown opcode skipped"
                );
                None
            }
        }
    }

    fn handle_dispatch(&mut self, link: &mut Link, dispatch: Dispatch) -> Option<End> {
        let seq = dispatch.seq;
        let is_ready = matches!(dispatch.event, Event::Ready(_));

        if let Some(seq) = seq {
            if !is_ready && seq <= self.seq {
                tracing::debug!(
                    seq,
                    last = self.seq,
                    "replayed dispatch already delivered, dropped"
                );
                return None;
            }
            if !is_ready && self.seq > 0 && seq > self.seq + 1 {
                if link.first_after_resume {
                    tracing::warn!(
                        expected = self.seq + 1,
                        received = seq,
                        "the gateway replayed from a later sequence number; events in between are lost"
                    );
                } else {
                    tracing::debug!(expected = self.seq + 1, received = seq, "sequence gap");
                }
            }
        }
        link.first_after_resume = false;
        if link.handshake_deadline.is_some() {
            link.handshake_deadline = Some(Instant::now() + self.config.inner.handshake_timeout);
        }

        let event = match dispatch.event {
            Event::Ready(ready) => {
                self.start_session(link, &ready.session_id, seq);
                ShardEvent::Ready(ready)
            }
            Event::Resumed => {
                // RESUMED's own `s` is not a delivered event, so the position stays at the last
                // dispatch. A server that numbers RESUMED like the next dispatch loses nothing.
                link.established = Some(Instant::now());
                link.handshake_deadline = None;
                self.save_due = true;
                if self
                    .emit(ShardEvent::Resumed(Resumed {
                        session_id: self.session_id.clone().unwrap_or_default(),
                        replayed: link.replayed,
                    }))
                    .is_err()
                {
                    return Some(End::Shutdown(ShutdownMode::Resumable));
                }
                tracing::info!(replayed = link.replayed, "session resumed");
                return None;
            }
            event => {
                if let Some(id) = &dispatch.id
                    && !self.dedupe.insert(id.as_str())
                {
                    tracing::debug!(
                        event_id = id.as_str(),
                        seq,
                        "event delivered before, dropped"
                    );
                    self.advance(seq);
                    return None;
                }
                if let Event::Unknown { name, .. } = &event
                    && name == "READY"
                {
                    // The session id is unreadable, so this session cannot be resumed.
                    tracing::warn!("READY payload is malformed; the session cannot be resumed");
                    self.session_id = None;
                    link.established = Some(Instant::now());
                    link.handshake_deadline = None;
                }
                if link.resuming && link.established.is_none() {
                    link.replayed += 1;
                }
                ShardEvent::Dispatch(Dispatch::new(dispatch.id, seq, event))
            }
        };

        if self.emit(event).is_err() {
            return Some(End::Shutdown(ShutdownMode::Resumable));
        }
        self.advance(seq);

        None
    }

    fn start_session(&mut self, link: &mut Link, session_id: &str, seq: Option<u64>) {
        self.session_id = Some(session_id.to_owned());
        self.seq = seq.unwrap_or(0);
        self.base_seq = self.seq;
        self.generation += 1;
        self.saved = None;
        self.save_due = true;
        link.established = Some(Instant::now());
        link.handshake_deadline = None;

        self.span.record("session_id", session_id);
        tracing::info!(session_id, "session ready");
    }

    fn advance(&mut self, seq: Option<u64>) {
        if let Some(seq) = seq {
            self.seq = self.seq.max(seq);
        }
    }

    /// Hands an event to the stream without waiting. When the stream is full the event is kept
    /// as pending, which stops reading until the stream takes it. Fails when the stream is gone.
    fn emit(&mut self, event: ShardEvent) -> Result<(), StreamClosed> {
        let item = (self.index, Ok(event));
        if !self.pending.is_empty() {
            self.pending.push_back(item);
            return Ok(());
        }

        match self.output.try_send(item) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(item)) => {
                self.pending.push_back(item);
                Ok(())
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Err(StreamClosed),
        }
    }

    /// Hands an item to the stream after the pending ones, waiting while it is full.
    async fn deliver(&mut self, item: Item) -> Result<(), StreamClosed> {
        while let Some(pending) = self.pending.pop_front() {
            self.output.send(pending).await.map_err(|_| StreamClosed)?;
        }

        self.output.send(item).await.map_err(|_| StreamClosed)
    }

    /// Applies the policy to a closed connection; returns the wait before the next one.
    async fn plan(&mut self, disconnect: Disconnect) -> Result<Duration, FatalError> {
        let policy = self.config.inner.reconnect.clone();
        if disconnect
            .established
            .is_some_and(|at| at.elapsed() >= policy.stable_after)
        {
            self.attempt = 0;
        }

        let rule = match Rule::for_reason(&disconnect.reason) {
            Ok(rule) => rule,
            Err(kind) => {
                return Err(
                    FatalError::new(self.shard, kind).with_source(disconnect.reason.to_string())
                );
            }
        };
        self.attempt = self.attempt.saturating_add(1);

        if rule.session == SessionAction::Drop && self.session_id.is_some() {
            self.forget_session().await;
        }
        if rule.refresh_token
            && let Some(token) = &disconnect.token
        {
            self.config.inner.token.reject(token);
        }

        let mut delay = policy.delay(rule, self.attempt);
        if let Some(min_delay) = disconnect.min_delay {
            delay = delay.max(min_delay);
        }
        let resume = self.session_id.is_some();

        if let ReconnectReason::Closed(code) = &disconnect.reason
            && code.is_client_bug()
        {
            tracing::warn!(
                code = code.to_u16(),
                "the gateway reports a client protocol error"
            );
        }
        tracing::info!(
            reason = %disconnect.reason,
            delay_ms = delay.as_millis(),
            resume,
            attempt = self.attempt,
            "reconnecting"
        );

        // The session (if kept) is saved so that a process stopped during the wait resumes it.
        self.checkpoint().await;

        let event = ShardEvent::Reconnecting(Reconnecting {
            reason: disconnect.reason,
            delay,
            resume,
            attempt: self.attempt,
        });
        // A dropped stream surfaces as a shutdown at the next step.
        let _ = self.deliver((self.index, Ok(event))).await;

        Ok(delay)
    }

    async fn fail(&mut self, error: FatalError) {
        tracing::warn!(%error, "shard stopped");
        // A fatal close code ends the session; a token or URL error leaves it resumable once
        // the configuration is fixed.
        if error.close_code().is_some() {
            self.forget_session().await;
        } else {
            self.checkpoint().await;
        }

        let _ = self.deliver((self.index, Err(error))).await;
    }

    async fn finish_shutdown(&mut self, mode: ShutdownMode) {
        match mode {
            ShutdownMode::Resumable => {
                let flush = async {
                    while let Some(item) = self.pending.pop_front() {
                        if self.output.send(item).await.is_err() {
                            break;
                        }
                    }
                };
                let _ = timeout(self.config.inner.shutdown_timeout, flush).await;
                self.pending.clear();
                if self.session_id.is_some() && !self.output.is_closed() {
                    // Saving waits for the application to take what was received, so the saved
                    // position is the last event it was handed.
                    self.delivered
                        .wait_for(
                            self.generation,
                            self.seq,
                            self.config.inner.shutdown_timeout,
                        )
                        .await;
                }
                self.saved = None;
                self.checkpoint().await;
                tracing::info!(session_kept = self.session_id.is_some(), "shard shut down");
            }
            ShutdownMode::Final => {
                self.forget_session().await;
                tracing::info!("shard shut down, session closed");
            }
        }
    }

    /// Loads a stored session so that the first connection resumes it.
    async fn load_session(&mut self) {
        let store = Arc::clone(&self.config.inner.sessions);
        let record = match store.load(self.shard).await {
            Ok(Some(record)) => record,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "stored session unreadable, identifying afresh");
                return;
            }
        };

        if record.intents != self.config.inner.intents {
            tracing::info!(
                stored = record.intents.bits(),
                configured = self.config.inner.intents.bits(),
                "stored session has other intents, identifying afresh"
            );
            self.forget_session().await;
            return;
        }

        tracing::info!(
            session_id = record.session_id,
            seq = record.sequence,
            "stored session found"
        );
        self.span.record("session_id", record.session_id.as_str());
        self.seq = record.sequence;
        self.base_seq = record.sequence;
        self.session_id = Some(record.session_id);
        self.saved = Some((self.generation, record.sequence));
    }

    /// Saves the session if its delivered position moved since the last save.
    async fn checkpoint(&mut self) {
        let Some(session_id) = &self.session_id else {
            return;
        };

        let position = self.delivered.position();
        let seq = if position.generation == self.generation {
            position.seq.max(self.base_seq)
        } else {
            // The stream has not yet yielded this session's READY.
            self.base_seq
        };
        if self.saved == Some((self.generation, seq)) {
            return;
        }

        let record = SessionRecord::new(
            self.shard,
            session_id.clone(),
            seq,
            self.config.inner.intents,
        );
        match self.config.inner.sessions.save(record).await {
            Ok(()) => self.saved = Some((self.generation, seq)),
            Err(error) => tracing::warn!(%error, "saving the session failed"),
        }
    }

    async fn forget_session(&mut self) {
        self.session_id = None;
        self.seq = 0;
        self.base_seq = 0;
        self.saved = None;

        if let Err(error) = self.config.inner.sessions.remove(self.shard).await {
            tracing::warn!(%error, "removing the stored session failed");
        }
    }
}

/// Runs `future` unless a shutdown is requested first.
async fn until_shutdown<F: Future>(
    control: &mut watch::Receiver<Control>,
    future: F,
) -> Result<F::Output, ShutdownMode> {
    if let Control::Shutdown(mode) = *control.borrow_and_update() {
        return Err(mode);
    }
    tokio::pin!(future);

    loop {
        tokio::select! {
            output = &mut future => return Ok(output),
            changed = control.changed() => match changed {
                Ok(()) => {
                    if let Control::Shutdown(mode) = *control.borrow_and_update() {
                        return Err(mode);
                    }
                }
                Err(_) => return Err(ShutdownMode::Resumable),
            },
        }
    }
}

fn has_websocket_scheme(url: &str) -> bool {
    let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);

    scheme.eq_ignore_ascii_case("ws") || scheme.eq_ignore_ascii_case("wss")
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Reads frames until Hello and returns its heartbeat interval.
async fn receive_hello(socket: &mut Socket) -> Result<Duration, ReconnectReason> {
    loop {
        let message = match socket.next().await {
            Some(Ok(message)) => message,
            Some(Err(error)) => {
                return Err(ReconnectReason::ConnectionLost(TransportError::new(error)));
            }
            None => {
                return Err(ReconnectReason::ConnectionLost(TransportError::new(
                    std::io::Error::from(std::io::ErrorKind::UnexpectedEof),
                )));
            }
        };

        let bytes = match &message {
            Message::Text(text) => text.as_bytes(),
            Message::Close(frame) => return Err(closed_reason(frame.as_ref())),
            Message::Binary(bytes) => {
                tracing::warn!(bytes = bytes.len(), "binary gateway frame skipped");
                continue;
            }
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
        };

        match ServerFrame::from_slice(bytes) {
            Ok(ServerFrame::Hello(hello)) => {
                let interval = Duration::from_millis(hello.heartbeat_interval);
                if interval < MIN_HEARTBEAT_INTERVAL {
                    tracing::warn!(
                        heartbeat_ms = hello.heartbeat_interval,
                        "Hello heartbeat interval too small, using 100 ms"
                    );
                    return Ok(MIN_HEARTBEAT_INTERVAL);
                }
                return Ok(interval);
            }
            Ok(frame) => {
                tracing::warn!(op = frame.opcode().to_u8(), "frame before Hello skipped");
            }
            Err(error) => {
                tracing::warn!(%error, bytes = bytes.len(), "malformed gateway frame skipped");
            }
        }
    }
}

fn closed_reason(frame: Option<&CloseFrame>) -> ReconnectReason {
    match frame {
        Some(frame) => {
            let code = CloseCode::from_u16(u16::from(frame.code));
            tracing::debug!(code = code.to_u16(), reason = %frame.reason, "gateway closed the connection");
            ReconnectReason::Closed(code)
        }
        None => ReconnectReason::ConnectionLost(TransportError::new(std::io::Error::other(
            "the gateway closed the connection without a close code",
        ))),
    }
}

fn close_code(mode: ShutdownMode) -> u16 {
    match mode {
        ShutdownMode::Resumable => RESUMABLE_CLOSE,
        ShutdownMode::Final => FINAL_CLOSE,
    }
}

async fn send(socket: &mut Socket, frame: &ClientFrame) -> Result<(), ReconnectReason> {
    let text = serde_json::to_string(frame)
        .map_err(|error| ReconnectReason::ConnectionLost(TransportError::new(error)))?;

    match timeout(WRITE_TIMEOUT, socket.send(Message::text(text))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(ReconnectReason::ConnectionLost(TransportError::new(error))),
        Err(_elapsed) => Err(ReconnectReason::ConnectionLost(TransportError::new(
            std::io::Error::from(std::io::ErrorKind::TimedOut),
        ))),
    }
}

/// Sends a close frame, giving up quickly on a dead connection.
async fn close(socket: &mut Socket, code: u16) {
    let frame = CloseFrame {
        code: code.into(),
        reason: "".into(),
    };

    let _ = timeout(CLOSE_TIMEOUT, socket.close(Some(frame))).await;
}
