use qie_model::event::ChannelMessage;
use qie_model::id::DmGuildId;
use qie_model::message::GuildMessage;

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::request::message::send::{
    FileImage, GuildTarget, guild_message_request, guild_message_setters,
};

/// `POST /dms/{guild_id}/messages`: sends a direct message in a DM session.
///
/// `guild_id` is the DM session's own guild id: from [`Client::create_dm_session`] or the
/// `guild_id` of DIRECT_MESSAGE_CREATE, not the guild the conversation started from. The body
/// rules are those of [`CreateMessage`](crate::request::message::CreateMessage). A passive reply
/// must come within 5 minutes; proactive DMs are limited to 2 per user per day and 200 per bot
/// per day.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateDirectMessage<'a> {
    client: &'a Client,
    guild_id: DmGuildId,
    message: GuildMessage,
    file_image: Option<FileImage>,
}

impl CreateDirectMessage<'_> {
    guild_message_setters!();

    fn try_into_request(self) -> Result<Request, Error> {
        guild_message_request(
            &GuildTarget::DirectMessage(self.guild_id),
            &self.message,
            self.file_image.as_ref(),
        )
    }
}

into_future!(CreateDirectMessage, ChannelMessage, crate::response::json);

impl Client {
    /// Sends a direct message; `guild_id` is the DM session's guild id.
    ///
    /// `POST /dms/{guild_id}/messages`
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: qie_http::Client) -> Result<(), qie_http::Error> {
    /// use qie_model::id::DmGuildId;
    ///
    /// let sent = client
    ///     .create_direct_message(DmGuildId::new("7999000000000000001"))
    ///     .content("Your order has shipped.")
    ///     .await?;
    /// println!("sent {}", sent.id);
    /// # Ok(()) }
    /// ```
    pub fn create_direct_message(&self, guild_id: DmGuildId) -> CreateDirectMessage<'_> {
        CreateDirectMessage {
            client: self,
            guild_id,
            message: GuildMessage::default(),
            file_image: None,
        }
    }
}
