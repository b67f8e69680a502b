use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::DELETE, "/channels/{channel_id}/pins/{message_id}");

/// `DELETE /channels/{channel_id}/pins/{message_id}`: unpins a message; the message id `all` unpins every message.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeletePin<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
}

impl DeletePin<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.message_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeletePin, (), crate::response::empty);

impl Client {
    /// Unpins a message; pass `MessageId::new("all")` to unpin every message.
    ///
    /// `DELETE /channels/{channel_id}/pins/{message_id}`
    pub fn delete_pin(&self, channel_id: ChannelId, message_id: MessageId) -> DeletePin<'_> {
        DeletePin {
            client: self,
            channel_id,
            message_id,
        }
    }
}
