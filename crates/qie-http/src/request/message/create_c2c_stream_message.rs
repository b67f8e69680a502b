use qie_model::id::{EventId, MessageId, UserOpenid};
use reqwest::Method;
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::model::{StreamContentType, StreamInputMode, StreamInputState, StreamMessageResponse};
use crate::request::Request;
use crate::route::{Conversation, Route, Traffic};

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/users/{openid}/stream_messages");

#[derive(Debug, Serialize)]
struct Body {
    input_mode: StreamInputMode,
    input_state: StreamInputState,
    index: u32,
    content_type: StreamContentType,
    content_raw: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    msg_id: Option<MessageId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_id: Option<EventId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_msg_id: Option<MessageId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    msg_seq: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_wakeup: Option<bool>,
}

/// `POST /v2/users/{openid}/stream_messages`: sends one chunk of a streamed C2C reply.
///
/// A stream is anchored on an inbound message or event, or is a wake-up stream. Its chunks are
/// numbered 0, 1, 2 …, and from the second chunk on each carries the `id` of the first chunk's
/// response as `stream_msg_id`. Every chunk uses the same `msg_seq`: take it from
/// [`ReplyContext::next_msg_seq`](crate::reply::ReplyContext::next_msg_seq). In the default
/// replace mode each chunk carries the whole text so far, which must start with everything
/// already sent. Send chunks at least 300 ms apart and end with
/// [`StreamInputState::Finished`]. Clients report that the anchor must be younger than 5
/// minutes.
///
/// A chunk is not repeated after it may have reached the platform: a repeat would be rejected
/// for its index.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateC2cStreamMessage<'a> {
    client: &'a Client,
    openid: UserOpenid,
    body: Body,
}

impl CreateC2cStreamMessage<'_> {
    /// Anchors the stream on a received message.
    pub fn reply_to(mut self, msg_id: MessageId, msg_seq: u32) -> Self {
        self.body.msg_id = Some(msg_id);
        self.body.msg_seq = Some(msg_seq);
        self
    }

    /// Anchors the stream on a received event.
    pub fn reply_to_event(mut self, event_id: EventId, msg_seq: u32) -> Self {
        self.body.event_id = Some(event_id);
        self.body.msg_seq = Some(msg_seq);
        self
    }

    /// Continues the stream whose first chunk returned `stream_msg_id`.
    pub fn stream(mut self, stream_msg_id: MessageId) -> Self {
        self.body.stream_msg_id = Some(stream_msg_id);
        self
    }

    /// Sets how `content_raw` combines with what was sent (default replace).
    pub fn input_mode(mut self, mode: StreamInputMode) -> Self {
        self.body.input_mode = mode;
        self
    }

    /// Sets the content type (default markdown).
    pub fn content_type(mut self, content_type: StreamContentType) -> Self {
        self.body.content_type = content_type;
        self
    }

    /// Makes it a wake-up stream (no anchor; the platform skips the anchor check).
    pub fn wakeup(mut self) -> Self {
        self.body.is_wakeup = Some(true);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let anchored = self.body.msg_id.is_some() || self.body.event_id.is_some();
        let wakeup = self.body.is_wakeup == Some(true);

        if anchored && wakeup {
            return Err(Error::validation(
                "a wake-up stream cannot also carry msg_id or event_id",
            ));
        }
        if !anchored && !wakeup {
            return Err(Error::validation(
                "a stream needs an anchor: call .reply_to(msg_id, msg_seq), .reply_to_event(…) or .wakeup()",
            ));
        }
        if self.body.index > 0 && self.body.stream_msg_id.is_none() {
            return Err(Error::validation(format!(
                "chunk {} needs the stream id of chunk 0: call .stream(id)",
                self.body.index
            )));
        }

        Request::new(ROUTE, &[self.openid.as_str()])?
            .conversation(Conversation::User(self.openid.clone()))
            .traffic(if anchored {
                Traffic::Passive
            } else {
                Traffic::Proactive
            })
            .creates_message()
            .json(&self.body)
    }
}

into_future!(
    CreateC2cStreamMessage,
    StreamMessageResponse,
    crate::response::json
);

impl Client {
    /// Sends chunk `index` (0-based) of a streamed C2C message whose text so far is `content`.
    ///
    /// `POST /v2/users/{openid}/stream_messages`
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: qie_http::Client, context: qie_http::reply::ReplyContext) -> Result<(), qie_http::Error> {
    /// use qie_http::model::StreamInputState;
    /// use qie_model::id::{MessageId, UserOpenid};
    ///
    /// let user = UserOpenid::new("3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C");
    /// let msg_id = MessageId::new("ROBOT1.0_example");
    /// let msg_seq = context.next_msg_seq();
    ///
    /// let first = client
    ///     .create_c2c_stream_message(user.clone(), 0, "Thinking", StreamInputState::Generating)
    ///     .reply_to(msg_id.clone(), msg_seq)
    ///     .await?;
    /// client
    ///     .create_c2c_stream_message(user, 1, "Thinking… done.", StreamInputState::Finished)
    ///     .reply_to(msg_id, msg_seq)
    ///     .stream(first.id)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create_c2c_stream_message(
        &self,
        openid: UserOpenid,
        index: u32,
        content: &str,
        state: StreamInputState,
    ) -> CreateC2cStreamMessage<'_> {
        CreateC2cStreamMessage {
            client: self,
            openid,
            body: Body {
                input_mode: StreamInputMode::Replace,
                input_state: state,
                index,
                content_type: StreamContentType::Markdown,
                content_raw: content.to_owned(),
                msg_id: None,
                event_id: None,
                stream_msg_id: None,
                msg_seq: None,
                is_wakeup: None,
            },
        }
    }
}
