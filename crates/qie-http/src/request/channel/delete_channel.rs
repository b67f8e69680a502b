use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::DELETE, "/channels/{channel_id}");

/// `DELETE /channels/{channel_id}`: deletes a channel for good (private-domain bots).
///
/// The platform emits CHANNEL_DELETE.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteChannel<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl DeleteChannel<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeleteChannel, (), crate::response::empty);

impl Client {
    /// Deletes a channel. This cannot be undone.
    ///
    /// `DELETE /channels/{channel_id}`
    pub fn delete_channel(&self, channel_id: ChannelId) -> DeleteChannel<'_> {
        DeleteChannel {
            client: self,
            channel_id,
        }
    }
}
