use crate::client::Client;
use crate::error::Error;
use crate::model::{Menu, Version};
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::PUT, "/v2/menu");

#[derive(serde::Serialize)]
struct Body {
    menu: Menu,
}

/// `PUT /v2/menu`: replaces the bot's C2C menu.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateMenu<'a> {
    client: &'a Client,
    menu: Menu,
}

impl UpdateMenu<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        self.menu.validate().map_err(Error::validation)?;

        let request = Request::new(ROUTE, &[])?;

        request.json(&Body { menu: self.menu })
    }
}

into_future!(UpdateMenu, Version, crate::response::json);

impl Client {
    /// Replaces the bot's C2C menu (one menu for every user).
    ///
    /// `PUT /v2/menu`
    pub fn update_menu(&self, menu: Menu) -> UpdateMenu<'_> {
        UpdateMenu { client: self, menu }
    }
}
