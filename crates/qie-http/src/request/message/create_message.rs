use qie_model::event::ChannelMessage;
use qie_model::id::ChannelId;
use qie_model::message::GuildMessage;

use super::send::{FileImage, GuildTarget, guild_message_request, guild_message_setters};
use crate::client::Client;
use crate::error::Error;
use crate::request::Request;

/// `POST /channels/{channel_id}/messages`: sends a message to a guild text channel.
///
/// At least one of content, embed, ark, image and markdown is required, and markdown combines
/// only with a keyboard; the `.await` reports violations before sending. Channels accept at
/// most 5 messages per second, which the client's rate limiter enforces. A passive reply
/// ([`reply_to`](Self::reply_to)) must come within 5 minutes of the message it answers; for
/// that bookkeeping prefer [`Client::reply`].
///
/// A public bot's proactive message may come back as
/// [`ErrorKind::PendingAudit`](crate::ErrorKind::PendingAudit): it is held for manual review,
/// and MESSAGE_AUDIT_PASS or MESSAGE_AUDIT_REJECT follows.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateMessage<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message: GuildMessage,
    file_image: Option<FileImage>,
}

impl CreateMessage<'_> {
    guild_message_setters!();

    fn try_into_request(self) -> Result<Request, Error> {
        guild_message_request(
            &GuildTarget::Channel(self.channel_id),
            &self.message,
            self.file_image.as_ref(),
        )
    }
}

into_future!(CreateMessage, ChannelMessage, crate::response::json);

impl Client {
    /// Sends a message to a guild text channel.
    ///
    /// `POST /channels/{channel_id}/messages`
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: qie_http::Client) -> Result<(), qie_http::Error> {
    /// use qie_model::id::ChannelId;
    ///
    /// let sent = client
    ///     .create_message(ChannelId::new("5550001"))
    ///     .content("Shenzhen: 24°C, light rain")
    ///     .await?;
    /// println!("sent {}", sent.id);
    /// # Ok(()) }
    /// ```
    pub fn create_message(&self, channel_id: ChannelId) -> CreateMessage<'_> {
        CreateMessage {
            client: self,
            channel_id,
            message: GuildMessage::default(),
            file_image: None,
        }
    }
}
