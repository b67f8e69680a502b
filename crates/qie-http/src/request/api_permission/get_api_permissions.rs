use crate::client::Client;
use crate::error::Error;
use crate::model::ApiPermissions;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::GuildId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/guilds/{guild_id}/api_permission");

/// `GET /guilds/{guild_id}/api_permission`: the APIs the bot may call in a guild.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetApiPermissions<'a> {
    client: &'a Client,
    guild_id: GuildId,
}

impl GetApiPermissions<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetApiPermissions, ApiPermissions, crate::response::json);

impl Client {
    /// Lists the APIs the bot may call in a guild and whether each is authorised.
    ///
    /// `GET /guilds/{guild_id}/api_permission`
    pub fn get_api_permissions(&self, guild_id: GuildId) -> GetApiPermissions<'_> {
        GetApiPermissions {
            client: self,
            guild_id,
        }
    }
}
