use qie_model::id::{GroupOpenid, UserOpenid};
use reqwest::Method;
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::model::{CreatedPanel, MAX_PANEL_TARGETS, Panel, PanelScope, PanelTargetType};
use crate::request::{Request, check_count};
use crate::route::Route;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/panels");

#[derive(Debug, Serialize)]
struct Body {
    scope: PanelScope,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_type: Option<PanelTargetType>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    user_openids: Vec<UserOpenid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    group_openids: Vec<GroupOpenid>,
    panel: Panel,
}

/// `POST /v2/panels`: creates a command panel (the list shown when the user types "/").
///
/// Choosing a command entry only types its name into the input box, so the bot receives an
/// ordinary message. A panel applies to every chat of its scope unless it is limited to listed
/// users (C2C scope) or groups (group scope), at most 20 of them. A bot has at most 20 panels.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreatePanel<'a> {
    client: &'a Client,
    body: Body,
}

impl CreatePanel<'_> {
    /// Limits a C2C panel to these users.
    pub fn users(mut self, user_openids: Vec<UserOpenid>) -> Self {
        self.body.target_type = Some(PanelTargetType::Specific);
        self.body.user_openids = user_openids;
        self
    }

    /// Limits a group panel to these groups.
    pub fn groups(mut self, group_openids: Vec<GroupOpenid>) -> Self {
        self.body.target_type = Some(PanelTargetType::Specific);
        self.body.group_openids = group_openids;
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        self.body.panel.validate().map_err(Error::validation)?;

        if self.body.target_type == Some(PanelTargetType::Specific) {
            let (targets, expected) = match self.body.scope {
                PanelScope::C2c => (
                    self.body.user_openids.len(),
                    self.body.group_openids.is_empty(),
                ),
                PanelScope::Group => (
                    self.body.group_openids.len(),
                    self.body.user_openids.is_empty(),
                ),
                _ => {
                    return Err(Error::validation(format!(
                        "a {} panel applies to every chat; only c2c and group panels take targets",
                        self.body.scope
                    )));
                }
            };
            if targets == 0 || !expected {
                return Err(Error::validation(
                    "a c2c panel takes .users(…) and a group panel takes .groups(…), at least one",
                ));
            }
            check_count("panel targets", targets, MAX_PANEL_TARGETS)?;
        }

        Request::new(ROUTE, &[])?.json(&self.body)
    }
}

into_future!(CreatePanel, CreatedPanel, crate::response::json);

impl Client {
    /// Creates a command panel for `scope`.
    ///
    /// `POST /v2/panels`
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: qie_http::Client) -> Result<(), qie_http::Error> {
    /// use qie_http::model::{Panel, PanelItem, PanelScope};
    ///
    /// let panel = Panel::new([PanelItem::command("/help").desc("Show the commands")]);
    /// let created = client.create_panel(PanelScope::Group, panel).await?;
    /// println!("panel {}", created.panel_id);
    /// # Ok(()) }
    /// ```
    pub fn create_panel(&self, scope: PanelScope, panel: Panel) -> CreatePanel<'_> {
        CreatePanel {
            client: self,
            body: Body {
                scope,
                target_type: None,
                user_openids: Vec::new(),
                group_openids: Vec::new(),
                panel,
            },
        }
    }
}
