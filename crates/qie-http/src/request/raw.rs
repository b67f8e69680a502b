//! The escape hatch: any method, path and body, with the client's token, rate limits, retries
//! and error handling.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::request::{Body, Replay, Request};
use crate::response::ResponseFuture;
use crate::route::{Conversation, Route, Traffic};
use crate::transport::Exchange;

/// Any request to the OpenAPI, for endpoints this crate does not cover yet.
///
/// The path is relative to the API base URL (`/v2/groups/…`), written without percent-encoding
/// (each segment is encoded when sent), with an optional `?query`. Rate limits are keyed by
/// [`route`](Self::route), which defaults to the path itself; name the template
/// (`/v2/things/{id}`) so that requests to different ids share a bucket. The request is
/// retried after network failures only when it is a GET, PUT or DELETE, or marked
/// [`idempotent`](Self::idempotent).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: qie_http::Client) -> Result<(), qie_http::Error> {
/// use reqwest::Method;
///
/// let response = client
///     .request(Method::GET, "/v2/groups/6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4/bot_state")
///     .route("/v2/groups/{group_openid}/bot_state")
///     .await?;
/// let state: serde_json::Value = response.json()?;
/// # let _ = state;
/// # Ok(()) }
/// ```
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct RawRequest<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    route: Option<String>,
    query: Vec<(String, String)>,
    body: Result<Body, Error>,
    conversation: Option<Conversation>,
    traffic: Traffic,
    idempotent: Option<bool>,
    timeout: Option<Duration>,
}

impl RawRequest<'_> {
    /// Names the route template used for rate limits and logs.
    pub fn route(mut self, template: &str) -> Self {
        self.route = Some(template.to_owned());
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.body = serde_json::to_vec(body)
            .map(|bytes| Body::Json(Bytes::from(bytes)))
            .map_err(|source| {
                Error::with_source(
                    ErrorKind::Validation {
                        message: "failed to encode the request body as JSON".into(),
                    },
                    source,
                )
            });
        self
    }

    /// Sets a raw body with a content type.
    pub fn body(mut self, content_type: &'static str, bytes: Bytes) -> Self {
        self.body = Ok(Body::Bytes {
            content_type: Some(content_type),
            bytes,
        });
        self
    }

    /// Sets the conversation for per-conversation rate limits.
    pub fn conversation(mut self, conversation: Conversation) -> Self {
        self.conversation = Some(conversation);
        self
    }

    /// Sets the traffic class ([`Traffic::Passive`] goes first in rate-limit queues).
    pub fn traffic(mut self, traffic: Traffic) -> Self {
        self.traffic = traffic;
        self
    }

    /// Declares whether repeating the request is harmless (default: true for GET, PUT and
    /// DELETE).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Overrides the request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let (path, inline_query) = match self.path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (self.path.as_str(), None),
        };
        if !path.starts_with('/') {
            return Err(Error::validation(format!(
                "path {path:?} must start with '/' (it is relative to the API base URL)"
            )));
        }

        let segments: Vec<String> = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(str::to_owned)
            .collect();
        let template = self.route.unwrap_or_else(|| path.to_owned());
        let mut request = Request::from_segments(Route::dynamic(self.method, template), segments);

        if let Some(query) = inline_query {
            for (name, value) in reqwest::Url::parse(&format!("http://query.invalid/?{query}"))
                .map_err(|error| Error::validation(format!("invalid query {query:?}: {error}")))?
                .query_pairs()
            {
                request
                    .query
                    .push((Cow::Owned(name.into_owned()), value.into_owned()));
            }
        }
        for (name, value) in self.query {
            request.query.push((Cow::Owned(name), value));
        }

        request.body = self.body?;
        request.conversation = self.conversation;
        request.traffic = self.traffic;
        if let Some(idempotent) = self.idempotent {
            request.replay = if idempotent {
                Replay::Idempotent
            } else {
                Replay::Unsafe
            };
        }
        request.timeout = self.timeout;

        Ok(request)
    }
}

/// The success response of a [`RawRequest`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RawResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// `X-Tps-trace-ID` of the response.
    pub trace_id: Option<String>,
    /// The body.
    pub body: Bytes,
}

impl RawResponse {
    /// Parses the body as JSON.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Parse`] when the body does not fit `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| {
            Error::with_source(
                ErrorKind::Parse {
                    status: self.status,
                    trace_id: self.trace_id.clone(),
                    body_excerpt: String::from_utf8_lossy(&self.body)
                        .chars()
                        .take(200)
                        .collect(),
                },
                source,
            )
        })
    }
}

#[allow(clippy::unnecessary_wraps)] // The signature every decoder shares.
fn raw_response(exchange: &Exchange) -> Result<RawResponse, Error> {
    Ok(RawResponse {
        status: exchange.status,
        trace_id: exchange.trace_id(),
        body: exchange.body.clone(),
    })
}

impl std::future::IntoFuture for RawRequest<'_> {
    type Output = Result<RawResponse, Error>;
    type IntoFuture = ResponseFuture<RawResponse>;

    fn into_future(self) -> Self::IntoFuture {
        let client = self.client.clone();
        let request = self.try_into_request();

        ResponseFuture::new(client, request, raw_response)
    }
}

impl Client {
    /// Sends any request with the client's token, rate limits, retries and error handling.
    ///
    /// `{method} {path}` (any endpoint)
    pub fn request(&self, method: Method, path: &str) -> RawRequest<'_> {
        RawRequest {
            client: self,
            method,
            path: path.to_owned(),
            route: None,
            query: Vec::new(),
            body: Ok(Body::Empty),
            conversation: None,
            traffic: Traffic::Other,
            idempotent: None,
            timeout: None,
        }
    }
}
