use qie_model::id::GroupOpenid;
use qie_model::media::UploadPrepareRequest;
use reqwest::Method;

use super::{FileTarget, PrepareUpload};
use crate::client::Client;
use crate::route::Route;

pub(crate) const ROUTE: Route =
    Route::new(Method::POST, "/v2/groups/{group_openid}/upload_prepare");

impl Client {
    /// Starts a chunked upload for a group; the response lists the parts and their presigned URLs.
    ///
    /// `POST /v2/groups/{group_openid}/upload_prepare`
    pub fn prepare_group_upload(
        &self,
        group_openid: GroupOpenid,
        request: UploadPrepareRequest,
    ) -> PrepareUpload<'_> {
        PrepareUpload {
            client: self,
            target: FileTarget::Group(group_openid),
            request,
        }
    }
}
