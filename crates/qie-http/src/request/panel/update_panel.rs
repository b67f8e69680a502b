use crate::client::Client;
use crate::error::Error;
use crate::model::{Panel, Version};
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::PUT, "/v2/panels/{panel_id}");

#[derive(serde::Serialize)]
struct Body {
    panel: Panel,
}

/// `PUT /v2/panels/{panel_id}`: replaces the items of a panel (scope and targets stay).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdatePanel<'a> {
    client: &'a Client,
    panel_id: String,
    panel: Panel,
}

impl UpdatePanel<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        self.panel.validate().map_err(Error::validation)?;

        let request = Request::new(ROUTE, &[self.panel_id.as_str()])?;

        request.json(&Body { panel: self.panel })
    }
}

into_future!(UpdatePanel, Version, crate::response::json);

impl Client {
    /// Replaces the items of a command panel.
    ///
    /// `PUT /v2/panels/{panel_id}`
    pub fn update_panel(&self, panel_id: &str, panel: Panel) -> UpdatePanel<'_> {
        UpdatePanel {
            client: self,
            panel_id: panel_id.to_owned(),
            panel,
        }
    }
}
