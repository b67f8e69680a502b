use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GuildId, RoleId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::DELETE, "/guilds/{guild_id}/roles/{role_id}");

/// `DELETE /guilds/{guild_id}/roles/{role_id}`: deletes a role.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteRole<'a> {
    client: &'a Client,
    guild_id: GuildId,
    role_id: RoleId,
}

impl DeleteRole<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.role_id.as_str()])?;

        Ok(request)
    }
}

into_future!(DeleteRole, (), crate::response::empty);

impl Client {
    /// Deletes a role.
    ///
    /// `DELETE /guilds/{guild_id}/roles/{role_id}`
    pub fn delete_role(&self, guild_id: GuildId, role_id: RoleId) -> DeleteRole<'_> {
        DeleteRole {
            client: self,
            guild_id,
            role_id,
        }
    }
}
