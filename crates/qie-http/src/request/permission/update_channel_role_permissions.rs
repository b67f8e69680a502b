use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, RoleId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::PUT,
    "/channels/{channel_id}/roles/{role_id}/permissions",
);

#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    add: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remove: Option<String>,
}

/// `PUT /channels/{channel_id}/roles/{role_id}/permissions`: changes a role's permissions in a channel (not the manage bit).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateChannelRolePermissions<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    role_id: RoleId,
    add: Option<String>,
    remove: Option<String>,
}

impl UpdateChannelRolePermissions<'_> {
    /// Grants the bits of `bits` (1 view, 2 manage, 4 speak, 8 live stream).
    pub fn grant(mut self, bits: u64) -> Self {
        self.add = Some(bits.to_string());
        self
    }

    /// Revokes the bits of `bits`; a bit both granted and revoked ends up revoked.
    pub fn revoke(mut self, bits: u64) -> Self {
        self.remove = Some(bits.to_string());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.add.is_none() && self.remove.is_none() {
            return Err(Error::validation(
                "set the bits to grant or to revoke: call .grant(bits) or .revoke(bits)",
            ));
        }

        let request = Request::new(ROUTE, &[self.channel_id.as_str(), self.role_id.as_str()])?;

        request.json(&Body {
            add: self.add,
            remove: self.remove,
        })
    }
}

into_future!(UpdateChannelRolePermissions, (), crate::response::empty);

impl Client {
    /// Changes a role's permissions in a channel.
    ///
    /// `PUT /channels/{channel_id}/roles/{role_id}/permissions`
    pub fn update_channel_role_permissions(
        &self,
        channel_id: ChannelId,
        role_id: RoleId,
    ) -> UpdateChannelRolePermissions<'_> {
        UpdateChannelRolePermissions {
            client: self,
            channel_id,
            role_id,
            add: None,
            remove: None,
        }
    }
}
