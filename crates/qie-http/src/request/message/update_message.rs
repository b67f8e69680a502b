use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, MessageId};
use qie_model::json::RawJson;
use qie_model::message::{Keyboard, Markdown};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::PATCH,
    "/channels/{channel_id}/messages/{message_id}",
);

#[derive(serde::Serialize)]
struct Body {
    keyboard: Keyboard,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<Markdown>,
}

/// `PATCH /channels/{channel_id}/messages/{message_id}`: replaces the keyboard of one of the bot's channel messages.
///
/// Undocumented, used by botpy and botgo. Only messages with a keyboard can be
/// edited, the keyboard must not be empty, and only the bot's own messages qualify
/// (codes 50049–50053). The response body is returned as raw JSON.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateMessage<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
    keyboard: Keyboard,
    markdown: Option<Markdown>,
}

impl UpdateMessage<'_> {
    /// Replaces the markdown as well.
    pub fn markdown(mut self, markdown: Markdown) -> Self {
        self.markdown = Some(markdown);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.message_id.as_str()])?;

        request.json(&Body {
            keyboard: self.keyboard,
            markdown: self.markdown,
        })
    }
}

into_future!(UpdateMessage, RawJson, crate::response::raw_json);

impl Client {
    /// Replaces the keyboard of one of the bot's channel messages.
    ///
    /// `PATCH /channels/{channel_id}/messages/{message_id}`
    pub fn update_message(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
        keyboard: Keyboard,
    ) -> UpdateMessage<'_> {
        UpdateMessage {
            client: self,
            channel_id,
            message_id,
            keyboard,
            markdown: None,
        }
    }
}
