use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Channel;
use qie_model::id::GuildId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/guilds/{guild_id}/channels");

/// `GET /guilds/{guild_id}/channels`: every channel of a guild.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGuildChannels<'a> {
    client: &'a Client,
    guild_id: GuildId,
}

impl GetGuildChannels<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetGuildChannels, Vec<Channel>, crate::response::json);

impl Client {
    /// Lists every channel of a guild.
    ///
    /// `GET /guilds/{guild_id}/channels`
    pub fn get_guild_channels(&self, guild_id: GuildId) -> GetGuildChannels<'_> {
        GetGuildChannels {
            client: self,
            guild_id,
        }
    }
}
