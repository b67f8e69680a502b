//! REST fault injection: failing calls and added latency.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Makes the next `count` REST calls fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RestFailure {
    /// Number of calls to fail.
    pub count: u32,
    /// HTTP status to answer with.
    pub status: u16,
    /// Platform error code of the body.
    pub code: u64,
    /// Message of the body.
    #[serde(default = "default_failure_message")]
    pub message: String,
    /// Only calls whose path starts with this prefix fail; `None` matches every REST call.
    #[serde(default)]
    pub path_prefix: Option<String>,
}

fn default_failure_message() -> String {
    "injected failure".to_owned()
}

impl RestFailure {
    /// Fails the next `count` calls with `status` and `code`.
    pub fn new(count: u32, status: u16, code: u64) -> Self {
        Self {
            count,
            status,
            code,
            message: default_failure_message(),
            path_prefix: None,
        }
    }

    /// Restricts the failure to paths starting with `prefix`.
    #[must_use]
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// Sets the body message.
    #[must_use]
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
}

/// Active REST faults.
#[derive(Debug, Default)]
pub(crate) struct RestFaults {
    pub(crate) failures: Vec<RestFailure>,
    pub(crate) latency: Duration,
}

impl RestFaults {
    /// Consumes one matching failure, if any.
    ///
    /// A failure without a path prefix does not apply to the token endpoint.
    pub(crate) fn take_failure(&mut self, path: &str, is_token: bool) -> Option<RestFailure> {
        let index = self.failures.iter().position(|failure| {
            failure.count > 0
                && match failure.path_prefix.as_deref() {
                    Some(prefix) => path.starts_with(prefix),
                    None => !is_token,
                }
        })?;
        let failure = &mut self.failures[index];
        failure.count -= 1;
        let taken = failure.clone();
        if failure.count == 0 {
            self.failures.remove(index);
        }

        Some(taken)
    }
}
