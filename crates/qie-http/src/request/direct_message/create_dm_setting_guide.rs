use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{DmGuildId, GuildId};
use qie_model::json::RawJson;
use reqwest::Method;
use serde::Serialize;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/dms/{guild_id}/settingguide");

#[derive(Serialize)]
struct SettingGuideBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
    setting_guide: SettingGuide,
}

#[derive(Serialize)]
struct SettingGuide {
    guild_id: GuildId,
}

/// `POST /dms/{guild_id}/settingguide`: sends a message-settings guide into a DM session.
///
/// Undocumented, seen in botgo. The response body is returned as raw JSON.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateDmSettingGuide<'a> {
    client: &'a Client,
    guild_id: DmGuildId,
    source_guild_id: GuildId,
    content: Option<String>,
}

impl CreateDmSettingGuide<'_> {
    /// Sets the text shown with the guide.
    pub fn content(mut self, content: &str) -> Self {
        self.content = Some(content.to_owned());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        request.json(&SettingGuideBody {
            content: self.content,
            setting_guide: SettingGuide {
                guild_id: self.source_guild_id,
            },
        })
    }
}

into_future!(CreateDmSettingGuide, RawJson, crate::response::raw_json);

impl Client {
    /// Sends a guide to the guild's message settings into a DM session.
    ///
    /// `POST /dms/{guild_id}/settingguide`
    pub fn create_dm_setting_guide(
        &self,
        guild_id: DmGuildId,
        source_guild_id: GuildId,
    ) -> CreateDmSettingGuide<'_> {
        CreateDmSettingGuide {
            client: self,
            guild_id,
            source_guild_id,
            content: None,
        }
    }
}
