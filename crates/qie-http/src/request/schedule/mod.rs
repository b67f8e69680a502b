//! Schedules (日程) of schedule channels.

pub(crate) mod create_schedule;
pub(crate) mod delete_schedule;
pub(crate) mod get_schedule;
pub(crate) mod get_schedules;
pub(crate) mod update_schedule;

pub use self::create_schedule::CreateSchedule;
pub use self::delete_schedule::DeleteSchedule;
pub use self::get_schedule::GetSchedule;
pub use self::get_schedules::GetSchedules;
pub use self::update_schedule::UpdateSchedule;
use crate::error::Error;
use crate::model::Schedule;

/// Longest schedule the platform accepts: 7 days, in milliseconds.
const MAX_SCHEDULE_MILLIS: u64 = 7 * 24 * 60 * 60 * 1000;

/// Checks the name and the time span of a schedule.
fn validate_schedule(schedule: &Schedule) -> Result<(), Error> {
    crate::request::check_not_empty("schedule name", &schedule.name)?;

    if schedule.end_timestamp <= schedule.start_timestamp {
        return Err(Error::validation(format!(
            "schedule ends ({}) before it starts ({}); times are Unix milliseconds",
            schedule.end_timestamp, schedule.start_timestamp
        )));
    }
    if schedule.end_timestamp - schedule.start_timestamp > MAX_SCHEDULE_MILLIS {
        return Err(Error::validation(
            "schedule is longer than 7 days, the platform maximum",
        ));
    }

    Ok(())
}
