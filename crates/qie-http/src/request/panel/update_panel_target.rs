use qie_model::id::{GroupOpenid, UserOpenid};
use reqwest::Method;
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::model::{ListOp, MAX_PANEL_TARGETS};
use crate::request::{Request, check_count};
use crate::route::Route;

pub(crate) const ROUTE: Route = Route::new(Method::PUT, "/v2/panels/{panel_id}/target");

#[derive(Debug, Serialize)]
struct Body {
    op: ListOp,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_openids: Option<Vec<UserOpenid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_openids: Option<Vec<GroupOpenid>>,
}

/// `PUT /v2/panels/{panel_id}/target`: adds or removes targets of a `specific` panel.
///
/// A panel for every chat (`all`) has no targets; the platform answers 40030021.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdatePanelTarget<'a> {
    client: &'a Client,
    panel_id: String,
    body: Body,
}

impl UpdatePanelTarget<'_> {
    /// Sets the users to add or remove (C2C panels).
    pub fn users(mut self, user_openids: Vec<UserOpenid>) -> Self {
        self.body.user_openids = Some(user_openids);
        self
    }

    /// Sets the groups to add or remove (group panels).
    pub fn groups(mut self, group_openids: Vec<GroupOpenid>) -> Self {
        self.body.group_openids = Some(group_openids);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let count = match (&self.body.user_openids, &self.body.group_openids) {
            (Some(users), None) => users.len(),
            (None, Some(groups)) => groups.len(),
            _ => {
                return Err(Error::validation(
                    "set exactly one of .users(…) and .groups(…)",
                ));
            }
        };
        if count == 0 {
            return Err(Error::validation("the target list is empty"));
        }
        check_count("panel targets", count, MAX_PANEL_TARGETS)?;

        Request::new(ROUTE, &[self.panel_id.as_str()])?.json(&self.body)
    }
}

into_future!(UpdatePanelTarget, (), crate::response::empty);

impl Client {
    /// Adds (`ListOp::Add`) or removes (`ListOp::Del`) users or groups of a specific panel.
    ///
    /// `PUT /v2/panels/{panel_id}/target`
    pub fn update_panel_target(&self, panel_id: &str, op: ListOp) -> UpdatePanelTarget<'_> {
        UpdatePanelTarget {
            client: self,
            panel_id: panel_id.to_owned(),
            body: Body {
                op,
                user_openids: None,
                group_openids: None,
            },
        }
    }
}
