use qie_model::id::{EventId, GroupOpenid, MessageId};
use qie_model::message::{
    Ark, Keyboard, Markdown, MessageReference, OpenMessage, OpenMessageBuilder, Scene,
    SendMessageResponse,
};

use super::send::{OpenTarget, message_error, open_message_request};
use crate::client::Client;
use crate::error::Error;
use crate::request::Request;

/// `POST /v2/groups/{group_openid}/messages`: sends a message to a group.
///
/// A passive reply names the message (`msg_id`, 5-minute window, 5 replies) or event it
/// replies to and numbers itself with `msg_seq`; [`Client::reply`] does that bookkeeping. Without
/// `msg_id`/`event_id` the send is proactive: it needs the group owner's permission and is
/// limited to 20 per group per minute; the platform's refusal (40034102, 40034105 …) is
/// returned as is, never replaced by something else.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateGroupMessage<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    builder: OpenMessageBuilder,
    prepared: Option<OpenMessage>,
}

impl CreateGroupMessage<'_> {
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

    /// Sends uploaded media (`msg_type` 7) by the `file_info` of a group upload.
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

    /// Makes it reply number `msg_seq` to a received event (GROUP_ADD_ROBOT, INTERACTION_CREATE …).
    pub fn reply_to_event(mut self, event_id: EventId, msg_seq: u32) -> Self {
        self.builder = self.builder.reply_to_event(event_id, msg_seq);
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
                .map_err(|source| message_error(Scene::Group, source))?,
        };

        open_message_request(&OpenTarget::Group(self.group_openid), &message)
    }
}

into_future!(
    CreateGroupMessage,
    SendMessageResponse,
    crate::response::json
);

impl Client {
    /// Sends a message to a group.
    ///
    /// `POST /v2/groups/{group_openid}/messages`
    pub fn create_group_message(&self, group_openid: GroupOpenid) -> CreateGroupMessage<'_> {
        CreateGroupMessage {
            client: self,
            group_openid,
            builder: OpenMessage::group(),
            prepared: None,
        }
    }
}
