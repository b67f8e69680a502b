use super::validate_schedule;
use crate::client::Client;
use crate::error::Error;
use crate::model::Schedule;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::PATCH,
    "/channels/{channel_id}/schedules/{schedule_id}",
);

#[derive(serde::Serialize)]
struct Body {
    schedule: Schedule,
}

/// `PATCH /channels/{channel_id}/schedules/{schedule_id}`: replaces a schedule.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct UpdateSchedule<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    schedule_id: String,
    schedule: Schedule,
}

impl UpdateSchedule<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        validate_schedule(&self.schedule)?;

        let request = Request::new(
            ROUTE,
            &[self.channel_id.as_str(), self.schedule_id.as_str()],
        )?;

        request.json(&Body {
            schedule: self.schedule,
        })
    }
}

into_future!(UpdateSchedule, Schedule, crate::response::json);

impl Client {
    /// Replaces a schedule.
    ///
    /// `PATCH /channels/{channel_id}/schedules/{schedule_id}`
    pub fn update_schedule(
        &self,
        channel_id: ChannelId,
        schedule_id: &str,
        schedule: Schedule,
    ) -> UpdateSchedule<'_> {
        UpdateSchedule {
            client: self,
            channel_id,
            schedule_id: schedule_id.to_owned(),
            schedule,
        }
    }
}
