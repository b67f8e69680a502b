use crate::client::Client;
use crate::error::Error;
use crate::model::OnlineNums;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/channels/{channel_id}/online_nums");

/// `GET /channels/{channel_id}/online_nums`: members online in a voice or live channel.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetChannelOnlineNums<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl GetChannelOnlineNums<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetChannelOnlineNums, OnlineNums, crate::response::json);

impl Client {
    /// Counts the members online in a voice or live channel.
    ///
    /// `GET /channels/{channel_id}/online_nums`
    pub fn get_channel_online_nums(&self, channel_id: ChannelId) -> GetChannelOnlineNums<'_> {
        GetChannelOnlineNums {
            client: self,
            channel_id,
        }
    }
}
