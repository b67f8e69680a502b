use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::event::Member;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/channels/{channel_id}/voice/members");

/// `GET /channels/{channel_id}/voice/members`: members in a voice channel.
///
/// Undocumented: botpy marks it as in internal testing.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetVoiceMembers<'a> {
    client: &'a Client,
    channel_id: ChannelId,
}

impl GetVoiceMembers<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        Ok(request)
    }
}

into_future!(GetVoiceMembers, Vec<Member>, crate::response::json);

impl Client {
    /// Lists the members in a voice channel (undocumented).
    ///
    /// `GET /channels/{channel_id}/voice/members`
    pub fn get_voice_members(&self, channel_id: ChannelId) -> GetVoiceMembers<'_> {
        GetVoiceMembers {
            client: self,
            channel_id,
        }
    }
}
