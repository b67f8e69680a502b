//! The web console: a page at the emulator's root URL where a person plays the users, reads what
//! the bots sent, watches the gateway and REST traffic and injects faults.
//!
//! The page and its scripts are embedded in the binary (`console/` next to `src/`) and load
//! nothing from the network. Its data comes from routes under `/_emulator/console` (see
//! [`router`]) and from the control API it already has (injections and faults).
//!
//! The console keeps its own bounded records, fed by hooks in the rest of the emulator:
//!
//! * every dispatch reaches [`Console`] as a delivery sink and becomes a user entry (a message,
//!   a button click or a notice) of the conversation it belongs to;
//! * every message a bot sends is recorded with [`Console::record_sent`] as an entry that points
//!   into the store, so the page shows its current state (recalled or not);
//! * every inspector event is stamped with its time by [`Console::record_inspect`], kept for
//!   pages opened later, and used to measure heartbeat ACK times per session;
//! * every rich-media upload keeps its bytes through [`Console::record_media`] (small files only),
//!   so the page can show the pictures a bot sends.
//!
//! All records sit behind one mutex that is always taken last: code holding it never takes the
//! emulator's state lock, so the hooks may run while that lock is held.

mod assets;
mod entry;
mod files;
mod routes;
mod view;

pub(crate) use routes::cross_site_origin;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio::time::Instant;

use self::entry::UserEntry;
pub(crate) use self::routes::{page_router, router};
use crate::gateway::{DeliverySink, DispatchFrame};
use crate::inspect::{Direction, InspectorEvent};

/// Timeline entries kept for pages opened later (user and bot messages of every conversation).
const TIMELINE_LIMIT: usize = 2000;
/// Inspector events kept for pages opened later.
const INSPECTOR_LIMIT: usize = 2000;
/// Capacity of the live feed; a page that falls further behind gets a fresh snapshot.
const FEED_CAPACITY: usize = 4096;
/// Bot media kept for display: at most this many files…
const MEDIA_LIMIT: usize = 64;
/// …and at most this many bytes in total.
const MEDIA_BYTES_LIMIT: usize = 32 * 1024 * 1024;
/// Largest single bot upload whose bytes are kept.
const MEDIA_FILE_LIMIT: usize = 8 * 1024 * 1024;
/// Connections and sessions tracked for heartbeat timing before old ones are forgotten.
const TRACKED_LIMIT: usize = 1024;

/// One entry of the timeline.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    /// Something a user did (message, click) or an event about a conversation.
    User(Arc<UserEntry>),
    /// A message a bot sent: its index in the store's list of sent messages.
    Bot {
        /// Position in the timeline.
        seq: u64,
        /// Index into `Store::sent`.
        index: usize,
    },
}

impl Entry {
    fn seq(&self) -> u64 {
        match self {
            Self::User(entry) => entry.seq,
            Self::Bot { seq, .. } => *seq,
        }
    }
}

/// An inspector event with the wall-clock time it happened.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StampedEvent {
    /// Unix time in milliseconds.
    pub(crate) at_ms: u64,
    /// The event.
    pub(crate) event: InspectorEvent,
}

/// An item of the live feed, sent to every open page.
#[derive(Debug, Clone)]
pub(crate) enum FeedItem {
    /// A new timeline entry, or a user entry that gained an event type (same `seq`).
    Entry(Entry),
    /// An inspector event.
    Inspect(Arc<StampedEvent>),
}

/// Source of the bytes of a bot's upload.
#[derive(Debug, Clone)]
pub(crate) enum MediaSource {
    /// Uploaded bytes (`file_data` or a chunked upload).
    Bytes(Bytes),
    /// A URL the bot gave; the emulator never downloads it.
    Url(String),
    /// Bytes larger than the console keeps.
    Omitted,
}

/// A bot's upload as the console keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Media {
    /// `file_type`: 1 image, 2 video, 3 voice, 4 file.
    pub(crate) file_type: u64,
    /// Location of the content.
    pub(crate) source: MediaSource,
}

/// A picture uploaded through the console for a user to send.
#[derive(Debug, Clone)]
pub(crate) struct UploadedFile {
    pub(crate) content_type: &'static str,
    pub(crate) bytes: Bytes,
}

/// Heartbeat and connection facts of one session, measured from the inspector events.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct SessionTiming {
    /// Time from receiving the last answered heartbeat (op 1) to sending its ACK (op 11), as
    /// measured inside the emulator.
    pub(crate) heartbeat_rtt_ms: Option<f64>,
    /// Heartbeats received since the last ACK was sent.
    pub(crate) unanswered_heartbeats: u32,
    /// Close code of the last close the emulator sent on this session's connections.
    pub(crate) last_close_code: Option<u16>,
    /// Number of successful Resumes.
    pub(crate) resumes: u32,
}

/// The console's records.
#[derive(Debug, Default)]
struct ConsoleState {
    next_seq: u64,
    timeline: VecDeque<Entry>,
    inspector: VecDeque<Arc<StampedEvent>>,
    /// Unanswered heartbeat per connection: when it arrived and its session.
    pending_heartbeats: HashMap<u64, Instant>,
    /// Session of each connection, once identified.
    connection_sessions: HashMap<u64, String>,
    timings: HashMap<String, SessionTiming>,
    media: VecDeque<(String, Media)>,
    uploads: VecDeque<(String, UploadedFile)>,
    next_upload: u64,
}

impl ConsoleState {
    fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    fn push_entry(&mut self, entry: Entry) {
        if self.timeline.len() >= TIMELINE_LIMIT {
            self.timeline.pop_front();
        }
        self.timeline.push_back(entry);
    }

    fn timing(&mut self, session_id: &str) -> &mut SessionTiming {
        if self.timings.len() >= TRACKED_LIMIT && !self.timings.contains_key(session_id) {
            self.timings.clear();
        }
        self.timings.entry(session_id.to_owned()).or_default()
    }
}

/// The console's records and live feed. One per emulator, shared through `Shared::console`.
#[derive(Debug)]
pub(crate) struct Console {
    state: Mutex<ConsoleState>,
    feed: broadcast::Sender<FeedItem>,
}

impl Default for Console {
    fn default() -> Self {
        let (feed, _) = broadcast::channel(FEED_CAPACITY);

        Self {
            state: Mutex::new(ConsoleState::default()),
            feed,
        }
    }
}

/// Returns the current Unix time in milliseconds.
fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

impl Console {
    fn state(&self) -> MutexGuard<'_, ConsoleState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn publish(&self, item: FeedItem) {
        // A send without subscribers is fine because the records keep the item for pages opened later.
        let _ = self.feed.send(item);
    }

    /// Records a message a bot sent, by its index in the store's list of sent messages.
    pub(crate) fn record_sent(&self, index: usize) {
        let mut state = self.state();
        let seq = state.next_seq();
        let entry = Entry::Bot { seq, index };
        state.push_entry(entry.clone());
        self.publish(FeedItem::Entry(entry));
    }

    /// Stamps and keeps an inspector event, and updates the heartbeat timing of its session.
    pub(crate) fn record_inspect(&self, event: &InspectorEvent) {
        let stamped = Arc::new(StampedEvent {
            at_ms: unix_ms(),
            event: event.clone(),
        });
        let mut state = self.state();
        if let InspectorEvent::Frame(frame) = event {
            state.observe_frame(frame);
        }
        if state.inspector.len() >= INSPECTOR_LIMIT {
            state.inspector.pop_front();
        }
        state.inspector.push_back(stamped.clone());
        self.publish(FeedItem::Inspect(stamped));
    }

    /// Keeps what a bot uploaded so the page can show it; large files keep only their type.
    pub(crate) fn record_media(&self, file_info: &str, file_type: u64, source: MediaSource) {
        let source = match source {
            MediaSource::Bytes(bytes) if bytes.len() > MEDIA_FILE_LIMIT => MediaSource::Omitted,
            other => other,
        };
        let mut state = self.state();
        state
            .media
            .push_back((file_info.to_owned(), Media { file_type, source }));
        while state.media.len() > MEDIA_LIMIT || media_bytes(&state.media) > MEDIA_BYTES_LIMIT {
            state.media.pop_front();
        }
    }

    /// Returns a bot's upload by `file_info`, if it is still kept.
    pub(crate) fn media(&self, file_info: &str) -> Option<Media> {
        self.state()
            .media
            .iter()
            .rev()
            .find(|(key, _)| key == file_info)
            .map(|(_, media)| media.clone())
    }

    /// Keeps a picture uploaded through the page; returns its id.
    pub(crate) fn store_upload(&self, file: UploadedFile) -> String {
        let mut state = self.state();
        state.next_upload += 1;
        let id = format!("u{}", state.next_upload);
        state.uploads.push_back((id.clone(), file));
        while state.uploads.len() > MEDIA_LIMIT
            || state
                .uploads
                .iter()
                .map(|(_, file)| file.bytes.len())
                .sum::<usize>()
                > MEDIA_BYTES_LIMIT
        {
            state.uploads.pop_front();
        }

        id
    }

    /// Returns a picture uploaded through the page.
    pub(crate) fn upload(&self, id: &str) -> Option<UploadedFile> {
        self.state()
            .uploads
            .iter()
            .find(|(key, _)| key == id)
            .map(|(_, file)| file.clone())
    }

    /// Returns the timeline, the recent inspector events and a receiver of everything after
    /// them, with no gap and no duplicate between the two.
    pub(crate) fn snapshot(
        &self,
    ) -> (
        Vec<Entry>,
        Vec<Arc<StampedEvent>>,
        broadcast::Receiver<FeedItem>,
    ) {
        let state = self.state();
        // Items are published while the lock is held, so subscribing under it splits the
        // stream exactly at the snapshot.
        let receiver = self.feed.subscribe();

        (
            state.timeline.iter().cloned().collect(),
            state.inspector.iter().cloned().collect(),
            receiver,
        )
    }

    /// Returns the heartbeat timing of the given sessions and forgets every other session.
    pub(crate) fn timings(&self, session_ids: &[&str]) -> HashMap<String, SessionTiming> {
        let mut state = self.state();
        state
            .timings
            .retain(|session_id, _| session_ids.contains(&session_id.as_str()));

        state.timings.clone()
    }
}

fn media_bytes(media: &VecDeque<(String, Media)>) -> usize {
    media
        .iter()
        .map(|(_, media)| match &media.source {
            MediaSource::Bytes(bytes) => bytes.len(),
            MediaSource::Url(url) => url.len(),
            MediaSource::Omitted => 0,
        })
        .sum()
}

impl ConsoleState {
    fn observe_frame(&mut self, frame: &crate::inspect::FrameEvent) {
        let connection = frame.connection;
        if let Some(session_id) = &frame.session_id {
            if self.connection_sessions.len() >= TRACKED_LIMIT
                && !self.connection_sessions.contains_key(&connection)
            {
                self.connection_sessions.clear();
                self.pending_heartbeats.clear();
            }
            self.connection_sessions
                .insert(connection, session_id.clone());
        }
        let session_id = self.connection_sessions.get(&connection).cloned();

        match (frame.direction, frame.op, frame.close_code) {
            (Direction::Inbound, Some(1), _) => {
                if self.pending_heartbeats.len() >= TRACKED_LIMIT {
                    self.pending_heartbeats.clear();
                }
                let earlier = self.pending_heartbeats.insert(connection, Instant::now());
                if let Some(session_id) = session_id
                    && earlier.is_some()
                {
                    self.timing(&session_id).unanswered_heartbeats += 1;
                }
            }
            (Direction::Outbound, Some(11), _) => {
                let Some(received) = self.pending_heartbeats.remove(&connection) else {
                    return;
                };
                if let Some(session_id) = session_id {
                    let timing = self.timing(&session_id);
                    timing.heartbeat_rtt_ms = Some(millis(received.elapsed()));
                    timing.unanswered_heartbeats = 0;
                }
            }
            (Direction::Outbound, _, Some(code)) => {
                self.pending_heartbeats.remove(&connection);
                if let Some(session_id) = session_id {
                    self.timing(&session_id).last_close_code = Some(code);
                }
            }
            (Direction::Outbound, Some(0), None) if frame.t.as_deref() == Some("RESUMED") => {
                if let Some(session_id) = session_id {
                    self.timing(&session_id).resumes += 1;
                }
            }
            _ => {}
        }
    }
}

impl DeliverySink for Console {
    /// Records the dispatch in the timeline. The console observes and delivers nothing to the
    /// bot, so this returns `false`.
    fn deliver(&self, app_id: &str, frame: &DispatchFrame) -> bool {
        self.record(app_id, frame);
        false
    }
}

impl Console {
    fn record(&self, app_id: &str, frame: &DispatchFrame) {
        let mut state = self.state();

        // A message delivered under two event types (GROUP_MESSAGE_CREATE and
        // GROUP_AT_MESSAGE_CREATE, AT_MESSAGE_CREATE and MESSAGE_CREATE) is one entry.
        let duplicate = state
            .timeline
            .iter()
            .rev()
            .take(8)
            .find_map(|entry| match entry {
                Entry::User(user) if user.is_same_message(app_id, frame) => Some(user.clone()),
                _ => None,
            });
        if let Some(existing) = duplicate {
            let mut merged = (*existing).clone();
            merged.event_types.push(frame.t.clone());
            merged.mentions_bot |= entry::is_mention_event(&frame.t);
            let merged = Entry::User(Arc::new(merged));
            if let Some(slot) = state
                .timeline
                .iter_mut()
                .rev()
                .find(|entry| entry.seq() == existing.seq)
            {
                *slot = merged.clone();
            }
            self.publish(FeedItem::Entry(merged));
            return;
        }

        let seq = state.next_seq + 1;
        let Some(user) = UserEntry::from_dispatch(seq, app_id, frame, unix_ms()) else {
            return;
        };
        state.next_seq = seq;
        let entry = Entry::User(Arc::new(user));
        state.push_entry(entry.clone());
        self.publish(FeedItem::Entry(entry));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::inspect::FrameEvent;

    fn frame(
        connection: u64,
        direction: Direction,
        op: Option<u64>,
        code: Option<u16>,
    ) -> InspectorEvent {
        InspectorEvent::Frame(FrameEvent {
            connection,
            app_id: Some("102000001".to_owned()),
            session_id: Some("s1".to_owned()),
            direction,
            op,
            t: None,
            s: None,
            close_code: code,
        })
    }

    #[tokio::test(start_paused = true)]
    async fn heartbeat_rtt_and_unanswered_count() {
        let console = Console::default();

        console.record_inspect(&frame(1, Direction::Inbound, Some(1), None));
        tokio::time::advance(Duration::from_millis(3)).await;
        console.record_inspect(&frame(1, Direction::Outbound, Some(11), None));
        let timing = console.timings(&["s1"])["s1"].clone();
        assert_eq!(timing.heartbeat_rtt_ms, Some(3.0));
        assert_eq!(timing.unanswered_heartbeats, 0);

        console.record_inspect(&frame(1, Direction::Inbound, Some(1), None));
        console.record_inspect(&frame(1, Direction::Inbound, Some(1), None));
        console.record_inspect(&frame(1, Direction::Inbound, Some(1), None));
        let timing = console.timings(&["s1"])["s1"].clone();
        assert_eq!(timing.unanswered_heartbeats, 2);

        console.record_inspect(&frame(1, Direction::Outbound, None, Some(4009)));
        let timing = console.timings(&["s1"])["s1"].clone();
        assert_eq!(timing.last_close_code, Some(4009));
    }

    #[test]
    fn timings_forget_finished_sessions() {
        let console = Console::default();
        console.record_inspect(&frame(1, Direction::Outbound, None, Some(4009)));

        assert!(console.timings(&[]).is_empty());
    }

    #[test]
    fn dual_delivery_is_one_entry() {
        let console = Console::default();
        let d = json!({
            "id": "ROBOT1.0_x",
            "group_openid": "G1",
            "content": " hi",
            "author": {"member_openid": "M1", "username": "bob"},
        });
        for t in ["GROUP_MESSAGE_CREATE", "GROUP_AT_MESSAGE_CREATE"] {
            console.deliver(
                "102000001",
                &DispatchFrame {
                    t: t.to_owned(),
                    id: format!("{t}:1"),
                    d: d.clone(),
                },
            );
        }

        let (timeline, _, _) = console.snapshot();
        assert_eq!(timeline.len(), 1);
        let Entry::User(user) = &timeline[0] else {
            panic!("expected a user entry");
        };
        assert_eq!(
            user.event_types,
            ["GROUP_MESSAGE_CREATE", "GROUP_AT_MESSAGE_CREATE"]
        );
        assert!(user.mentions_bot);
    }

    #[test]
    fn media_keeps_recent_files_within_limits() {
        let console = Console::default();
        for index in 0..=MEDIA_LIMIT {
            console.record_media(
                &format!("f{index}"),
                1,
                MediaSource::Bytes(Bytes::from_static(b"\x89PNG")),
            );
        }
        console.record_media(
            "big",
            1,
            MediaSource::Bytes(Bytes::from(vec![0; MEDIA_FILE_LIMIT + 1])),
        );

        assert!(console.media("f0").is_none());
        assert!(console.media("f1").is_none());
        assert!(console.media("f2").is_some());
        assert!(matches!(
            console.media("big").map(|media| media.source),
            Some(MediaSource::Omitted)
        ));
    }
}
