use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Emoji;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::PUT,
    "/channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}",
);

/// `PUT /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`: adds the bot's reaction to a channel message.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateReaction<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
    emoji: Emoji,
}

impl CreateReaction<'_> {
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

into_future!(CreateReaction, (), crate::response::empty);

impl Client {
    /// Reacts to a channel message with `emoji`.
    ///
    /// `PUT /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`
    pub fn create_reaction(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
        emoji: Emoji,
    ) -> CreateReaction<'_> {
        CreateReaction {
            client: self,
            channel_id,
            message_id,
            emoji,
        }
    }
}
