use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::DELETE,
    "/v2/groups/join_approval_strategy/{strategy_id}",
);

/// `DELETE /v2/groups/join_approval_strategy/{strategy_id}`: deletes an automatic approval strategy.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteJoinApprovalStrategy<'a> {
    client: &'a Client,
    strategy_id: String,
}

impl DeleteJoinApprovalStrategy<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.strategy_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeleteJoinApprovalStrategy, (), crate::response::empty);

impl Client {
    /// Deletes an automatic join-approval strategy.
    ///
    /// `DELETE /v2/groups/join_approval_strategy/{strategy_id}`
    pub fn delete_join_approval_strategy(
        &self,
        strategy_id: &str,
    ) -> DeleteJoinApprovalStrategy<'_> {
        DeleteJoinApprovalStrategy {
            client: self,
            strategy_id: strategy_id.to_owned(),
        }
    }
}
