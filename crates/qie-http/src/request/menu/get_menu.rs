use crate::client::Client;
use crate::error::Error;
use crate::model::MenuState;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/v2/menu");

/// `GET /v2/menu`: the bot's C2C menu.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetMenu<'a> {
    client: &'a Client,
}

impl GetMenu<'_> {
    #[allow(clippy::unused_self)]
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[])?;

        Ok(request)
    }
}

into_future!(GetMenu, MenuState, crate::response::json);

impl Client {
    /// Gets the bot's C2C menu and its version.
    ///
    /// `GET /v2/menu`
    pub fn get_menu(&self) -> GetMenu<'_> {
        GetMenu { client: self }
    }
}
