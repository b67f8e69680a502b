use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::DELETE,
    "/channels/{channel_id}/announces/{message_id}",
);

/// `DELETE /channels/{channel_id}/announces/{message_id}`: deletes a channel announcement (deprecated); `all` deletes any.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteChannelAnnounce<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
}

impl DeleteChannelAnnounce<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.message_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeleteChannelAnnounce, (), crate::response::empty);

impl Client {
    /// Deletes a channel announcement (deprecated by the platform).
    ///
    /// `DELETE /channels/{channel_id}/announces/{message_id}`
    pub fn delete_channel_announce(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
    ) -> DeleteChannelAnnounce<'_> {
        DeleteChannelAnnounce {
            client: self,
            channel_id,
            message_id,
        }
    }
}
