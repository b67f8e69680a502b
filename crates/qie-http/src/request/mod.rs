//! Request builders, one per endpoint, in modules that mirror the API.
//!
//! Every builder is returned by a method of [`Client`](crate::Client), is `#[must_use]`, and
//! runs when awaited (`IntoFuture`). Setters never fail; invalid input is reported by the
//! `.await` as [`ErrorKind::Validation`](crate::ErrorKind::Validation), before anything is
//! sent.

pub mod gateway;

pub(crate) mod core;

pub(crate) use self::core::{Body, Replay, Request};
