use crate::client::Client;
use crate::error::Error;
use crate::model::MediaImagePage;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/media-images");

/// `GET /v2/media-images`: one page of the image library.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetMediaImages<'a> {
    client: &'a Client,
    cursor: Option<String>,
}

impl GetMediaImages<'_> {
    /// Continues after `next_cursor` of the previous page.
    pub fn cursor(mut self, cursor: &str) -> Self {
        self.cursor = Some(cursor.to_owned());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[])?.query_opt("cursor", self.cursor.as_ref());

        Ok(request)
    }
}

into_future!(GetMediaImages, MediaImagePage, crate::response::json);

impl Client {
    /// Lists the image library (at most 100 images per bot).
    ///
    /// `GET /v2/media-images`
    pub fn get_media_images(&self) -> GetMediaImages<'_> {
        GetMediaImages {
            client: self,
            cursor: None,
        }
    }
}
