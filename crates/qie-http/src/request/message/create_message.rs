use bytes::Bytes;
use qie_model::event::ChannelMessage;
use qie_model::id::{ChannelId, EventId, MessageId};
use qie_model::message::{Ark, Embed, GuildMessage, Keyboard, Markdown, MessageReference};

use super::send::{FileImage, GuildTarget, guild_message_request};
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
