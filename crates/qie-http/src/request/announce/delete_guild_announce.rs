use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GuildId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::DELETE, "/guilds/{guild_id}/announces/{message_id}");

/// `DELETE /guilds/{guild_id}/announces/{message_id}`: deletes a guild announcement; the message id `all` deletes any (use it for recommended channels).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteGuildAnnounce<'a> {
    client: &'a Client,
    guild_id: GuildId,
    message_id: MessageId,
}

impl DeleteGuildAnnounce<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.message_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeleteGuildAnnounce, (), crate::response::empty);

impl Client {
    /// Deletes a guild announcement; pass `MessageId::new("all")` for a recommended-channels announcement.
    ///
    /// `DELETE /guilds/{guild_id}/announces/{message_id}`
    pub fn delete_guild_announce(
        &self,
        guild_id: GuildId,
        message_id: MessageId,
    ) -> DeleteGuildAnnounce<'_> {
        DeleteGuildAnnounce {
            client: self,
            guild_id,
            message_id,
        }
    }
}
