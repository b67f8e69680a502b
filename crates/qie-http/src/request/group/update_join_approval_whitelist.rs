use crate::client::Client;
use crate::error::Error;
use crate::model::{ListOp, WhitelistUpdate};
use crate::request::Request;
use crate::request::check_count;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::POST,
    "/v2/groups/join_approval_strategy/{strategy_id}/whitelist_users",
);

#[derive(serde::Serialize)]
struct Body {
    op: ListOp,
    whitelist_users: Vec<String>,
}

/// `POST /v2/groups/join_approval_strategy/{strategy_id}/whitelist_users`: adds or removes QQ numbers of a strategy's allow list.
///
/// At most 10,000 numbers per call and 100,000 in total.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateJoinApprovalWhitelist<'a> {
    client: &'a Client,
    strategy_id: String,
    op: ListOp,
    whitelist_users: Vec<String>,
}

impl UpdateJoinApprovalWhitelist<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        check_count("whitelist_users", self.whitelist_users.len(), 10_000)?;
        if let Some(bad) = self
            .whitelist_users
            .iter()
            .find(|user| user.is_empty() || !user.bytes().all(|byte| byte.is_ascii_digit()))
        {
            return Err(Error::validation(format!(
                "whitelist user {bad:?} is not a QQ number"
            )));
        }

        let request = Request::new(ROUTE, &[self.strategy_id.as_str()])?;

        request.json(&Body {
            op: self.op,
            whitelist_users: self.whitelist_users,
        })
    }
}

into_future!(
    UpdateJoinApprovalWhitelist,
    WhitelistUpdate,
    crate::response::json
);

impl Client {
    /// Adds (`ListOp::Add`) or removes (`ListOp::Del`) QQ numbers (as text) of a strategy's allow list.
    ///
    /// `POST /v2/groups/join_approval_strategy/{strategy_id}/whitelist_users`
    pub fn update_join_approval_whitelist(
        &self,
        strategy_id: &str,
        op: ListOp,
        whitelist_users: Vec<String>,
    ) -> UpdateJoinApprovalWhitelist<'_> {
        UpdateJoinApprovalWhitelist {
            client: self,
            strategy_id: strategy_id.to_owned(),
            op,
            whitelist_users,
        }
    }
}
