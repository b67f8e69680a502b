use crate::client::Client;
use crate::error::Error;
use crate::model::MessageSetting;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::GuildId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/guilds/{guild_id}/message/setting");

/// `GET /guilds/{guild_id}/message/setting`: the guild's message-frequency settings.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGuildMessageSetting<'a> {
    client: &'a Client,
    guild_id: GuildId,
}

impl GetGuildMessageSetting<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        Ok(request)
    }
}

into_future!(
    GetGuildMessageSetting,
    MessageSetting,
    crate::response::json
);

impl Client {
    /// Gets the guild's message-frequency settings (DM and proactive-message switches).
    ///
    /// `GET /guilds/{guild_id}/message/setting`
    pub fn get_guild_message_setting(&self, guild_id: GuildId) -> GetGuildMessageSetting<'_> {
        GetGuildMessageSetting {
            client: self,
            guild_id,
        }
    }
}
