use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, ForumId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::DELETE, "/channels/{channel_id}/threads/{thread_id}");

/// `DELETE /channels/{channel_id}/threads/{thread_id}`: deletes a forum thread.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteThread<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    thread_id: ForumId,
}

impl DeleteThread<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.thread_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeleteThread, (), crate::response::empty);

impl Client {
    /// Deletes a forum thread.
    ///
    /// `DELETE /channels/{channel_id}/threads/{thread_id}`
    pub fn delete_thread(&self, channel_id: ChannelId, thread_id: ForumId) -> DeleteThread<'_> {
        DeleteThread {
            client: self,
            channel_id,
            thread_id,
        }
    }
}
