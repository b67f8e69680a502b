use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use qie_model::event::Member;
use qie_model::id::{GuildId, UserId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/guilds/{guild_id}/members");

/// `GET /guilds/{guild_id}/members`: one page of a guild's members (private-domain bots).
///
/// Pages may overlap and may be shorter than `limit`; stop when a page is empty. Pass the
/// last user id of a page as `after` for the next one.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGuildMembers<'a> {
    client: &'a Client,
    guild_id: GuildId,
    after: Option<UserId>,
    limit: Option<u32>,
}

impl GetGuildMembers<'_> {
    /// Starts after this user id (the last id of the previous page).
    pub fn after(mut self, after: UserId) -> Self {
        self.after = Some(after);
        self
    }

    /// Sets the page size (1–400, default 1).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", self.limit, 1, 400)?;

        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?
            .query("after", &self.after.as_ref().map_or("0", |id| id.as_str()))
            .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(GetGuildMembers, Vec<Member>, crate::response::json);

impl Client {
    /// Lists a guild's members, starting after user id `0`.
    ///
    /// `GET /guilds/{guild_id}/members`
    pub fn get_guild_members(&self, guild_id: GuildId) -> GetGuildMembers<'_> {
        GetGuildMembers {
            client: self,
            guild_id,
            after: None,
            limit: None,
        }
    }
}
