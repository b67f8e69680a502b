use crate::client::Client;
use crate::error::Error;
use crate::model::JoinApprovalStrategies;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/groups/join_approval_strategy");

/// `GET /v2/groups/join_approval_strategy`: one page of the bot's automatic approval strategies.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetJoinApprovalStrategies<'a> {
    client: &'a Client,
    cursor: Option<String>,
    limit: Option<u32>,
}

impl GetJoinApprovalStrategies<'_> {
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

        let request = Request::new(ROUTE, &[])?
            .query_opt("cursor", self.cursor.as_ref())
            .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(
    GetJoinApprovalStrategies,
    JoinApprovalStrategies,
    crate::response::json
);

impl Client {
    /// Lists the bot's automatic join-approval strategies.
    ///
    /// `GET /v2/groups/join_approval_strategy`
    pub fn get_join_approval_strategies(&self) -> GetJoinApprovalStrategies<'_> {
        GetJoinApprovalStrategies {
            client: self,
            cursor: None,
            limit: None,
        }
    }
}
