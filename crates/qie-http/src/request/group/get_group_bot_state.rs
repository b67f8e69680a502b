use crate::client::Client;
use crate::error::Error;
use crate::model::GroupBotState;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/groups/{group_openid}/bot_state");

/// `GET /v2/groups/{group_openid}/bot_state`: the bot's role, proactive-message permission and receive setting in a group.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGroupBotState<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
}

impl GetGroupBotState<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.group_openid.as_str()])?;

        Ok(request)
    }
}

into_future!(GetGroupBotState, GroupBotState, crate::response::json);

impl Client {
    /// Gets the bot's state in a group (an allow-listed API).
    ///
    /// `GET /v2/groups/{group_openid}/bot_state`
    pub fn get_group_bot_state(&self, group_openid: GroupOpenid) -> GetGroupBotState<'_> {
        GetGroupBotState {
            client: self,
            group_openid,
        }
    }
}
