use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Guild;
use qie_model::id::GuildId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/guilds/{guild_id}");

/// `GET /guilds/{guild_id}`: a guild's details.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGuild<'a> {
    client: &'a Client,
    guild_id: GuildId,
}

impl GetGuild<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetGuild, Guild, crate::response::json);

impl Client {
    /// Gets a guild's details.
    ///
    /// `GET /guilds/{guild_id}`
    pub fn get_guild(&self, guild_id: GuildId) -> GetGuild<'_> {
        GetGuild {
            client: self,
            guild_id,
        }
    }
}
