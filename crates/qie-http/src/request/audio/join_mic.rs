use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::PUT, "/channels/{channel_id}/mic");

/// `PUT /channels/{channel_id}/mic`: puts the bot on the mic of a voice channel.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct JoinMic<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl JoinMic<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(JoinMic, (), crate::response::empty);

impl Client {
    /// Puts the bot on the mic of a voice channel.
    ///
    /// `PUT /channels/{channel_id}/mic`
    pub fn join_mic(&self, channel_id: ChannelId) -> JoinMic<'_> {
        JoinMic {
            client: self,
            channel_id,
        }
    }
}
