use crate::client::Client;
use crate::error::Error;
use crate::model::ThreadDetail;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, ForumId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::GET, "/channels/{channel_id}/threads/{thread_id}");

/// `GET /channels/{channel_id}/threads/{thread_id}`: one forum thread.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetThread<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    thread_id: ForumId,
}

impl GetThread<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.thread_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetThread, ThreadDetail, crate::response::json);

impl Client {
    /// Gets one forum thread.
    ///
    /// `GET /channels/{channel_id}/threads/{thread_id}`
    pub fn get_thread(&self, channel_id: ChannelId, thread_id: ForumId) -> GetThread<'_> {
        GetThread {
            client: self,
            channel_id,
            thread_id,
        }
    }
}
