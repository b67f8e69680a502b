use crate::client::Client;
use crate::error::Error;
use crate::model::{
    MAX_MEDIA_IMAGE_SIZE, MEDIA_IMAGE_CONTENT_TYPES, MediaImagePrepareRequest, MediaImagePrepared,
};
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/media-images/prepare");

/// `POST /v2/media-images/prepare`: starts an upload to the bot's image library.
///
/// [`Client::upload_media_image`] runs the whole upload.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct PrepareMediaImage<'a> {
    client: &'a Client,
    body: MediaImagePrepareRequest,
}

impl PrepareMediaImage<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        if self.body.file_size > MAX_MEDIA_IMAGE_SIZE {
            return Err(Error::validation(format!(
                "file_size {} is above the image library maximum of {MAX_MEDIA_IMAGE_SIZE} bytes",
                self.body.file_size
            )));
        }
        if !MEDIA_IMAGE_CONTENT_TYPES.contains(&self.body.content_type.as_str()) {
            return Err(Error::validation(format!(
                "content_type {:?} is not one of {MEDIA_IMAGE_CONTENT_TYPES:?}",
                self.body.content_type
            )));
        }

        let request = Request::new(ROUTE, &[])?;

        request.json(&self.body)
    }
}

into_future!(PrepareMediaImage, MediaImagePrepared, crate::response::json);

impl Client {
    /// Starts an upload to the image library; `PUT` the bytes to the returned URL, then call `complete_media_image`.
    ///
    /// `POST /v2/media-images/prepare`
    pub fn prepare_media_image(&self, body: MediaImagePrepareRequest) -> PrepareMediaImage<'_> {
        PrepareMediaImage { client: self, body }
    }
}
