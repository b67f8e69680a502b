use crate::client::Client;
use crate::error::Error;
use crate::model::PinsMessage;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::PUT, "/channels/{channel_id}/pins/{message_id}");

/// `PUT /channels/{channel_id}/pins/{message_id}`: pins a message (at most 20 per channel).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreatePin<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
}

impl CreatePin<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.message_id.as_str()])?;

        Ok(request)
    }
}

into_future!(CreatePin, PinsMessage, crate::response::json);

impl Client {
    /// Pins a message of a channel.
    ///
    /// `PUT /channels/{channel_id}/pins/{message_id}`
    pub fn create_pin(&self, channel_id: ChannelId, message_id: MessageId) -> CreatePin<'_> {
        CreatePin {
            client: self,
            channel_id,
            message_id,
        }
    }
}
