use crate::client::Client;
use crate::error::Error;
use crate::model::Threads;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/channels/{channel_id}/threads");

/// `GET /channels/{channel_id}/threads`: the threads of a forum channel (private-domain bots).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetThreads<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl GetThreads<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetThreads, Threads, crate::response::json);

impl Client {
    /// Lists the threads of a forum channel.
    ///
    /// `GET /channels/{channel_id}/threads`
    pub fn get_threads(&self, channel_id: ChannelId) -> GetThreads<'_> {
        GetThreads {
            client: self,
            channel_id,
        }
    }
}
