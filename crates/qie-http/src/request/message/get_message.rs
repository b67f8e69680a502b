use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::ChannelMessage;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::GET, "/channels/{channel_id}/messages/{message_id}");

/// `GET /channels/{channel_id}/messages/{message_id}`: one channel message.
///
/// Not in the v2 documentation, but served and used by every SDK. The platform wraps the
/// message as `{"message": …}`; a bare message is accepted too.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetMessage<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
}

impl GetMessage<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.message_id.as_str()])?;

        Ok(request)
    }
}

into_future!(
    GetMessage,
    ChannelMessage,
    crate::model::message::unwrap_message
);

impl Client {
    /// Gets one channel message.
    ///
    /// `GET /channels/{channel_id}/messages/{message_id}`
    pub fn get_message(&self, channel_id: ChannelId, message_id: MessageId) -> GetMessage<'_> {
        GetMessage {
            client: self,
            channel_id,
            message_id,
        }
    }
}
