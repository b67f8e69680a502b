use crate::client::Client;
use crate::error::Error;
use crate::model::PinsMessage;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/channels/{channel_id}/pins");

/// `GET /channels/{channel_id}/pins`: the pinned messages of a channel.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetPins<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl GetPins<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetPins, PinsMessage, crate::response::json);

impl Client {
    /// Lists the pinned messages of a channel.
    ///
    /// `GET /channels/{channel_id}/pins`
    pub fn get_pins(&self, channel_id: ChannelId) -> GetPins<'_> {
        GetPins {
            client: self,
            channel_id,
        }
    }
}
