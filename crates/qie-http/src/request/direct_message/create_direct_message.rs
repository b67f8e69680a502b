use bytes::Bytes;
use qie_model::event::ChannelMessage;
use qie_model::id::{DmGuildId, EventId, MessageId};
use qie_model::message::{Ark, Embed, GuildMessage, Keyboard, Markdown, MessageReference};

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::request::message::send::{FileImage, GuildTarget, guild_message_request};

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
    /// Sets the text (`<@!user_id>`, `<#channel_id>` and `<emoji:id>` tags are rendered).
    pub fn content(mut self, content: &str) -> Self {
        self.message.content = Some(content.to_owned());
        self
    }

    /// Sets the embed.
    pub fn embed(mut self, embed: Embed) -> Self {
        self.message.embed = Some(embed);
        self
    }

    /// Sets the ark.
    pub fn ark(mut self, ark: Ark) -> Self {
        self.message.ark = Some(ark);
        self
    }

    /// Sets an image by URL (the platform downloads and re-hosts it).
    pub fn image(mut self, url: &str) -> Self {
        self.message.image = Some(url.to_owned());
        self
    }

    /// Uploads an image with the message (`multipart/form-data`, part `file_image`).
    pub fn file_image(mut self, bytes: impl Into<Bytes>, file_name: &str) -> Self {
        self.file_image = Some(FileImage {
            bytes: bytes.into(),
            file_name: file_name.to_owned(),
        });
        self
    }

    /// Sets the markdown.
    pub fn markdown(mut self, markdown: Markdown) -> Self {
        self.message.markdown = Some(markdown);
        self
    }

    /// Sets the keyboard (requires markdown).
    pub fn keyboard(mut self, keyboard: Keyboard) -> Self {
        self.message.keyboard = Some(keyboard);
        self
    }

    /// Quotes a message.
    pub fn reference(mut self, reference: MessageReference) -> Self {
        self.message.message_reference = Some(reference);
        self
    }

    /// Makes it a passive reply to a received message.
    pub fn reply_to(mut self, msg_id: MessageId) -> Self {
        self.message.msg_id = Some(msg_id);
        self
    }

    /// Makes it a passive reply to a received event.
    pub fn reply_to_event(mut self, event_id: EventId) -> Self {
        self.message.event_id = Some(event_id);
        self
    }

    /// Replaces the whole body with a prepared message.
    pub fn message(mut self, message: GuildMessage) -> Self {
        self.message = message;
        self
    }

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
