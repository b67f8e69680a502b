use crate::client::Client;
use crate::error::Error;
use crate::model::{ListOp, StrategyGroups, StrategyState, StrategySwitch};
use crate::request::Request;
use crate::request::{check_chars, check_count};
use crate::route::Route;
use qie_model::id::GroupOpenid;
use reqwest::Method;
use serde::Serialize;

pub(crate) const ROUTE: Route = Route::new(
    Method::PATCH,
    "/v2/groups/join_approval_strategy/{strategy_id}",
);

#[derive(Serialize)]
struct StrategyPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_enable: Option<StrategySwitch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remark: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_action: Option<GroupAction>,
}

#[derive(Serialize)]
struct GroupAction {
    op: ListOp,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_openids: Option<Vec<GroupOpenid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_ids: Option<Vec<u64>>,
}

/// `PATCH /v2/groups/join_approval_strategy/{strategy_id}`: changes a strategy: switch, expiry, note, or linked groups.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateJoinApprovalStrategy<'a> {
    client: &'a Client,
    strategy_id: String,
    is_enable: Option<StrategySwitch>,
    expire_at: Option<String>,
    remark: Option<String>,
    group_action: Option<(ListOp, StrategyGroups)>,
}

impl UpdateJoinApprovalStrategy<'_> {
    /// Turns the strategy on or off.
    pub fn switch(mut self, is_enable: StrategySwitch) -> Self {
        self.is_enable = Some(is_enable);
        self
    }

    /// Sets the expiry as RFC 3339 text.
    pub fn expire_at(mut self, expire_at: &str) -> Self {
        self.expire_at = Some(expire_at.to_owned());
        self
    }

    /// Sets the note (at most 255 characters).
    pub fn remark(mut self, remark: &str) -> Self {
        self.remark = Some(remark.to_owned());
        self
    }

    /// Links (`ListOp::Add`) or unlinks (`ListOp::Del`) groups, of the same identifier kind as at creation.
    pub fn groups(mut self, op: ListOp, groups: StrategyGroups) -> Self {
        self.group_action = Some((op, groups));
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.is_enable.is_none()
            && self.expire_at.is_none()
            && self.remark.is_none()
            && self.group_action.is_none()
        {
            return Err(Error::validation(
                "update_join_approval_strategy needs at least one change",
            ));
        }
        if let Some(remark) = &self.remark {
            check_chars("remark", remark, 255)?;
        }
        if let Some((_, groups)) = &self.group_action {
            check_count("groups", groups.len(), 100)?;
        }

        let request = Request::new(ROUTE, &[self.strategy_id.as_str()])?;

        request.json(&StrategyPatch {
            is_enable: self.is_enable,
            expire_at: self.expire_at,
            remark: self.remark,
            group_action: self.group_action.map(|(op, groups)| match groups {
                StrategyGroups::Openids(openids) => GroupAction {
                    op,
                    group_openids: Some(openids),
                    group_ids: None,
                },
                StrategyGroups::Numbers(numbers) => GroupAction {
                    op,
                    group_openids: None,
                    group_ids: Some(numbers),
                },
            }),
        })
    }
}

into_future!(
    UpdateJoinApprovalStrategy,
    StrategyState,
    crate::response::json
);

impl Client {
    /// Changes an automatic join-approval strategy; set at least one field.
    ///
    /// `PATCH /v2/groups/join_approval_strategy/{strategy_id}`
    pub fn update_join_approval_strategy(
        &self,
        strategy_id: &str,
    ) -> UpdateJoinApprovalStrategy<'_> {
        UpdateJoinApprovalStrategy {
            client: self,
            strategy_id: strategy_id.to_owned(),
            is_enable: None,
            expire_at: None,
            remark: None,
            group_action: None,
        }
    }
}
