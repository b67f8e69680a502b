use crate::client::Client;
use crate::error::Error;
use crate::model::{CreatedThread, ThreadFormat};
use crate::request::Request;
use crate::request::check_not_empty;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::PUT, "/channels/{channel_id}/threads");

#[derive(serde::Serialize)]
struct Body {
    title: String,
    content: String,
    format: ThreadFormat,
}

/// `PUT /channels/{channel_id}/threads`: posts a thread in a forum channel (private-domain bots); creation is asynchronous.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateThread<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    title: String,
    content: String,
    format: ThreadFormat,
}

impl CreateThread<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        check_not_empty("title", &self.title)?;
        check_not_empty("content", &self.content)?;

        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        request.json(&Body {
            title: self.title,
            content: self.content,
            format: self.format,
        })
    }
}

into_future!(CreateThread, CreatedThread, crate::response::json);

impl Client {
    /// Posts a thread titled `title` with `content` in `format`.
    ///
    /// `PUT /channels/{channel_id}/threads`
    pub fn create_thread(
        &self,
        channel_id: ChannelId,
        title: &str,
        content: &str,
        format: ThreadFormat,
    ) -> CreateThread<'_> {
        CreateThread {
            client: self,
            channel_id,
            title: title.to_owned(),
            content: content.to_owned(),
            format,
        }
    }
}
