use crate::client::Client;
use crate::error::Error;
use crate::model::{StrategyGroups, StrategyState, StrategySwitch};
use crate::request::Request;
use crate::request::{check_chars, check_count};
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;
use serde::Serialize;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/groups/join_approval_strategy");

#[derive(Serialize)]
struct StrategyBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    group_openids: Option<Vec<GroupOpenid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_ids: Option<Vec<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_enable: Option<StrategySwitch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remark: Option<String>,
}

/// `POST /v2/groups/join_approval_strategy`: creates an automatic approval strategy (at most 20 per bot).
///
/// Strategies run only in groups where the bot is an admin; GROUP_JOIN_REQUEST still
/// reports requests they approved.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateJoinApprovalStrategy<'a> {
    client: &'a Client,
    groups: StrategyGroups,
    is_enable: Option<StrategySwitch>,
    expire_at: Option<String>,
    remark: Option<String>,
}

impl CreateJoinApprovalStrategy<'_> {
    /// Turns the strategy on or off (default on).
    pub fn switch(mut self, is_enable: StrategySwitch) -> Self {
        self.is_enable = Some(is_enable);
        self
    }

    /// Sets the expiry as RFC 3339 text (default one year).
    pub fn expire_at(mut self, expire_at: &str) -> Self {
        self.expire_at = Some(expire_at.to_owned());
        self
    }

    /// Sets a note (at most 255 characters).
    pub fn remark(mut self, remark: &str) -> Self {
        self.remark = Some(remark.to_owned());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.groups.len() == 0 {
            return Err(Error::validation("a strategy needs at least one group"));
        }
        check_count("groups", self.groups.len(), 100)?;
        if let Some(remark) = &self.remark {
            check_chars("remark", remark, 255)?;
        }

        let request = Request::new(ROUTE, &[])?;

        request.json(&StrategyBody {
            group_openids: match &self.groups {
                StrategyGroups::Openids(openids) => Some(openids.clone()),
                _ => None,
            },
            group_ids: match &self.groups {
                StrategyGroups::Numbers(numbers) => Some(numbers.clone()),
                _ => None,
            },
            is_enable: self.is_enable,
            expire_at: self.expire_at,
            remark: self.remark,
        })
    }
}

into_future!(
    CreateJoinApprovalStrategy,
    StrategyState,
    crate::response::json
);

impl Client {
    /// Creates an automatic join-approval strategy for up to 100 groups.
    ///
    /// `POST /v2/groups/join_approval_strategy`
    pub fn create_join_approval_strategy(
        &self,
        groups: StrategyGroups,
    ) -> CreateJoinApprovalStrategy<'_> {
        CreateJoinApprovalStrategy {
            client: self,
            groups,
            is_enable: None,
            expire_at: None,
            remark: None,
        }
    }
}
