use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Conversation;
use crate::route::Route;
use qie_model::id::{GroupOpenid, MessageId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::DELETE,
    "/v2/groups/{group_openid}/messages/{message_id}",
);

/// `DELETE /v2/groups/{group_openid}/messages/{message_id}`: recalls a group message the bot sent, within 2 minutes.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteGroupMessage<'a> {
    client: &'a Client,
    group_openid: GroupOpenid,
    message_id: MessageId,
}

impl DeleteGroupMessage<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(
            ROUTE,
            &[self.group_openid.as_str(), self.message_id.as_str()],
        )?
        .conversation(Conversation::Group(self.group_openid.clone()));

        Ok(request)
    }
}

into_future!(DeleteGroupMessage, (), crate::response::empty);

impl Client {
    /// Recalls a group message the bot sent (only within 2 minutes of sending).
    ///
    /// `DELETE /v2/groups/{group_openid}/messages/{message_id}`
    pub fn delete_group_message(
        &self,
        group_openid: GroupOpenid,
        message_id: MessageId,
    ) -> DeleteGroupMessage<'_> {
        DeleteGroupMessage {
            client: self,
            group_openid,
            message_id,
        }
    }
}
