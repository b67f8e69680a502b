use crate::client::Client;
use crate::error::Error;
use crate::model::{PanelPage, PanelScope};
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/panels");

/// `GET /v2/panels`: one page of the bot's command panels of a scope.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetPanels<'a> {
    client: &'a Client,
    scope: PanelScope,
    cursor: Option<String>,
    limit: Option<u32>,
}

impl GetPanels<'_> {
    /// Continues after `next_cursor` of the previous page.
    pub fn cursor(mut self, cursor: &str) -> Self {
        self.cursor = Some(cursor.to_owned());
        self
    }

    /// Sets the page size (1–50, default 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", self.limit, 1, 50)?;

        let request = Request::new(ROUTE, &[])?;
        let request = request
            .query("scope", &self.scope)
            .query_opt("cursor", self.cursor.as_ref())
            .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(GetPanels, PanelPage, crate::response::json);

impl Client {
    /// Lists the bot's command panels of `scope`.
    ///
    /// `GET /v2/panels`
    pub fn get_panels(&self, scope: PanelScope) -> GetPanels<'_> {
        GetPanels {
            client: self,
            scope,
            cursor: None,
            limit: None,
        }
    }
}
