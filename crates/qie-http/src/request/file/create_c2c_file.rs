use qie_model::id::UserOpenid;
use qie_model::media::UploadMediaRequest;
use reqwest::Method;

use super::{CreateFile, FileTarget};
use crate::client::Client;
use crate::route::Route;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/users/{openid}/files");

impl Client {
    /// Uploads media for a user (C2C) by URL, base64 bytes ([`file_data_request`](super::file_data_request))
    /// or a finished chunked upload.
    ///
    /// `POST /v2/users/{openid}/files`
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: qie_http::Client) -> Result<(), qie_http::Error> {
    /// use qie_model::id::UserOpenid;
    /// use qie_model::media::{FileType, UploadMediaRequest};
    ///
    /// let target = UserOpenid::new("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4");
    /// let uploaded = client
    ///     .create_c2c_file(
    ///         target,
    ///         UploadMediaRequest::from_url(FileType::Image, "https://static.example.com/dice.png"),
    ///     )
    ///     .await?;
    /// println!("file_info {} valid for {} s", uploaded.file_info, uploaded.ttl);
    /// # Ok(()) }
    /// ```
    pub fn create_c2c_file(
        &self,
        openid: UserOpenid,
        request: UploadMediaRequest,
    ) -> CreateFile<'_> {
        CreateFile {
            client: self,
            target: FileTarget::C2c(openid),
            request,
        }
    }
}
