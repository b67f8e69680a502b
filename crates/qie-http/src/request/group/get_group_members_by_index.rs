use crate::client::Client;
use crate::error::Error;
use crate::model::IndexedGroupMembers;
use crate::request::Request;
use crate::request::{Replay, check_range};
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/groups/{group_openid}/members");

#[derive(serde::Serialize)]
struct Body {
    start_index: u64,
    limit: u32,
}

/// `POST /v2/groups/{group_openid}/members`: the older, invite-only member listing by index.
///
/// A read despite the POST, so it is retried like a GET.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupMembersByIndex<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    start_index: u64,
    limit: u32,
}

impl GetGroupMembersByIndex<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", Some(self.limit), 1, 500)?;

        let request =
            Request::new(ROUTE, &[self.group_openid.as_str()])?.replay(Replay::Idempotent);

        request.json(&Body {
            start_index: self.start_index,
            limit: self.limit,
        })
    }
}

into_future!(
    GetGroupMembersByIndex,
    IndexedGroupMembers,
    crate::response::json
);

impl Client {
    /// Lists a group's members from `start_index` (the older invite-only listing).
    ///
    /// `POST /v2/groups/{group_openid}/members`
    pub fn get_group_members_by_index(
        &self,
        group_openid: GroupOpenid,
        start_index: u64,
        limit: u32,
    ) -> GetGroupMembersByIndex<'_> {
        GetGroupMembersByIndex {
            client: self,
            group_openid,
            start_index,
            limit,
        }
    }
}
