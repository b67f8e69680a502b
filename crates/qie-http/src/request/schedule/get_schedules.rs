use crate::client::Client;
use crate::error::Error;
use crate::model::Schedule;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/channels/{channel_id}/schedules");

#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<u64>,
}

/// `GET /channels/{channel_id}/schedules`: today's schedules, or those ending after `since`.
///
/// The platform reads `since` from a JSON body even on this GET, as documented.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetSchedules<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    since: Option<u64>,
}

impl GetSchedules<'_> {
    /// Lists schedules ending after `since` (Unix milliseconds).
    pub fn since(mut self, since: u64) -> Self {
        self.since = Some(since);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        if self.since.is_none() {
            return Ok(request);
        }

        request.json(&Body { since: self.since })
    }
}

into_future!(GetSchedules, Vec<Schedule>, crate::response::json);

impl Client {
    /// Lists a channel's schedules of today, or those ending after `.since(ms)`.
    ///
    /// `GET /channels/{channel_id}/schedules`
    pub fn get_schedules(&self, channel_id: ChannelId) -> GetSchedules<'_> {
        GetSchedules {
            client: self,
            channel_id,
            since: None,
        }
    }
}
