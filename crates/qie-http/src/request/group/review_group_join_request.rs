use crate::client::Client;
use crate::error::Error;
use crate::model::JoinRequestOp;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GroupOpenid, MemberOpenid};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::POST,
    "/v2/groups/{group_openid}/approval_join_request/{member_openid}",
);

#[derive(serde::Serialize)]
struct Body {
    op: JoinRequestOp,
    #[serde(skip_serializing_if = "Option::is_none")]
    join_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reject_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    add_to_member_blacklist: Option<bool>,
}

/// `POST /v2/groups/{group_openid}/approval_join_request/{member_openid}`: approves or declines a join request (the bot must be an admin).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct ReviewGroupJoinRequest<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    member_openid: MemberOpenid,
    op: JoinRequestOp,
    join_request_id: Option<String>,
    reject_reason: Option<String>,
    add_to_member_blacklist: Option<bool>,
}

impl ReviewGroupJoinRequest<'_> {
    /// Names the request (`join_request_id` of the event or list).
    pub fn join_request_id(mut self, join_request_id: &str) -> Self {
        self.join_request_id = Some(join_request_id.to_owned());
        self
    }

    /// Tells the applicant why (decline only).
    pub fn reject_reason(mut self, reject_reason: &str) -> Self {
        self.reject_reason = Some(reject_reason.to_owned());
        self
    }

    /// Also blacklists the applicant (decline only).
    pub fn add_to_blacklist(mut self, add_to_member_blacklist: bool) -> Self {
        self.add_to_member_blacklist = Some(add_to_member_blacklist);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.op == JoinRequestOp::Approve
            && (self.reject_reason.is_some() || self.add_to_member_blacklist == Some(true))
        {
            return Err(Error::validation(
                "reject_reason and add_to_blacklist apply only when declining",
            ));
        }

        let request = Request::new(
            ROUTE,
            &[self.group_openid.as_str(), self.member_openid.as_str()],
        )?;

        request.json(&Body {
            op: self.op,
            join_request_id: self.join_request_id,
            reject_reason: self.reject_reason,
            add_to_member_blacklist: self.add_to_member_blacklist,
        })
    }
}

into_future!(ReviewGroupJoinRequest, (), crate::response::empty);

impl Client {
    /// Approves or declines `member_openid`'s request to join.
    ///
    /// `POST /v2/groups/{group_openid}/approval_join_request/{member_openid}`
    pub fn review_group_join_request(
        &self,
        group_openid: GroupOpenid,
        member_openid: MemberOpenid,
        op: JoinRequestOp,
    ) -> ReviewGroupJoinRequest<'_> {
        ReviewGroupJoinRequest {
            client: self,
            group_openid,
            member_openid,
            op,
            join_request_id: None,
            reject_reason: None,
            add_to_member_blacklist: None,
        }
    }
}
