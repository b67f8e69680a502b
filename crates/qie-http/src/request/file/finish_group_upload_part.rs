use qie_model::id::GroupOpenid;
use qie_model::media::UploadPartFinishRequest;
use reqwest::Method;

use super::{FileTarget, FinishUploadPart};
use crate::client::Client;
use crate::route::Route;

pub(crate) const ROUTE: Route =
    Route::new(Method::POST, "/v2/groups/{group_openid}/upload_part_finish");

impl Client {
    /// Reports a part of a chunked upload for a group as uploaded.
    ///
    /// `POST /v2/groups/{group_openid}/upload_part_finish`
    pub fn finish_group_upload_part(
        &self,
        group_openid: GroupOpenid,
        request: UploadPartFinishRequest,
    ) -> FinishUploadPart<'_> {
        FinishUploadPart {
            client: self,
            target: FileTarget::Group(group_openid),
            request,
        }
    }
}
