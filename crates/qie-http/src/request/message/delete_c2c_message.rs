use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Conversation;
use crate::route::Route;
use qie_model::id::{MessageId, UserOpenid};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::DELETE, "/v2/users/{openid}/messages/{message_id}");

/// `DELETE /v2/users/{openid}/messages/{message_id}`: recalls a C2C message the bot sent, within 2 minutes.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteC2cMessage<'a> {
    client: &'a Client,
    openid: UserOpenid,
    message_id: MessageId,
}

impl DeleteC2cMessage<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.openid.as_str(), self.message_id.as_str()])?
            .conversation(Conversation::User(self.openid.clone()));

        Ok(request)
    }
}

into_future!(DeleteC2cMessage, (), crate::response::empty);

impl Client {
    /// Recalls a C2C message the bot sent (only within 2 minutes of sending).
    ///
    /// `DELETE /v2/users/{openid}/messages/{message_id}`
    pub fn delete_c2c_message(
        &self,
        openid: UserOpenid,
        message_id: MessageId,
    ) -> DeleteC2cMessage<'_> {
        DeleteC2cMessage {
            client: self,
            openid,
            message_id,
        }
    }
}
