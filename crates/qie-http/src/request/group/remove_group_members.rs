use crate::client::Client;
use crate::error::Error;
use crate::model::RemovedMembers;
use crate::request::Request;
use crate::request::check_count;
use crate::route::Route;
use qie_model::id::{GroupOpenid, MemberOpenid};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::POST,
    "/v2/groups/{group_openid}/batch_remove_members",
);

#[derive(serde::Serialize)]
struct Body {
    member_openids: Vec<MemberOpenid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    add_to_member_blacklist: Option<bool>,
}

/// `POST /v2/groups/{group_openid}/batch_remove_members`: removes up to 20 members from a group (the bot must be an admin).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct RemoveGroupMembers<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    member_openids: Vec<MemberOpenid>,
    add_to_member_blacklist: Option<bool>,
}

impl RemoveGroupMembers<'_> {
    /// Also blacklists the removed members.
    pub fn add_to_blacklist(mut self, add_to_member_blacklist: bool) -> Self {
        self.add_to_member_blacklist = Some(add_to_member_blacklist);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_count("member_openids", self.member_openids.len(), 20)?;

        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?;

        request.json(&Body {
            member_openids: self.member_openids,
            add_to_member_blacklist: self.add_to_member_blacklist,
        })
    }
}

into_future!(RemoveGroupMembers, RemovedMembers, crate::response::json);

impl Client {
    /// Removes members from a group; `.add_to_blacklist(true)` also blacklists them.
    ///
    /// `POST /v2/groups/{group_openid}/batch_remove_members`
    pub fn remove_group_members(
        &self,
        group_openid: GroupOpenid,
        member_openids: Vec<MemberOpenid>,
    ) -> RemoveGroupMembers<'_> {
        RemoveGroupMembers {
            client: self,
            group_openid,
            member_openids,
            add_to_member_blacklist: None,
        }
    }
}
