use crate::client::Client;
use crate::error::Error;
use crate::model::Schedule;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::GET,
    "/channels/{channel_id}/schedules/{schedule_id}",
);

/// `GET /channels/{channel_id}/schedules/{schedule_id}`: one schedule.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetSchedule<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    schedule_id: String,
}

impl GetSchedule<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(
            ROUTE,
            &[self.channel_id.as_str(), self.schedule_id.as_str()],
        )?;

        Ok(request)
    }
}

into_future!(GetSchedule, Schedule, crate::response::json);

impl Client {
    /// Gets one schedule.
    ///
    /// `GET /channels/{channel_id}/schedules/{schedule_id}`
    pub fn get_schedule(&self, channel_id: ChannelId, schedule_id: &str) -> GetSchedule<'_> {
        GetSchedule {
            client: self,
            channel_id,
            schedule_id: schedule_id.to_owned(),
        }
    }
}
