use crate::client::Client;
use crate::error::Error;
use crate::model::GroupMember;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GroupOpenid, MemberOpenid};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::GET,
    "/v2/groups/{group_openid}/members/{member_openid}",
);

/// `GET /v2/groups/{group_openid}/members/{member_openid}`: one group member (allow-listed bots).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupMember<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    member_openid: MemberOpenid,
}

impl GetGroupMember<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(
            ROUTE,
            &[self.group_openid.as_str(), self.member_openid.as_str()],
        )?;

        Ok(request)
    }
}

into_future!(GetGroupMember, GroupMember, crate::response::json);

impl Client {
    /// Gets one group member.
    ///
    /// `GET /v2/groups/{group_openid}/members/{member_openid}`
    pub fn get_group_member(
        &self,
        group_openid: GroupOpenid,
        member_openid: MemberOpenid,
    ) -> GetGroupMember<'_> {
        GetGroupMember {
            client: self,
            group_openid,
            member_openid,
        }
    }
}
