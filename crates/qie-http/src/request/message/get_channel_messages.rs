use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::request::check_range;
use crate::route::Route;
use qie_model::event::ChannelMessage;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/channels/{channel_id}/messages");

/// `GET /channels/{channel_id}/messages`: lists messages around, before or after a message.
///
/// NOTE: undocumented; botgo's pager (`type` around/before/after, `id`, `limit`) is followed,
/// and the platform has probably closed the endpoint.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetChannelMessages<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    pager: Option<(&'static str, MessageId)>,
    limit: Option<u32>,
}

impl GetChannelMessages<'_> {
    /// Lists messages before `message_id`.
    pub fn before(mut self, message_id: MessageId) -> Self {
        self.pager = Some(("before", message_id));
        self
    }

    /// Sets the page size (1–20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Lists messages after `message_id`.
    pub fn after(mut self, message_id: MessageId) -> Self {
        self.pager = Some(("after", message_id));
        self
    }

    /// Lists messages around `message_id`.
    pub fn around(mut self, message_id: MessageId) -> Self {
        self.pager = Some(("around", message_id));
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_range("limit", self.limit, 1, 20)?;

        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;
        let (pager_type, pager_id) = self
            .pager
            .map_or((None, None), |(kind, id)| (Some(kind), Some(id)));
        let request = request
            .query_opt("type", pager_type.as_ref())
            .query_opt("id", pager_id.as_ref())
            .query_opt("limit", self.limit.as_ref());

        Ok(request)
    }
}

into_future!(
    GetChannelMessages,
    Vec<ChannelMessage>,
    crate::response::json
);

impl Client {
    /// Lists channel messages around, before or after a message (undocumented, probably closed).
    ///
    /// `GET /channels/{channel_id}/messages`
    pub fn get_channel_messages(&self, channel_id: ChannelId) -> GetChannelMessages<'_> {
        GetChannelMessages {
            client: self,
            channel_id,
            pager: None,
            limit: None,
        }
    }
}
