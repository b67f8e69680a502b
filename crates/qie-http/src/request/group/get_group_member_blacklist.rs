use crate::client::Client;
use crate::error::Error;
use crate::model::MemberBlacklist;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::GET, "/v2/groups/{group_openid}/member_blacklist");

/// `GET /v2/groups/{group_openid}/member_blacklist`: one page of a group's blacklist.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupMemberBlacklist<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    cursor: Option<String>,
    limit: Option<u32>,
}

impl GetGroupMemberBlacklist<'_> {
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

into_future!(
    GetGroupMemberBlacklist,
    MemberBlacklist,
    crate::response::json
);

impl Client {
    /// Lists a group's blacklist.
    ///
    /// `GET /v2/groups/{group_openid}/member_blacklist`
    pub fn get_group_member_blacklist(
        &self,
        group_openid: GroupOpenid,
    ) -> GetGroupMemberBlacklist<'_> {
        GetGroupMemberBlacklist {
            client: self,
            group_openid,
            cursor: None,
            limit: None,
        }
    }
}
