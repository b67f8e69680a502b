use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Channel;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/channels/{channel_id}");

/// `GET /channels/{channel_id}`: a channel's details.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetChannel<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl GetChannel<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetChannel, Channel, crate::response::json);

impl Client {
    /// Gets a channel's details.
    ///
    /// `GET /channels/{channel_id}`
    pub fn get_channel(&self, channel_id: ChannelId) -> GetChannel<'_> {
        GetChannel {
            client: self,
            channel_id,
        }
    }
}
