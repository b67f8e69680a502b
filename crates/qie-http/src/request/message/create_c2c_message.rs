use qie_model::id::{EventId, MessageId, UserOpenid};
use qie_model::message::{
    Ark, Keyboard, Markdown, MessageReference, OpenMessage, OpenMessageBuilder, Scene,
    SendMessageResponse,
};

use super::send::{OpenTarget, message_error, open_message_request};
use crate::client::Client;
use crate::error::Error;
use crate::request::Request;

/// `POST /v2/users/{openid}/messages`: sends a message to a user (C2C).
///
/// A passive reply names the message (`msg_id`, 60-minute window, 4 replies) or event it
/// replies to and numbers itself with `msg_seq`; [`Client::reply`] does that bookkeeping. Without
/// `msg_id`/`event_id` the send is proactive: the user must allow proactive messages, at most
/// 20 per user per minute; a [`wakeup`](Self::wakeup) message is the one exception per
/// period. The platform's refusal is returned as is, never replaced by something else.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateC2cMessage<'a> {
    client: &'a Client,
    openid: UserOpenid,
    builder: OpenMessageBuilder,
    prepared: Option<OpenMessage>,
}

impl CreateC2cMessage<'_> {
    /// Sets the text (also allowed beside media).
    pub fn content(mut self, content: &str) -> Self {
        self.builder = self.builder.content(content);
        self
    }

    /// Sets the markdown (`msg_type` 2).
    pub fn markdown(mut self, markdown: Markdown) -> Self {
        self.builder = self.builder.markdown(markdown);
        self
    }

    /// Sets the keyboard (requires markdown).
    pub fn keyboard(mut self, keyboard: Keyboard) -> Self {
        self.builder = self.builder.keyboard(keyboard);
        self
    }

    /// Sets the ark (`msg_type` 3).
    pub fn ark(mut self, ark: Ark) -> Self {
        self.builder = self.builder.ark(ark);
        self
    }

    /// Sends uploaded media (`msg_type` 7) by the `file_info` of a C2C upload.
    pub fn media(mut self, file_info: &str) -> Self {
        self.builder = self.builder.media(file_info);
        self
    }

    /// Quotes a message by its `REFIDX_…` index.
    pub fn reference(mut self, reference: MessageReference) -> Self {
        self.builder = self.builder.reference(reference);
        self
    }

    /// Makes it reply number `msg_seq` (1, 2, 3 …) to a received message.
    pub fn reply_to(mut self, msg_id: MessageId, msg_seq: u32) -> Self {
        self.builder = self.builder.reply_to(msg_id, msg_seq);
        self
    }

    /// Makes it reply number `msg_seq` to a received event (FRIEND_ADD, INTERACTION_CREATE …).
    pub fn reply_to_event(mut self, event_id: EventId, msg_seq: u32) -> Self {
        self.builder = self.builder.reply_to_event(event_id, msg_seq);
        self
    }

    /// Makes it a wake-up message: one per period (same day, days 1–3, 3–7, 7–30) after the
    /// user last wrote; exclusive with `msg_id` and `event_id`.
    pub fn wakeup(mut self) -> Self {
        self.builder = self.builder.wakeup();
        self
    }

    /// Makes it a typing notice shown for `seconds` (at most 60; `msg_type` 6). Pair it with
    /// [`reply_to`](Self::reply_to) and a fresh `msg_seq`.
    pub fn typing(mut self, seconds: u32) -> Self {
        self.builder = self.builder.typing(seconds);
        self
    }

    /// Replaces the whole body with a prepared message (validated again at `.await`).
    pub fn message(mut self, message: OpenMessage) -> Self {
        self.prepared = Some(message);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let message = match self.prepared {
            Some(message) => message,
            None => self
                .builder
                .build()
                .map_err(|source| message_error(Scene::C2c, source))?,
        };

        open_message_request(&OpenTarget::C2c(self.openid), &message)
    }
}

into_future!(CreateC2cMessage, SendMessageResponse, crate::response::json);

impl Client {
    /// Sends a message to a user (C2C).
    ///
    /// `POST /v2/users/{openid}/messages`
    pub fn create_c2c_message(&self, openid: UserOpenid) -> CreateC2cMessage<'_> {
        CreateC2cMessage {
            client: self,
            openid,
            builder: OpenMessage::c2c(),
            prepared: None,
        }
    }
}
