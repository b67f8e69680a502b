use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::DELETE, "/v2/media-images/{image_id}/delete");

/// `DELETE /v2/media-images/{image_id}/delete`: removes an image from the library.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteMediaImage<'a> {
    client: &'a Client,
    image_id: String,
}

impl DeleteMediaImage<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.image_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeleteMediaImage, (), crate::response::empty);

impl Client {
    /// Removes an image from the library.
    ///
    /// `DELETE /v2/media-images/{image_id}/delete`
    pub fn delete_media_image(&self, image_id: &str) -> DeleteMediaImage<'_> {
        DeleteMediaImage {
            client: self,
            image_id: image_id.to_owned(),
        }
    }
}
