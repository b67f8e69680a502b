use qie_model::id::UserOpenid;
use qie_model::media::UploadPrepareRequest;
use reqwest::Method;

use super::{FileTarget, PrepareUpload};
use crate::client::Client;
use crate::route::Route;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/users/{openid}/upload_prepare");

impl Client {
    /// Starts a chunked upload for a user (C2C); the response lists the parts and their presigned URLs.
    ///
    /// `POST /v2/users/{openid}/upload_prepare`
    pub fn prepare_c2c_upload(
        &self,
        openid: UserOpenid,
        request: UploadPrepareRequest,
    ) -> PrepareUpload<'_> {
        PrepareUpload {
            client: self,
            target: FileTarget::C2c(openid),
            request,
        }
    }
}
