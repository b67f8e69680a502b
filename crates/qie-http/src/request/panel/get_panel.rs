use crate::client::Client;
use crate::error::Error;
use crate::model::PanelRecord;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/panels/{panel_id}");

/// `GET /v2/panels/{panel_id}`: one command panel.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetPanel<'a> {
    client: &'a Client,
    panel_id: String,
}

impl GetPanel<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.panel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetPanel, PanelRecord, crate::response::json);

impl Client {
    /// Gets one command panel and its targets.
    ///
    /// `GET /v2/panels/{panel_id}`
    pub fn get_panel(&self, panel_id: &str) -> GetPanel<'_> {
        GetPanel {
            client: self,
            panel_id: panel_id.to_owned(),
        }
    }
}
