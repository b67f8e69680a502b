use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(
    Method::DELETE,
    "/channels/{channel_id}/schedules/{schedule_id}",
);

/// `DELETE /channels/{channel_id}/schedules/{schedule_id}`: deletes a schedule.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct DeleteSchedule<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    schedule_id: String,
}

impl DeleteSchedule<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(
            ROUTE,
            &[self.channel_id.as_str(), self.schedule_id.as_str()],
        )?;

        Ok(request)
    }
}

into_future!(DeleteSchedule, (), crate::response::empty);

impl Client {
    /// Deletes a schedule.
    ///
    /// `DELETE /channels/{channel_id}/schedules/{schedule_id}`
    pub fn delete_schedule(&self, channel_id: ChannelId, schedule_id: &str) -> DeleteSchedule<'_> {
        DeleteSchedule {
            client: self,
            channel_id,
            schedule_id: schedule_id.to_owned(),
        }
    }
}
