use crate::client::Client;
use crate::error::Error;
use crate::model::{ApiIdentify, ApiPermissionDemand};
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, GuildId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::POST, "/guilds/{guild_id}/api_permission/demand");

#[derive(serde::Serialize)]
struct Body {
    channel_id: ChannelId,
    api_identify: ApiIdentify,
    #[serde(skip_serializing_if = "Option::is_none")]
    desc: Option<String>,
}

/// `POST /guilds/{guild_id}/api_permission/demand`: posts an authorisation request for an API into a channel.
///
/// The platform allows 3 requests per guild per day.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateApiPermissionDemand<'a> {
    client: &'a Client,
    guild_id: GuildId,
    channel_id: ChannelId,
    api_identify: ApiIdentify,
    desc: Option<String>,
}

impl CreateApiPermissionDemand<'_> {
    /// Explains why the bot needs the API.
    pub fn desc(mut self, desc: &str) -> Self {
        self.desc = Some(desc.to_owned());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        request.json(&Body {
            channel_id: self.channel_id,
            api_identify: self.api_identify,
            desc: self.desc,
        })
    }
}

into_future!(
    CreateApiPermissionDemand,
    ApiPermissionDemand,
    crate::response::json
);

impl Client {
    /// Asks the guild's admins, in `channel_id`, to authorise `api`.
    ///
    /// `POST /guilds/{guild_id}/api_permission/demand`
    pub fn create_api_permission_demand(
        &self,
        guild_id: GuildId,
        channel_id: ChannelId,
        api_identify: ApiIdentify,
    ) -> CreateApiPermissionDemand<'_> {
        CreateApiPermissionDemand {
            client: self,
            guild_id,
            channel_id,
            api_identify,
            desc: None,
        }
    }
}
