use crate::client::Client;
use crate::error::Error;
use crate::model::ChannelPermissions;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, UserId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::GET,
    "/channels/{channel_id}/members/{user_id}/permissions",
);

/// `GET /channels/{channel_id}/members/{user_id}/permissions`: a member's permissions in a channel (the bot must be an admin).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetChannelMemberPermissions<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    user_id: UserId,
}

impl GetChannelMemberPermissions<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.user_id.as_str()])?;

        Ok(request)
    }
}

into_future!(
    GetChannelMemberPermissions,
    ChannelPermissions,
    crate::response::json
);

impl Client {
    /// Gets a member's permissions in a channel.
    ///
    /// `GET /channels/{channel_id}/members/{user_id}/permissions`
    pub fn get_channel_member_permissions(
        &self,
        channel_id: ChannelId,
        user_id: UserId,
    ) -> GetChannelMemberPermissions<'_> {
        GetChannelMemberPermissions {
            client: self,
            channel_id,
            user_id,
        }
    }
}
