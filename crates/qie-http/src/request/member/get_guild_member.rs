use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Member;
use qie_model::id::{GuildId, UserId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/guilds/{guild_id}/members/{user_id}");

/// `GET /guilds/{guild_id}/members/{user_id}`: one member of a guild.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGuildMember<'a> {
    client: &'a Client,
    guild_id: GuildId,
    user_id: UserId,
}

impl GetGuildMember<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.user_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetGuildMember, Member, crate::response::json);

impl Client {
    /// Gets one member of a guild (with `union_openid` for specially configured bots).
    ///
    /// `GET /guilds/{guild_id}/members/{user_id}`
    pub fn get_guild_member(&self, guild_id: GuildId, user_id: UserId) -> GetGuildMember<'_> {
        GetGuildMember {
            client: self,
            guild_id,
            user_id,
        }
    }
}
