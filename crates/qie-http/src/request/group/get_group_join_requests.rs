use crate::client::Client;
use crate::error::Error;
use crate::model::JoinRequests;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::GET, "/v2/groups/{group_openid}/join_request_list");

/// `GET /v2/groups/{group_openid}/join_request_list`: one page of pending join requests (the bot must be an admin).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupJoinRequests<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    cursor: Option<String>,
    limit: Option<u32>,
}

impl GetGroupJoinRequests<'_> {
    /// Continues after `next_cursor` of the previous page.
    pub fn cursor(mut self, cursor: &str) -> Self {
        self.cursor = Some(cursor.to_owned());
        self
    }

    /// Sets the page size (1–100, default 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", self.limit, 1, 100)?;

        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?
            .query_opt("cursor", self.cursor.as_ref())
            .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(GetGroupJoinRequests, JoinRequests, crate::response::json);

impl Client {
    /// Lists a group's pending join requests.
    ///
    /// `GET /v2/groups/{group_openid}/join_request_list`
    pub fn get_group_join_requests(&self, group_openid: GroupOpenid) -> GetGroupJoinRequests<'_> {
        GetGroupJoinRequests {
            client: self,
            group_openid,
            cursor: None,
            limit: None,
        }
    }
}
