use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Conversation;
use crate::route::Route;
use qie_model::id::{DmGuildId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::DELETE, "/dms/{guild_id}/messages/{message_id}");

/// `DELETE /dms/{guild_id}/messages/{message_id}`: recalls a DM the bot sent (private-domain bots).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteDirectMessage<'a> {
    client: &'a Client,
    guild_id: DmGuildId,
    message_id: MessageId,
    hidetip: Option<bool>,
}

impl DeleteDirectMessage<'_> {
    /// Hides the grey "message recalled" notice.
    pub fn hide_tip(mut self, hidetip: bool) -> Self {
        self.hidetip = Some(hidetip);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.message_id.as_str()])?
            .query_opt("hidetip", self.hidetip.as_ref())
            .conversation(Conversation::DirectMessage(self.guild_id.clone()));

        Ok(request)
    }
}

into_future!(DeleteDirectMessage, (), crate::response::empty);

impl Client {
    /// Recalls a DM the bot sent; `guild_id` is the DM session's guild id.
    ///
    /// `DELETE /dms/{guild_id}/messages/{message_id}`
    pub fn delete_direct_message(
        &self,
        guild_id: DmGuildId,
        message_id: MessageId,
    ) -> DeleteDirectMessage<'_> {
        DeleteDirectMessage {
            client: self,
            guild_id,
            message_id,
            hidetip: None,
        }
    }
}
