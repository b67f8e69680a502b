use super::validate_schedule;
use crate::client::Client;
use crate::error::Error;
use crate::model::Schedule;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/channels/{channel_id}/schedules");

#[derive(serde::Serialize)]
struct Body {
    schedule: Schedule,
}

/// `POST /channels/{channel_id}/schedules`: creates a schedule (the bot must be an admin).
///
/// The platform allows 10 schedules per admin and 100 per guild per day, each at most 7
/// days long.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateSchedule<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    schedule: Schedule,
}

impl CreateSchedule<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        validate_schedule(&self.schedule)?;

        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        request.json(&Body {
            schedule: self.schedule,
        })
    }
}

into_future!(CreateSchedule, Schedule, crate::response::json);

impl Client {
    /// Creates a schedule in a schedule channel.
    ///
    /// `POST /channels/{channel_id}/schedules`
    pub fn create_schedule(&self, channel_id: ChannelId, schedule: Schedule) -> CreateSchedule<'_> {
        CreateSchedule {
            client: self,
            channel_id,
            schedule,
        }
    }
}
