use crate::client::Client;
use crate::error::Error;
use crate::model::GuildRoles;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::GuildId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/guilds/{guild_id}/roles");

/// `GET /guilds/{guild_id}/roles`: a guild's roles.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGuildRoles<'a> {
    client: &'a Client,
    guild_id: GuildId,
}

impl GetGuildRoles<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetGuildRoles, GuildRoles, crate::response::json);

impl Client {
    /// Lists a guild's roles and the role limit.
    ///
    /// `GET /guilds/{guild_id}/roles`
    pub fn get_guild_roles(&self, guild_id: GuildId) -> GetGuildRoles<'_> {
        GetGuildRoles {
            client: self,
            guild_id,
        }
    }
}
