use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Emoji;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::DELETE,
    "/channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}",
);

/// `DELETE /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`: removes the bot's reaction from a channel message.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteReaction<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
    emoji: Emoji,
}

impl DeleteReaction<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(
            ROUTE,
            &[
                self.channel_id.as_str(),
                self.message_id.as_str(),
                &self.emoji.emoji_type.to_raw().to_string(),
                &self.emoji.id,
            ],
        )?;

        Ok(request)
    }
}

into_future!(DeleteReaction, (), crate::response::empty);

impl Client {
    /// Removes the bot's `emoji` reaction from a channel message.
    ///
    /// `DELETE /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`
    pub fn delete_reaction(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
        emoji: Emoji,
    ) -> DeleteReaction<'_> {
        DeleteReaction {
            client: self,
            channel_id,
            message_id,
            emoji,
        }
    }
}
