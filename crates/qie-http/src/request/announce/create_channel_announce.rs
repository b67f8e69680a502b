use crate::client::Client;
use crate::error::Error;
use crate::model::Announces;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/channels/{channel_id}/announces");

#[derive(serde::Serialize)]
struct Body {
    message_id: MessageId,
}

/// `POST /channels/{channel_id}/announces`: creates a channel announcement (deprecated by the platform in 2022; use pins).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateChannelAnnounce<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    message_id: MessageId,
}

impl CreateChannelAnnounce<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        request.json(&Body {
            message_id: self.message_id,
        })
    }
}

into_future!(CreateChannelAnnounce, Announces, crate::response::json);

impl Client {
    /// Creates a channel announcement. Deprecated by the platform: prefer [`create_pin`](Self::create_pin).
    ///
    /// `POST /channels/{channel_id}/announces`
    pub fn create_channel_announce(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
    ) -> CreateChannelAnnounce<'_> {
        CreateChannelAnnounce {
            client: self,
            channel_id,
            message_id,
        }
    }
}
