use crate::client::Client;
use crate::error::Error;
use crate::model::{BlacklistUpdate, ListOp};
use crate::request::Request;
use crate::request::check_count;
use crate::route::Route;
use qie_model::id::{GroupOpenid, MemberOpenid};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::POST, "/v2/groups/{group_openid}/member_blacklist");

#[derive(serde::Serialize)]
struct Body {
    op: ListOp,
    member_openids: Vec<MemberOpenid>,
}

/// `POST /v2/groups/{group_openid}/member_blacklist`: adds users to or removes them from a group's blacklist (at most 20 per call).
///
/// Only users who are not in the group can be added.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateGroupMemberBlacklist<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    op: ListOp,
    member_openids: Vec<MemberOpenid>,
}

impl UpdateGroupMemberBlacklist<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        check_count("member_openids", self.member_openids.len(), 20)?;

        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?;

        request.json(&Body {
            op: self.op,
            member_openids: self.member_openids,
        })
    }
}

into_future!(
    UpdateGroupMemberBlacklist,
    BlacklistUpdate,
    crate::response::json
);

impl Client {
    /// Adds (`ListOp::Add`) or removes (`ListOp::Del`) users of a group's blacklist.
    ///
    /// `POST /v2/groups/{group_openid}/member_blacklist`
    pub fn update_group_member_blacklist(
        &self,
        group_openid: GroupOpenid,
        op: ListOp,
        member_openids: Vec<MemberOpenid>,
    ) -> UpdateGroupMemberBlacklist<'_> {
        UpdateGroupMemberBlacklist {
            client: self,
            group_openid,
            op,
            member_openids,
        }
    }
}
