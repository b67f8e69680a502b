//! Wall-clock helpers for payload timestamps.
//!
//! Payload timestamps only need to look like the platform's (RFC 3339 in UTC+8, Unix seconds);
//! every rule that depends on elapsed time (token expiry, reply windows, rate limits, heartbeats)
//! uses `tokio::time::Instant` instead, so it follows tokio's paused clock in tests.

use std::time::{SystemTime, UNIX_EPOCH};

/// Offset of Beijing time from UTC, in seconds.
const CST_OFFSET_SECS: i64 = 8 * 3600;

/// Returns the current Unix time in seconds.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// Returns the current time as an RFC 3339 string with the `+08:00` offset.
pub(crate) fn now_rfc3339() -> String {
    rfc3339_cst(unix_now())
}

/// Formats Unix seconds as RFC 3339 in UTC+8, e.g. `2026-01-01T12:00:00+08:00`.
pub(crate) fn rfc3339_cst(unix_secs: i64) -> String {
    let local = unix_secs + CST_OFFSET_SECS;
    let days = local.div_euclid(86_400);
    let secs_of_day = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);

    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+08:00",
        secs_of_day / 3600,
        (secs_of_day % 3600) / 60,
        secs_of_day % 60
    )
}

/// Converts days since 1970-01-01 into a proleptic Gregorian (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);

    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::rfc3339_cst;

    #[test]
    fn formats_fixture_timestamp() {
        // 2026-01-01T12:00:00+08:00 is 2026-01-01T04:00:00Z.
        assert_eq!(rfc3339_cst(1_767_240_000), "2026-01-01T12:00:00+08:00");
        assert_eq!(rfc3339_cst(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(rfc3339_cst(951_782_400), "2000-02-29T08:00:00+08:00");
    }
}
