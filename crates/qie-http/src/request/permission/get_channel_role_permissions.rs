use crate::client::Client;
use crate::error::Error;
use crate::model::ChannelPermissions;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, RoleId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::GET,
    "/channels/{channel_id}/roles/{role_id}/permissions",
);

/// `GET /channels/{channel_id}/roles/{role_id}/permissions`: a role's permissions in a channel.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetChannelRolePermissions<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    role_id: RoleId,
}

impl GetChannelRolePermissions<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.role_id.as_str()])?;

        Ok(request)
    }
}

into_future!(
    GetChannelRolePermissions,
    ChannelPermissions,
    crate::response::json
);

impl Client {
    /// Gets a role's permissions in a channel.
    ///
    /// `GET /channels/{channel_id}/roles/{role_id}/permissions`
    pub fn get_channel_role_permissions(
        &self,
        channel_id: ChannelId,
        role_id: RoleId,
    ) -> GetChannelRolePermissions<'_> {
        GetChannelRolePermissions {
            client: self,
            channel_id,
            role_id,
        }
    }
}
