use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Channel;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::PATCH, "/channels/{channel_id}");

#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<ChannelId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_type: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speak_permission: Option<u32>,
}

/// `PATCH /channels/{channel_id}`: changes a channel (private-domain bots); only the fields set are sent.
///
/// The platform emits CHANNEL_UPDATE.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateChannel<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    name: Option<String>,
    position: Option<i64>,
    parent_id: Option<ChannelId>,
    private_type: Option<u32>,
    speak_permission: Option<u32>,
}

impl UpdateChannel<'_> {
    /// Renames the channel.
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// Moves the channel.
    pub fn position(mut self, position: i64) -> Self {
        self.position = Some(position);
        self
    }

    /// Moves the channel to a category.
    pub fn parent(mut self, parent_id: ChannelId) -> Self {
        self.parent_id = Some(parent_id);
        self
    }

    /// Sets who can view the channel.
    pub fn private_type(mut self, private_type: u32) -> Self {
        self.private_type = Some(private_type);
        self
    }

    /// Sets who may speak.
    pub fn speak_permission(mut self, speak_permission: u32) -> Self {
        self.speak_permission = Some(speak_permission);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.name.is_none()
            && self.position.is_none()
            && self.parent_id.is_none()
            && self.private_type.is_none()
            && self.speak_permission.is_none()
        {
            return Err(Error::validation(
                "update_channel needs at least one field to change",
            ));
        }

        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        request.json(&Body {
            name: self.name,
            position: self.position,
            parent_id: self.parent_id,
            private_type: self.private_type,
            speak_permission: self.speak_permission,
        })
    }
}

into_future!(UpdateChannel, Channel, crate::response::json);

impl Client {
    /// Changes a channel; set at least one field.
    ///
    /// `PATCH /channels/{channel_id}`
    pub fn update_channel(&self, channel_id: ChannelId) -> UpdateChannel<'_> {
        UpdateChannel {
            client: self,
            channel_id,
            name: None,
            position: None,
            parent_id: None,
            private_type: None,
            speak_permission: None,
        }
    }
}
