//! One HTTP exchange: send, read the whole body, map transport failures to [`Error`].

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};

use crate::error::{Error, ErrorKind};

/// Name of the response header carrying the platform's trace id.
pub(crate) const TRACE_ID_HEADER: &str = "x-tps-trace-id";

/// A complete response.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Exchange {
    /// Returns the `X-Tps-trace-ID` header, if present and printable.
    pub(crate) fn trace_id(&self) -> Option<String> {
        self.headers
            .get(TRACE_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    }
}

/// Sends `request` and reads the full body, all within `timeout`.
pub(crate) async fn exchange(
    request: RequestBuilder,
    timeout: Duration,
) -> Result<Exchange, Error> {
    let attempt = async {
        let response = request.send().await.map_err(map_reqwest_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(map_reqwest_error)?;

        Ok(Exchange {
            status,
            headers,
            body,
        })
    };

    match tokio::time::timeout(timeout, attempt).await {
        Ok(result) => result,
        Err(_) => Err(Error::new(ErrorKind::Timeout { timeout })),
    }
}

fn map_reqwest_error(error: reqwest::Error) -> Error {
    if error.is_connect() {
        return Error::with_source(
            ErrorKind::Transport { before_send: true },
            error.without_url(),
        );
    }

    Error::with_source(
        ErrorKind::Transport { before_send: false },
        error.without_url(),
    )
}
