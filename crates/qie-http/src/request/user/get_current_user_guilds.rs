use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use qie_model::event::Guild;
use qie_model::id::GuildId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/users/@me/guilds");

/// `GET /users/@me/guilds`: guilds the bot has joined, one page.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetCurrentUserGuilds<'a> {
    client: &'a Client,
    before: Option<GuildId>,
    after: Option<GuildId>,
    limit: Option<u32>,
}

impl GetCurrentUserGuilds<'_> {
    /// Lists guilds before this guild id (takes precedence over `after`).
    pub fn before(mut self, before: GuildId) -> Self {
        self.before = Some(before);
        self
    }

    /// Lists guilds after this guild id.
    pub fn after(mut self, after: GuildId) -> Self {
        self.after = Some(after);
        self
    }

    /// Sets the page size (1–100, default 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", self.limit, 1, 100)?;

        let request = Request::new(ROUTE, &[])?
            .query_opt("before", self.before.as_ref())
            .query_opt("after", self.after.as_ref())
            .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(GetCurrentUserGuilds, Vec<Guild>, crate::response::json);

impl Client {
    /// Lists the guilds the bot has joined, at most `limit` (default and maximum 100) per page.
    ///
    /// `GET /users/@me/guilds`
    pub fn get_current_user_guilds(&self) -> GetCurrentUserGuilds<'_> {
        GetCurrentUserGuilds {
            client: self,
            before: None,
            after: None,
            limit: None,
        }
    }
}
