use crate::client::Client;
use crate::error::Error;
use crate::model::GroupInfo;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/groups/{group_openid}/info");

/// `GET /v2/groups/{group_openid}/info`: a group's name, introduction, tags and size (allow-listed bots).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupInfo<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
}

impl GetGroupInfo<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?;

        Ok(request)
    }
}

into_future!(GetGroupInfo, GroupInfo, crate::response::json);

impl Client {
    /// Gets a group's details (an allow-listed API: 11253 without the grant).
    ///
    /// `GET /v2/groups/{group_openid}/info`
    pub fn get_group_info(&self, group_openid: GroupOpenid) -> GetGroupInfo<'_> {
        GetGroupInfo {
            client: self,
            group_openid,
        }
    }
}
