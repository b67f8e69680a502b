use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::request::check_not_empty;
use crate::route::Route;
use qie_model::event::{Channel, ChannelSubType, ChannelType};
use qie_model::id::{ChannelId, GuildId, UserId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/guilds/{guild_id}/channels");

#[derive(serde::Serialize)]
struct Body {
    name: String,
    #[serde(rename = "type")]
    channel_type: ChannelType,
    position: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_type: Option<ChannelSubType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<ChannelId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_type: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_user_ids: Option<Vec<UserId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speak_permission: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    application_id: Option<String>,
}

/// `POST /guilds/{guild_id}/channels`: creates a channel (private-domain bots; the bot must be an admin).
///
/// The platform emits CHANNEL_CREATE. `position` starts at 1; for a category (type 4) it is
/// at least 2, because position 1 is the "ungrouped" category.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateChannel<'a> {
    client: &'a Client,
    guild_id: GuildId,
    name: String,
    channel_type: ChannelType,
    position: i64,
    sub_type: Option<ChannelSubType>,
    parent_id: Option<ChannelId>,
    private_type: Option<u32>,
    private_user_ids: Option<Vec<UserId>>,
    speak_permission: Option<u32>,
    application_id: Option<String>,
}

impl CreateChannel<'_> {
    /// Sets the sub-type of a text channel.
    pub fn sub_type(mut self, sub_type: ChannelSubType) -> Self {
        self.sub_type = Some(sub_type);
        self
    }

    /// Puts the channel in a category.
    pub fn parent(mut self, parent_id: ChannelId) -> Self {
        self.parent_id = Some(parent_id);
        self
    }

    /// Sets who can view the channel: 0 everyone, 1 owner and admins, 2 also `private_user_ids`.
    pub fn private_type(mut self, private_type: u32) -> Self {
        self.private_type = Some(private_type);
        self
    }

    /// Sets the members who see a private channel (`private_type` 2).
    pub fn private_user_ids(mut self, private_user_ids: Vec<UserId>) -> Self {
        self.private_user_ids = Some(private_user_ids);
        self
    }

    /// Sets who may speak: 1 everyone, 2 owner, admins and listed members.
    pub fn speak_permission(mut self, speak_permission: u32) -> Self {
        self.speak_permission = Some(speak_permission);
        self
    }

    /// Sets the application of an application channel (type 10006).
    pub fn application_id(mut self, application_id: &str) -> Self {
        self.application_id = Some(application_id.to_owned());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        check_not_empty("name", &self.name)?;
        if self.channel_type == ChannelType::Category && self.position < 2 {
            return Err(Error::validation(format!(
                "position of a category must be at least 2 (1 is the ungrouped category), got {}",
                self.position
            )));
        }

        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        request.json(&Body {
            name: self.name,
            channel_type: self.channel_type,
            position: self.position,
            sub_type: self.sub_type,
            parent_id: self.parent_id,
            private_type: self.private_type,
            private_user_ids: self.private_user_ids,
            speak_permission: self.speak_permission,
            application_id: self.application_id,
        })
    }
}

into_future!(CreateChannel, Channel, crate::response::json);

impl Client {
    /// Creates a channel of `channel_type` named `name` at `position`.
    ///
    /// `POST /guilds/{guild_id}/channels`
    pub fn create_channel(
        &self,
        guild_id: GuildId,
        name: &str,
        channel_type: ChannelType,
        position: i64,
    ) -> CreateChannel<'_> {
        CreateChannel {
            client: self,
            guild_id,
            name: name.to_owned(),
            channel_type,
            position,
            sub_type: None,
            parent_id: None,
            private_type: None,
            private_user_ids: None,
            speak_permission: None,
            application_id: None,
        }
    }
}
