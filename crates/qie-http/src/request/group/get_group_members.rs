use crate::client::Client;
use crate::error::Error;
use crate::model::GroupMembers;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/groups/{group_openid}/members");

/// `GET /v2/groups/{group_openid}/members`: one page (at most 30) of a group's members (allow-listed bots).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupMembers<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    cursor: Option<String>,
}

impl GetGroupMembers<'_> {
    /// Continues after `next_cursor` of the previous page.
    pub fn cursor(mut self, cursor: &str) -> Self {
        self.cursor = Some(cursor.to_owned());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?
            .query_opt("cursor", self.cursor.as_ref());

        Ok(request)
    }
}

into_future!(GetGroupMembers, GroupMembers, crate::response::json);

impl Client {
    /// Lists a group's members; continue with `.cursor(next_cursor)`.
    ///
    /// `GET /v2/groups/{group_openid}/members`
    pub fn get_group_members(&self, group_openid: GroupOpenid) -> GetGroupMembers<'_> {
        GetGroupMembers {
            client: self,
            group_openid,
            cursor: None,
        }
    }
}
