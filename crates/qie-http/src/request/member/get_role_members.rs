use crate::client::Client;
use crate::error::Error;
use crate::model::RoleMembers;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use qie_model::id::{GuildId, RoleId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::GET, "/guilds/{guild_id}/roles/{role_id}/members");

/// `GET /guilds/{guild_id}/roles/{role_id}/members`: one page of a role's members (private-domain bots).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetRoleMembers<'a> {
    client: &'a Client,
    guild_id: GuildId,
    role_id: RoleId,
    start_index: Option<String>,
    limit: Option<u32>,
}

impl GetRoleMembers<'_> {
    /// Starts at this index (`next` of the previous page).
    pub fn start_index(mut self, start_index: &str) -> Self {
        self.start_index = Some(start_index.to_owned());
        self
    }

    /// Sets the page size (1–400).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", self.limit, 1, 400)?;

        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.role_id.as_str()])?
            .query("start_index", &self.start_index.as_deref().unwrap_or("0"))
            .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(GetRoleMembers, RoleMembers, crate::response::json);

impl Client {
    /// Lists the members of a role; pass the previous page's `next` as `start_index`.
    ///
    /// `GET /guilds/{guild_id}/roles/{role_id}/members`
    pub fn get_role_members(&self, guild_id: GuildId, role_id: RoleId) -> GetRoleMembers<'_> {
        GetRoleMembers {
            client: self,
            guild_id,
            role_id,
            start_index: None,
            limit: None,
        }
    }
}
