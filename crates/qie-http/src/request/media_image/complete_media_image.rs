use crate::client::Client;
use crate::error::Error;
use crate::model::MediaImage;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/media-images/complete");

#[derive(serde::Serialize)]
struct Body {
    upload_id: String,
    md5: String,
}

/// `POST /v2/media-images/complete`: finishes an upload to the image library.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CompleteMediaImage<'a> {
    client: &'a Client,
    upload_id: String,
    md5: String,
}

impl CompleteMediaImage<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[])?;

        request.json(&Body {
            upload_id: self.upload_id,
            md5: self.md5,
        })
    }
}

into_future!(CompleteMediaImage, MediaImage, crate::response::json);

impl Client {
    /// Finishes an image-library upload after its bytes were `PUT`.
    ///
    /// `POST /v2/media-images/complete`
    pub fn complete_media_image(&self, upload_id: &str, md5: &str) -> CompleteMediaImage<'_> {
        CompleteMediaImage {
            client: self,
            upload_id: upload_id.to_owned(),
            md5: md5.to_owned(),
        }
    }
}
