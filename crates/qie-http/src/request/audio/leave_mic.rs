use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::DELETE, "/channels/{channel_id}/mic");

/// `DELETE /channels/{channel_id}/mic`: takes the bot off the mic.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct LeaveMic<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl LeaveMic<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(LeaveMic, (), crate::response::empty);

impl Client {
    /// Takes the bot off the mic of a voice channel.
    ///
    /// `DELETE /channels/{channel_id}/mic`
    pub fn leave_mic(&self, channel_id: ChannelId) -> LeaveMic<'_> {
        LeaveMic {
            client: self,
            channel_id,
        }
    }
}
