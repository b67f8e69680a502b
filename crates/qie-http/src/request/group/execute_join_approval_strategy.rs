use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::POST,
    "/v2/groups/join_approval_strategy/{strategy_id}/execute",
);

/// `POST /v2/groups/join_approval_strategy/{strategy_id}/execute`: scans the linked groups' pending requests now (asynchronous, about 10 minutes).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct ExecuteJoinApprovalStrategy<'a> {
    client: &'a Client,
    strategy_id: String,
}

impl ExecuteJoinApprovalStrategy<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.strategy_id.as_str()])?;

        request.json(&serde_json::Map::new())
    }
}

into_future!(ExecuteJoinApprovalStrategy, (), crate::response::empty);

impl Client {
    /// Runs a strategy over the pending requests of its groups now.
    ///
    /// `POST /v2/groups/join_approval_strategy/{strategy_id}/execute`
    pub fn execute_join_approval_strategy(
        &self,
        strategy_id: &str,
    ) -> ExecuteJoinApprovalStrategy<'_> {
        ExecuteJoinApprovalStrategy {
            client: self,
            strategy_id: strategy_id.to_owned(),
        }
    }
}
