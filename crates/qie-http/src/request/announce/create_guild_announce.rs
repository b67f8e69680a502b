use crate::client::Client;
use crate::error::Error;
use crate::model::{AnnounceType, Announces, RecommendChannel};
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, GuildId, MessageId};
use reqwest::Method;
use serde::Serialize;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/guilds/{guild_id}/announces");

#[derive(Serialize)]
struct AnnounceBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_id: Option<ChannelId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<MessageId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    announces_type: Option<AnnounceType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recommend_channels: Option<Vec<RecommendChannel>>,
}

/// `POST /guilds/{guild_id}/announces`: creates a guild announcement.
///
/// With a message it is a message announcement (member type only); without one it is a
/// recommended-channels announcement (at most 3 channels visible to everyone) that replaces
/// the whole list. The two kinds replace each other.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateGuildAnnounce<'a> {
    client: &'a Client,
    guild_id: GuildId,
    message: Option<(ChannelId, MessageId)>,
    announces_type: Option<AnnounceType>,
    recommend_channels: Option<Vec<RecommendChannel>>,
}

impl CreateGuildAnnounce<'_> {
    /// Announces `message_id` of `channel_id`.
    pub fn message(mut self, channel_id: ChannelId, message_id: MessageId) -> Self {
        self.message = Some((channel_id, message_id));
        self
    }

    /// Sets the kind (member or welcome).
    pub fn announces_type(mut self, announces_type: AnnounceType) -> Self {
        self.announces_type = Some(announces_type);
        self
    }

    /// Recommends channels (at most 3).
    pub fn recommend_channels(mut self, recommend_channels: Vec<RecommendChannel>) -> Self {
        self.recommend_channels = Some(recommend_channels);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.message.is_none() && self.recommend_channels.is_none() {
            return Err(Error::validation(
                "an announcement needs .message(channel_id, message_id) or .recommend_channels(…)",
            ));
        }
        if let Some(channels) = &self.recommend_channels
            && channels.len() > 3
        {
            return Err(Error::validation(format!(
                "at most 3 recommended channels are allowed, got {}",
                channels.len()
            )));
        }

        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        request.json(&AnnounceBody {
            channel_id: self
                .message
                .as_ref()
                .map(|(channel_id, _)| channel_id.clone()),
            message_id: self.message.map(|(_, message_id)| message_id),
            announces_type: self.announces_type,
            recommend_channels: self.recommend_channels,
        })
    }
}

into_future!(CreateGuildAnnounce, Announces, crate::response::json);

impl Client {
    /// Creates a guild announcement: call `.message(…)` or `.recommend_channels(…)`.
    ///
    /// `POST /guilds/{guild_id}/announces`
    pub fn create_guild_announce(&self, guild_id: GuildId) -> CreateGuildAnnounce<'_> {
        CreateGuildAnnounce {
            client: self,
            guild_id,
            message: None,
            announces_type: None,
            recommend_channels: None,
        }
    }
}
