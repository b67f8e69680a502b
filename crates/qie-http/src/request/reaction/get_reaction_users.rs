use crate::client::Client;
use crate::error::Error;
use crate::model::ReactionUsers;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use qie_model::event::Emoji;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::GET,
    "/channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}",
);

/// `GET /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`: one page of the users who reacted with an emoji.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetReactionUsers<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
    emoji: Emoji,
    cookie: Option<String>,
    limit: Option<u32>,
}

impl GetReactionUsers<'_> {
    /// Continues after the previous page (its `cookie`).
    pub fn cookie(mut self, cookie: &str) -> Self {
        self.cookie = Some(cookie.to_owned());
        self
    }

    /// Sets the page size of the first page (1–50, default 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", self.limit, 1, 50)?;

        let request = Request::new(
            ROUTE,
            &[
                self.channel_id.as_str(),
                self.message_id.as_str(),
                &self.emoji.emoji_type.to_raw().to_string(),
                &self.emoji.id,
            ],
        )?
        .query_opt("cookie", self.cookie.as_ref())
        .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(GetReactionUsers, ReactionUsers, crate::response::json);

impl Client {
    /// Lists the users who reacted to a channel message with `emoji`.
    ///
    /// `GET /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`
    pub fn get_reaction_users(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
        emoji: Emoji,
    ) -> GetReactionUsers<'_> {
        GetReactionUsers {
            client: self,
            channel_id,
            message_id,
            emoji,
            cookie: None,
            limit: None,
        }
    }
}
