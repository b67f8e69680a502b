use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Conversation;
use crate::route::Route;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::DELETE,
    "/channels/{channel_id}/messages/{message_id}",
);

/// `DELETE /channels/{channel_id}/messages/{message_id}`: recalls a channel message (private-domain bots).
///
/// Admins may recall members' messages, the owner anyone's.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteMessage<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
    hidetip: Option<bool>,
}

impl DeleteMessage<'_> {
    /// Hides the grey "message recalled" notice.
    pub fn hide_tip(mut self, hidetip: bool) -> Self {
        self.hidetip = Some(hidetip);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.message_id.as_str()])?
            .query_opt("hidetip", self.hidetip.as_ref())
            .conversation(Conversation::Channel(self.channel_id.clone()));

        Ok(request)
    }
}

into_future!(DeleteMessage, (), crate::response::empty);

impl Client {
    /// Recalls a channel message; `.hide_tip(true)` hides the grey recall notice.
    ///
    /// `DELETE /channels/{channel_id}/messages/{message_id}`
    pub fn delete_message(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
    ) -> DeleteMessage<'_> {
        DeleteMessage {
            client: self,
            channel_id,
            message_id,
            hidetip: None,
        }
    }
}
