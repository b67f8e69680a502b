use qie_model::id::UserOpenid;
use qie_model::media::UploadPartFinishRequest;
use reqwest::Method;

use super::{FileTarget, FinishUploadPart};
use crate::client::Client;
use crate::route::Route;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/users/{openid}/upload_part_finish");

impl Client {
    /// Reports a part of a chunked upload for a user (C2C) as uploaded.
    ///
    /// `POST /v2/users/{openid}/upload_part_finish`
    pub fn finish_c2c_upload_part(
        &self,
        openid: UserOpenid,
        request: UploadPartFinishRequest,
    ) -> FinishUploadPart<'_> {
        FinishUploadPart {
            client: self,
            target: FileTarget::C2c(openid),
            request,
        }
    }
}
