use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, GuildId};
use qie_model::json::RawJson;
use reqwest::Method;
use serde::Serialize;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/channels/{channel_id}/settingguide");

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

/// `POST /channels/{channel_id}/settingguide`: sends a message-settings guide into a channel.
///
/// Undocumented, seen in botgo; codes 304051/304052 relate to it. The response body is
/// returned as raw JSON.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateChannelSettingGuide<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    guild_id: GuildId,
    content: Option<String>,
}

impl CreateChannelSettingGuide<'_> {
    /// Sets the text shown with the guide.
    pub fn content(mut self, content: &str) -> Self {
        self.content = Some(content.to_owned());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        request.json(&SettingGuideBody {
            content: self.content,
            setting_guide: SettingGuide {
                guild_id: self.guild_id,
            },
        })
    }
}

into_future!(
    CreateChannelSettingGuide,
    RawJson,
    crate::response::raw_json
);

impl Client {
    /// Sends a guide to the guild's message settings into a channel.
    ///
    /// `POST /channels/{channel_id}/settingguide`
    pub fn create_channel_setting_guide(
        &self,
        channel_id: ChannelId,
        guild_id: GuildId,
    ) -> CreateChannelSettingGuide<'_> {
        CreateChannelSettingGuide {
            client: self,
            channel_id,
            guild_id,
            content: None,
        }
    }
}
