use crate::client::Client;
use crate::error::Error;
use crate::model::MemberMuteChange;
use crate::request::Request;
use crate::request::check_count;
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::POST,
    "/v2/groups/{group_openid}/restrict_chat_setting",
);

#[derive(serde::Serialize)]
struct Body {
    members: Vec<MemberMuteChange>,
}

/// `POST /v2/groups/{group_openid}/restrict_chat_setting`: mutes, re-times or unmutes up to 10 ordinary members.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateGroupMemberMutes<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    members: Vec<MemberMuteChange>,
}

impl UpdateGroupMemberMutes<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        check_count("members", self.members.len(), 10)?;

        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?;

        request.json(&Body {
            members: self.members,
        })
    }
}

into_future!(UpdateGroupMemberMutes, (), crate::response::empty);

impl Client {
    /// Applies mute changes to members of a group (ordinary members only, at most 10).
    ///
    /// `POST /v2/groups/{group_openid}/restrict_chat_setting`
    pub fn update_group_member_mutes(
        &self,
        group_openid: GroupOpenid,
        members: Vec<MemberMuteChange>,
    ) -> UpdateGroupMemberMutes<'_> {
        UpdateGroupMemberMutes {
            client: self,
            group_openid,
            members,
        }
    }
}
