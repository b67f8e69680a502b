//! One WebSocket connection: Hello, Identify/Resume, heartbeats, dispatch writing and closes.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tokio::time::{Instant, sleep_until};

use super::{ConnControl, ConnLink, FirehoseJob, Outbound, Session, start_firehose_on};
use crate::auth::{AuthFailure, resolve};
use crate::inspect::{Direction, FrameEvent, InspectorEvent};
use crate::state::App;
use crate::world::KNOWN_INTENT_BITS;

/// What the reader loop does after a frame.
enum Flow {
    Continue,
    /// A close was queued; wait for the writer to finish.
    Closing,
}

struct Connection {
    app: App,
    id: u64,
    out: UnboundedSender<Outbound>,
    control: UnboundedSender<ConnControl>,
    app_id: Option<String>,
    session_id: Option<String>,
    acks_paused: bool,
    deadline: Instant,
}

/// Runs a connection until it closes.
pub(super) async fn run(app: App, socket: WebSocket) {
    let id = {
        let mut inner = app.lock();
        inner.gateway.next_connection += 1;
        inner.gateway.next_connection
    };
    tracing::debug!(connection = id, "gateway connection opened");

    let (sink, mut stream) = socket.split();
    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let (control_tx, mut control_rx) = mpsc::unbounded_channel();
    let mut writer = tokio::spawn(write_frames(app.clone(), id, sink, out_rx));

    let mut connection = Connection {
        deadline: Instant::now() + app.config.heartbeat_timeout,
        app,
        id,
        out: out_tx,
        control: control_tx,
        app_id: None,
        session_id: None,
        acks_paused: false,
    };
    let interval =
        u64::try_from(connection.app.config.hello_interval.as_millis()).unwrap_or(u64::MAX);
    connection.send_op(
        &json!({"op": 10, "d": {"heartbeat_interval": interval}}),
        10,
    );

    let mut writer_done = false;
    loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(Ok(message)) => {
                    if let Flow::Closing = connection.handle(message) {
                        connection.deadline = far_future();
                    }
                }
                Some(Err(error)) => {
                    tracing::debug!(connection = id, %error, "gateway connection failed");
                    break;
                }
                None => break,
            },
            Some(order) = control_rx.recv() => match order {
                ConnControl::Drop => {
                    tracing::info!(connection = id, "gateway connection dropped by fault");
                    break;
                }
                ConnControl::PauseAcks(paused) => connection.acks_paused = paused,
            },
            () = sleep_until(connection.deadline) => {
                tracing::info!(connection = id, session_id = ?connection.session_id, "heartbeat timeout, closing with 4009");
                connection.close(4009, "heartbeat timeout");
                connection.deadline = far_future();
            }
            _ = &mut writer => {
                writer_done = true;
                break;
            }
        }
    }

    if !writer_done {
        writer.abort();
    }
    connection.detach();
    tracing::debug!(connection = id, "gateway connection closed");
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365)
}

impl Connection {
    fn inspect(
        &self,
        direction: Direction,
        op: Option<u64>,
        t: Option<String>,
        s: Option<u64>,
        close_code: Option<u16>,
    ) {
        self.app.inspect(InspectorEvent::Frame(FrameEvent {
            connection: self.id,
            app_id: self.app_id.clone(),
            session_id: self.session_id.clone(),
            direction,
            op,
            t,
            s,
            close_code,
        }));
    }

    fn send_op(&self, frame: &Value, op: u64) {
        let _ = self.out.send(Outbound::Text(frame.to_string()));
        self.inspect(Direction::Outbound, Some(op), None, None, None);
    }

    fn close(&self, code: u16, reason: &str) {
        tracing::debug!(
            connection = self.id,
            code,
            reason,
            "closing gateway connection"
        );
        let _ = self.out.send(Outbound::Close(code, reason.to_owned()));
        self.inspect(Direction::Outbound, None, None, None, Some(code));
    }

    /// Sends op 9 and closes.
    fn invalid_session(&self, close_code: u16, reason: &str) -> Flow {
        self.send_op(&json!({"op": 9, "d": false}), 9);
        self.close(close_code, reason);

        Flow::Closing
    }

    fn link(&self) -> ConnLink {
        ConnLink {
            connection: self.id,
            out: self.out.clone(),
            control: self.control.clone(),
        }
    }

    fn handle(&mut self, message: Message) -> Flow {
        let text = match message {
            Message::Text(text) => text.to_string(),
            Message::Binary(bytes) => match String::from_utf8(bytes.to_vec()) {
                Ok(text) => text,
                Err(_) => {
                    self.close(4002, "invalid payload");
                    return Flow::Closing;
                }
            },
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => return Flow::Continue,
        };

        let Ok(frame) = serde_json::from_str::<Value>(&text) else {
            tracing::debug!(connection = self.id, "frame is not JSON, closing with 4002");
            self.close(4002, "invalid payload");
            return Flow::Closing;
        };
        let Some(op) = frame.get("op").and_then(Value::as_u64) else {
            self.close(4002, "invalid payload");
            return Flow::Closing;
        };
        self.inspect(Direction::Inbound, Some(op), None, None, None);
        let data = frame.get("d").cloned().unwrap_or(Value::Null);

        match op {
            1 => {
                self.heartbeat(&frame);
                Flow::Continue
            }
            2 => self.identify(&data),
            6 => self.resume(&data),
            _ => {
                tracing::debug!(
                    connection = self.id,
                    op,
                    "unexpected opcode, closing with 4001"
                );
                self.close(4001, "invalid opcode");
                Flow::Closing
            }
        }
    }

    fn heartbeat(&mut self, frame: &Value) {
        // Some clients put the sequence in `s` instead of `d`.
        let seq = frame
            .get("d")
            .and_then(Value::as_u64)
            .or_else(|| frame.get("s").and_then(Value::as_u64));
        self.deadline = Instant::now() + self.app.config.heartbeat_timeout;

        if let Some(session_id) = &self.session_id {
            let mut inner = self.app.lock();
            if let Some(session) = inner.gateway.sessions.get_mut(session_id) {
                session.last_heartbeat = Some(Instant::now());
                session.heartbeats += 1;
            }
        }
        tracing::trace!(connection = self.id, ?seq, "heartbeat");

        if !self.acks_paused {
            self.send_op(&json!({"op": 11}), 11);
        }
    }

    fn authenticate(&self, data: &Value) -> Result<String, AuthFailure> {
        let token = data
            .get("token")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let allow_bare = !self.app.config.strict_resume_token;

        resolve(&self.app, token, allow_bare)
    }

    fn identify(&mut self, data: &Value) -> Flow {
        if self.session_id.is_some() {
            self.close(4005, "already authenticated");
            return Flow::Closing;
        }
        let app_id = match self.authenticate(data) {
            Ok(app_id) => app_id,
            Err(failure) => {
                tracing::info!(
                    connection = self.id,
                    ?failure,
                    "Identify rejected, closing with 4004"
                );
                self.close(4004, "authentication failed");
                return Flow::Closing;
            }
        };

        let Some(intents) = data.get("intents").and_then(Value::as_u64) else {
            self.close(4013, "invalid intent");
            return Flow::Closing;
        };
        let known: u64 = KNOWN_INTENT_BITS.iter().map(|bit| 1u64 << bit).sum();
        if intents & !known != 0 {
            tracing::info!(
                connection = self.id,
                intents,
                "Identify with undefined intent bits, closing with 4013"
            );
            self.close(4013, "invalid intent");
            return Flow::Closing;
        }
        let intents = u32::try_from(intents).unwrap_or(0);

        let Some(shard) = parse_shard(data.get("shard")) else {
            tracing::info!(connection = self.id, shard = ?data.get("shard"), "Identify with an invalid shard, closing with 4010");
            self.close(4010, "invalid shard");
            return Flow::Closing;
        };

        let mut inner = self.app.lock();
        let Some(bot) = inner.world.bot(&app_id) else {
            drop(inner);
            self.close(4004, "authentication failed");
            return Flow::Closing;
        };
        if intents & !bot.granted_intents() != 0 {
            drop(inner);
            tracing::info!(
                connection = self.id,
                intents,
                "Identify with intents the bot is not granted, closing with 4014"
            );
            self.close(4014, "intent not permitted");
            return Flow::Closing;
        }
        let user = json!({"id": bot.user_id, "username": bot.username, "bot": true});

        // Session start limits: `remaining` per window and `max_concurrency` per 5 s.
        let limit = self.app.config.session_start_limit;
        let (remaining, _) = inner.gateway.start_limit_now(&limit);
        let now = Instant::now();
        let starts = &mut inner.gateway.starts;
        while starts
            .recent
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) >= Duration::from_secs(5))
        {
            starts.recent.pop_front();
        }
        let too_fast = self.app.config.enforce_max_concurrency
            && starts.recent.len() >= limit.max_concurrency as usize;
        if remaining == 0 || too_fast {
            drop(inner);
            // NOTE: the platform does not document how it refuses a session over the start
            // limit; the emulator closes with 4008 (rate limited).
            tracing::info!(
                connection = self.id,
                remaining,
                too_fast,
                "session start limit reached, closing with 4008"
            );
            self.close(4008, "session start limit reached");
            return Flow::Closing;
        }
        starts.remaining -= 1;
        starts.recent.push_back(now);

        let session_id = inner.ids.uuid();
        let ready_data =
            json!({"version": 1, "session_id": session_id, "user": user, "shard": shard});
        let ready = format!(r#"{{"op":0,"s":1,"t":"READY","d":{ready_data}}}"#);
        let mut session = Session {
            id: session_id.clone(),
            app_id: app_id.clone(),
            intents,
            shard,
            seq: 1,
            buffer: std::collections::VecDeque::new(),
            truncated_below: 0,
            link: Some(self.link()),
            detached_at: None,
            last_heartbeat: None,
            heartbeats: 0,
            acks_paused: false,
            invalid: false,
        };
        let _ = self.out.send(Outbound::Text(ready));
        if let Some(firehose) = inner.gateway.armed_firehose.remove(&app_id) {
            start_firehose_on(&mut session, &firehose);
        }
        inner.gateway.sessions.insert(session_id.clone(), session);
        drop(inner);

        self.app_id = Some(app_id.clone());
        self.session_id = Some(session_id.clone());
        self.inspect(
            Direction::Outbound,
            Some(0),
            Some("READY".to_owned()),
            Some(1),
            None,
        );
        tracing::info!(connection = self.id, app_id = %app_id, session_id = %session_id, shard = ?shard, intents, "session identified");
        self.app.session_notify.notify_waiters();

        Flow::Continue
    }

    fn resume(&mut self, data: &Value) -> Flow {
        if self.session_id.is_some() {
            self.close(4005, "already authenticated");
            return Flow::Closing;
        }
        let app_id = match self.authenticate(data) {
            Ok(app_id) => app_id,
            Err(failure) => {
                tracing::info!(
                    connection = self.id,
                    ?failure,
                    "Resume rejected, closing with 4004"
                );
                self.close(4004, "authentication failed");
                return Flow::Closing;
            }
        };
        let session_id = data
            .get("session_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let seq = data.get("seq").and_then(Value::as_u64).unwrap_or(0);

        let mut inner = self.app.lock();
        let now = Instant::now();
        let window = self.app.config.resume_window;
        let Some(session) = inner.gateway.sessions.get_mut(&session_id) else {
            drop(inner);
            tracing::info!(connection = self.id, session_id = %session_id, "Resume of an unknown session, op 9");
            return self.invalid_session(4006, "invalid session id");
        };
        if session.app_id != app_id || !session.resumable(now, window) {
            drop(inner);
            tracing::info!(connection = self.id, session_id = %session_id, "Resume of an expired or foreign session, op 9");
            return self.invalid_session(4006, "invalid session id");
        }
        if seq > session.seq || seq < session.truncated_below {
            drop(inner);
            tracing::info!(connection = self.id, session_id = %session_id, seq, "Resume with an out-of-range seq, op 9");
            return self.invalid_session(4007, "invalid seq");
        }

        // A session resumed elsewhere loses its old connection.
        if let Some(old) = session.link.take() {
            let _ = old.out.send(Outbound::Close(
                4009,
                "session resumed elsewhere".to_owned(),
            ));
        }
        let mut replayed = 0u64;
        for (frame_seq, text) in &session.buffer {
            if *frame_seq > seq {
                let _ = self.out.send(Outbound::Text(text.to_string()));
                replayed += 1;
            }
        }
        session.seq += 1;
        let resumed_seq = session.seq;
        let _ = self.out.send(Outbound::Text(format!(
            r#"{{"op":0,"s":{resumed_seq},"t":"RESUMED","d":""}}"#
        )));
        session.link = Some(self.link());
        session.detached_at = None;
        self.acks_paused = session.acks_paused;
        drop(inner);

        self.app_id = Some(app_id.clone());
        self.session_id = Some(session_id.clone());
        self.inspect(
            Direction::Outbound,
            Some(0),
            Some("RESUMED".to_owned()),
            Some(resumed_seq),
            None,
        );
        tracing::info!(connection = self.id, app_id = %app_id, session_id = %session_id, from_seq = seq, replayed, "session resumed");
        self.app.session_notify.notify_waiters();

        Flow::Continue
    }

    fn detach(&self) {
        let Some(session_id) = &self.session_id else {
            return;
        };
        let mut inner = self.app.lock();
        if let Some(session) = inner.gateway.sessions.get_mut(session_id)
            && session
                .link
                .as_ref()
                .is_some_and(|link| link.connection == self.id)
        {
            session.link = None;
            session.detached_at = Some(Instant::now());
        }
        // Forget sessions that can no longer be resumed.
        let now = Instant::now();
        let window = self.app.config.resume_window;
        inner
            .gateway
            .sessions
            .retain(|_, session| session.link.is_some() || session.resumable(now, window));
        drop(inner);
        self.app.session_notify.notify_waiters();
    }
}

fn parse_shard(value: Option<&Value>) -> Option<[u32; 2]> {
    let Some(value) = value else {
        // NOTE: the platform requires `shard`; clients that omit it are treated as unsharded.
        return Some([0, 1]);
    };
    let items = value.as_array()?;
    if items.len() != 2 {
        return None;
    }
    let id = u32::try_from(items[0].as_u64()?).ok()?;
    let count = u32::try_from(items[1].as_u64()?).ok()?;
    if count == 0 || id >= count {
        return None;
    }

    Some([id, count])
}

async fn write_frames(
    app: App,
    connection: u64,
    mut sink: SplitSink<WebSocket, Message>,
    mut queue: UnboundedReceiver<Outbound>,
) {
    while let Some(first) = queue.recv().await {
        let mut next = Some(first);
        // Write everything already queued before flushing once.
        while let Some(outbound) = next.take() {
            match outbound {
                Outbound::Text(text) => {
                    if sink.feed(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Outbound::Close(code, reason) => {
                    let frame = CloseFrame {
                        code,
                        reason: reason.into(),
                    };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    return;
                }
                Outbound::Firehose(job) => {
                    if !write_firehose(&app, connection, &mut sink, job).await {
                        return;
                    }
                }
            }
            next = queue.try_recv().ok();
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
}

async fn write_firehose(
    app: &App,
    connection: u64,
    sink: &mut SplitSink<WebSocket, Message>,
    job: FirehoseJob,
) -> bool {
    let started = Instant::now();
    let frames = Arc::new(job.frames);
    for index in 0..job.count {
        let position = usize::try_from(index % frames.len() as u64).unwrap_or(0);
        let frame = &frames[position];
        let seq = job.first_seq + index;
        // Event types are validated as [A-Z0-9_]+ before a burst starts, so they need no escaping.
        let (t, head) = (&frame.t, &frame.d_head);
        let text = match &frame.d_tail {
            Some(tail) => format!(
                "{{\"op\":0,\"s\":{seq},\"t\":\"{t}\",\"id\":\"{t}:firehose-{seq}\",\"d\":{head}-{seq}{tail}}}"
            ),
            None => format!(
                "{{\"op\":0,\"s\":{seq},\"t\":\"{t}\",\"id\":\"{t}:firehose-{seq}\",\"d\":{head}}}"
            ),
        };
        if sink.feed(Message::Text(text.into())).await.is_err() {
            return false;
        }
        if index % 256 == 255 && sink.flush().await.is_err() {
            return false;
        }
    }
    if sink.flush().await.is_err() {
        return false;
    }
    let elapsed = started.elapsed();
    tracing::info!(
        connection,
        frames = job.count,
        ?elapsed,
        "firehose burst written"
    );
    app.inspect(InspectorEvent::Firehose {
        connection,
        frames: job.count,
        elapsed,
    });

    true
}
