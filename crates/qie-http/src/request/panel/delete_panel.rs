use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::DELETE, "/v2/panels/{panel_id}");

/// `DELETE /v2/panels/{panel_id}`: deletes a command panel.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeletePanel<'a> {
    client: &'a Client,
    panel_id: String,
}

impl DeletePanel<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.panel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeletePanel, (), crate::response::empty);

impl Client {
    /// Deletes a command panel.
    ///
    /// `DELETE /v2/panels/{panel_id}`
    pub fn delete_panel(&self, panel_id: &str) -> DeletePanel<'_> {
        DeletePanel {
            client: self,
            panel_id: panel_id.to_owned(),
        }
    }
}
