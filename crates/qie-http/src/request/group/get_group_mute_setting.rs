use crate::client::Client;
use crate::error::Error;
use crate::model::RestrictChatSetting;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::GET,
    "/v2/groups/{group_openid}/restrict_chat_setting",
);

/// `GET /v2/groups/{group_openid}/restrict_chat_setting`: a group's mute rules and muted members (the bot must be an admin).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupMuteSetting<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
}

impl GetGroupMuteSetting<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?;

        Ok(request)
    }
}

into_future!(
    GetGroupMuteSetting,
    RestrictChatSetting,
    crate::response::json
);

impl Client {
    /// Gets a group's mute rules and currently muted members.
    ///
    /// `GET /v2/groups/{group_openid}/restrict_chat_setting`
    pub fn get_group_mute_setting(&self, group_openid: GroupOpenid) -> GetGroupMuteSetting<'_> {
        GetGroupMuteSetting {
            client: self,
            group_openid,
        }
    }
}
