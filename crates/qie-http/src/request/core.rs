//! The request every builder produces, and the helpers builders share.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use reqwest::{Method, Url};
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::route::{Conversation, Route, Traffic};

/// Whether a request may be sent again after a failure that may have reached the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Repeating it has the same effect as sending it once (GET, PUT, DELETE).
    Idempotent,
    /// A message send carrying `msg_seq`: the platform de-duplicates a repeat (40054005).
    Sequenced,
    /// A repeat could act twice (a POST creating something).
    Unsafe,
}

/// A request body.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    /// No body.
    Empty,
    /// A JSON body.
    Json(Bytes),
    /// A `multipart/form-data` body, rebuilt for each attempt.
    Multipart(Vec<MultipartPart>),
    /// Raw bytes with a content type (presigned uploads).
    Bytes {
        content_type: Option<&'static str>,
        bytes: Bytes,
    },
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
pub(crate) struct MultipartPart {
    pub(crate) name: &'static str,
    pub(crate) bytes: Bytes,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: &'static str,
}

/// Where a request goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A path under the API base URL, sent with the access token.
    Api { segments: Vec<String> },
    /// An absolute URL (a presigned upload URL), sent without platform headers.
    Absolute(Url),
}

/// A request ready to be sent by the client.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub(crate) route: Route,
    pub(crate) target: Target,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) body: Body,
    pub(crate) conversation: Option<Conversation>,
    pub(crate) traffic: Traffic,
    pub(crate) replay: Replay,
    pub(crate) timeout: Option<Duration>,
    /// Whether a 201/202 body with a message audit is expected (message sends).
    pub(crate) creates_message: bool,
}

impl Request {
    /// Builds a request for `route`, filling the `{…}` placeholders of its template with
    /// `params` in order.
    ///
    /// Each parameter becomes one percent-encoded path segment. An empty parameter is rejected,
    /// because it would address a different endpoint.
    pub(crate) fn new(route: Route, params: &[&str]) -> Result<Self, Error> {
        let segments = fill_template(route.template(), params)?;
        let replay = match *route.method() {
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD => Replay::Idempotent,
            _ => Replay::Unsafe,
        };

        Ok(Self {
            route,
            target: Target::Api { segments },
            query: Vec::new(),
            body: Body::Empty,
            conversation: None,
            traffic: Traffic::Other,
            replay,
            timeout: None,
            creates_message: false,
        })
    }

    /// Builds a request from already split path segments (the escape hatch).
    pub(crate) fn from_segments(route: Route, segments: Vec<String>) -> Self {
        let replay = match *route.method() {
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD => Replay::Idempotent,
            _ => Replay::Unsafe,
        };

        Self {
            route,
            target: Target::Api { segments },
            query: Vec::new(),
            body: Body::Empty,
            conversation: None,
            traffic: Traffic::Other,
            replay,
            timeout: None,
            creates_message: false,
        }
    }

    /// Builds an unauthenticated request to an absolute URL (presigned uploads).
    pub(crate) fn absolute(route: Route, url: Url) -> Self {
        let replay = if *route.method() == Method::POST {
            Replay::Unsafe
        } else {
            Replay::Idempotent
        };

        Self {
            route,
            target: Target::Absolute(url),
            query: Vec::new(),
            body: Body::Empty,
            conversation: None,
            traffic: Traffic::Other,
            replay,
            timeout: None,
            creates_message: false,
        }
    }

    /// Sets a JSON body.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|source| {
            Error::with_source(
                ErrorKind::Validation {
                    message: "failed to encode the request body as JSON".into(),
                },
                source,
            )
        })?;
        self.body = Body::Json(Bytes::from(bytes));

        Ok(self)
    }

    /// Adds a query parameter.
    pub(crate) fn query(mut self, name: &'static str, value: &impl ToString) -> Self {
        self.query.push((Cow::Borrowed(name), value.to_string()));
        self
    }

    /// Adds a query parameter when `value` is present.
    pub(crate) fn query_opt(self, name: &'static str, value: Option<&impl ToString>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Sets the conversation for per-conversation rate limits.
    pub(crate) fn conversation(mut self, conversation: Conversation) -> Self {
        self.conversation = Some(conversation);
        self
    }

    /// Sets the traffic class.
    pub(crate) fn traffic(mut self, traffic: Traffic) -> Self {
        self.traffic = traffic;
        self
    }

    /// Sets the replay rule.
    pub(crate) fn replay(mut self, replay: Replay) -> Self {
        self.replay = replay;
        self
    }

    /// Uses the upload timeout instead of the request timeout.
    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Marks the request as a message send (audit bodies become `PendingAudit`).
    pub(crate) fn creates_message(mut self) -> Self {
        self.creates_message = true;
        self
    }
}

/// Splits `template` into path segments, replacing each `{name}` segment with the next
/// parameter.
fn fill_template(template: &str, params: &[&str]) -> Result<Vec<String>, Error> {
    let mut params = params.iter();
    let mut segments = Vec::new();

    for segment in template.split('/').filter(|segment| !segment.is_empty()) {
        let Some(name) = segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        else {
            segments.push(segment.to_owned());
            continue;
        };

        let Some(value) = params.next() else {
            return Err(Error::validation(format!(
                "{template}: no value given for path parameter {name}"
            )));
        };
        if value.is_empty() {
            return Err(Error::validation(format!(
                "{name} is empty; pass the id from the event or API response"
            )));
        }
        segments.push((*value).to_owned());
    }

    if params.next().is_some() {
        return Err(Error::validation(format!(
            "{template}: more path parameters given than the route has"
        )));
    }

    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_is_filled_in_order() {
        let segments = fill_template(
            "/channels/{channel_id}/messages/{message_id}",
            &["55", "abc"],
        )
        .unwrap();

        assert_eq!(segments, ["channels", "55", "messages", "abc"]);
    }

    #[test]
    fn empty_parameter_is_rejected() {
        let error = fill_template("/channels/{channel_id}", &[""]).unwrap_err();

        assert!(error.to_string().contains("channel_id is empty"), "{error}");
    }

    #[test]
    fn parameter_count_must_match() {
        assert!(fill_template("/channels/{channel_id}", &[]).is_err());
        assert!(fill_template("/channels/{channel_id}", &["1", "2"]).is_err());
    }

    #[test]
    fn idempotency_follows_method() {
        let get = Request::new(Route::new(Method::GET, "/users/@me"), &[]).unwrap();
        let post = Request::new(Route::new(Method::POST, "/users/@me/dms"), &[]).unwrap();

        assert_eq!(get.replay, Replay::Idempotent);
        assert_eq!(post.replay, Replay::Unsafe);
    }
}
