use crate::client::Client;
use crate::error::Error;
use crate::model::CurrentUser;
use crate::request::Request;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/users/@me");

/// `GET /users/@me`: the bot's own user and profile.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetCurrentUser<'a> {
    client: &'a Client,
}

impl GetCurrentUser<'_> {
    #[allow(clippy::unused_self)]
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[])?;

        Ok(request)
    }
}

into_future!(GetCurrentUser, CurrentUser, crate::response::json);

impl Client {
    /// Gets the bot's own guild-scope user, share link and welcome message.
    ///
    /// `GET /users/@me`
    pub fn get_current_user(&self) -> GetCurrentUser<'_> {
        GetCurrentUser { client: self }
    }
}
