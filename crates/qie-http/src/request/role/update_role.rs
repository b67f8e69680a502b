use crate::client::Client;
use crate::error::Error;
use crate::model::UpdatedRole;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GuildId, RoleId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::PATCH, "/guilds/{guild_id}/roles/{role_id}");

#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hoist: Option<u32>,
}

/// `PATCH /guilds/{guild_id}/roles/{role_id}`: changes a role; only the fields set are sent.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateRole<'a> {
    client: &'a Client,
    guild_id: GuildId,
    role_id: RoleId,
    name: Option<String>,
    color: Option<u32>,
    hoist: Option<u32>,
}

impl UpdateRole<'_> {
    /// Sets the name.
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// Sets the ARGB colour.
    pub fn color(mut self, color: u32) -> Self {
        self.color = Some(color);
        self
    }

    /// Shows members separately (1) or not (0).
    pub fn hoist(mut self, hoist: u32) -> Self {
        self.hoist = Some(hoist);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.name.is_none() && self.color.is_none() && self.hoist.is_none() {
            return Err(Error::validation(
                "set at least one of name, color and hoist",
            ));
        }
        if let Some(hoist) = self.hoist
            && hoist > 1
        {
            return Err(Error::validation(format!(
                "hoist must be 0 or 1, got {hoist}"
            )));
        }

        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.role_id.as_str()])?;

        request.json(&Body {
            name: self.name,
            color: self.color,
            hoist: self.hoist,
        })
    }
}

into_future!(UpdateRole, UpdatedRole, crate::response::json);

impl Client {
    /// Changes a role; set at least one of name, colour and hoist.
    ///
    /// `PATCH /guilds/{guild_id}/roles/{role_id}`
    pub fn update_role(&self, guild_id: GuildId, role_id: RoleId) -> UpdateRole<'_> {
        UpdateRole {
            client: self,
            guild_id,
            role_id,
            name: None,
            color: None,
            hoist: None,
        }
    }
}
