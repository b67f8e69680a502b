//! Request builders, one per endpoint, in modules that mirror the API.
//!
//! Every builder is returned by a method of [`Client`](crate::Client), is `#[must_use]`, and
//! runs when awaited (`IntoFuture`). Setters never fail; invalid input is reported by the
//! `.await` as [`ErrorKind::Validation`](crate::ErrorKind::Validation), before anything is
//! sent. [`ENDPOINTS`] lists every route with the method that calls it.

pub mod announce;
pub mod api_permission;
pub mod audio;
pub mod channel;
pub mod direct_message;
pub mod file;
pub mod forum;
pub mod gateway;
pub mod group;
pub mod guild;
pub mod interaction;
pub mod media_image;
pub mod member;
pub mod menu;
pub mod message;
pub mod mute;
pub mod panel;
pub mod permission;
pub mod pin;
pub mod raw;
pub mod reaction;
pub mod role;
pub mod schedule;
pub mod user;

pub(crate) mod core;
mod endpoints;

pub(crate) use self::core::{Body, Replay, Request};
pub use self::endpoints::{ENDPOINTS, Endpoint};
use crate::error::Error;

/// Rejects a value outside `min..=max`.
pub(crate) fn check_range(name: &str, value: Option<u32>, min: u32, max: u32) -> Result<(), Error> {
    match value {
        Some(value) if !(min..=max).contains(&value) => Err(Error::validation(format!(
            "{name} must be between {min} and {max}, got {value}"
        ))),
        _ => Ok(()),
    }
}

/// Rejects more than `max` items.
pub(crate) fn check_count(name: &str, count: usize, max: usize) -> Result<(), Error> {
    if count > max {
        return Err(Error::validation(format!(
            "{name} has {count} items; the maximum is {max} per call"
        )));
    }

    Ok(())
}

/// Rejects text longer than `max` characters.
pub(crate) fn check_chars(name: &str, text: &str, max: usize) -> Result<(), Error> {
    let count = text.chars().count();
    if count > max {
        return Err(Error::validation(format!(
            "{name} has {count} characters; the maximum is {max}"
        )));
    }

    Ok(())
}

/// Rejects empty text.
pub(crate) fn check_not_empty(name: &str, text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(Error::validation(format!("{name} is empty")));
    }

    Ok(())
}
