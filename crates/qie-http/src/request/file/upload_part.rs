use bytes::Bytes;
use reqwest::{Method, Url};

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::request::{Body, Request};
use crate::route::Route;

/// The presigned upload; the template stands for the whole URL the prepare call returned.
pub(crate) const ROUTE: Route = Route::new(Method::PUT, "{presigned_url}");

/// `PUT {presigned_url}`: uploads the bytes of one part of a chunked upload (or of an image
/// library upload) to the storage URL the prepare call returned.
///
/// The request carries no platform headers: the URL itself authorises it. It is retried like
/// any `PUT`, and errors of the storage service (XML bodies) arrive as
/// [`ErrorKind::Api`] with the body's start in [`ApiError::body_excerpt`](crate::ApiError::body_excerpt).
/// The URL never appears in errors or logs, because its query string is a credential.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UploadPart<'a> {
    client: &'a Client,
    url: Result<Url, String>,
    bytes: Bytes,
    content_type: Option<&'static str>,
}

impl UploadPart<'_> {
    /// Sets the `Content-Type` header (image library uploads must match the prepared type).
    pub fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let url = self.url.map_err(|reason| {
            Error::new(ErrorKind::Validation {
                message: format!("presigned_url is not a valid http(s) URL: {reason}").into(),
            })
        })?;

        let mut request =
            Request::absolute(ROUTE, url).timeout(self.client.config().file_upload_timeout());
        request.body = Body::Bytes {
            content_type: self.content_type,
            bytes: self.bytes,
        };

        Ok(request)
    }
}

into_future!(UploadPart, (), crate::response::empty);

impl Client {
    /// Uploads `bytes` to a presigned storage URL from an `upload_prepare` or image-library
    /// prepare response.
    ///
    /// `PUT {presigned_url}`
    pub fn upload_part(&self, presigned_url: &str, bytes: Bytes) -> UploadPart<'_> {
        let url = Url::parse(presigned_url)
            .map_err(|error| error.to_string())
            .and_then(|url| match url.scheme() {
                "http" | "https" => Ok(url),
                other => Err(format!("scheme {other:?} is not http or https")),
            });

        UploadPart {
            client: self,
            url,
            bytes,
            content_type: None,
        }
    }
}
