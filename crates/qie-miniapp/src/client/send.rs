//! Sending one call: URL, body, retries, token renewal and the error envelope.

use std::time::Duration;

use reqwest::{Method, Url, header};
use serde::Deserialize;
use serde_json::{Map, Value};
use tracing::Instrument as _;

use super::Inner;
use super::token::TokenGrant;
use crate::envelope::Envelope;
use crate::error::{ApiCode, ApiError, Error, ErrorKind};
use crate::secret::AccessToken;

/// The endpoints of `api.q.qq.com` this crate calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Code2Session,
    GetToken,
    MsgSecCheck,
    ImgSecCheck,
    MediaCheckAsync,
    SendSubscriptionMessage,
    #[cfg_attr(not(feature = "template-message"), allow(dead_code))]
    TemplateSend,
    CreateMiniCode,
}

impl Endpoint {
    pub(crate) fn path(self) -> &'static str {
        match self {
            Self::Code2Session => "/sns/jscode2session",
            Self::GetToken => "/api/getToken",
            Self::MsgSecCheck => "/api/json/security/MsgSecCheck",
            Self::ImgSecCheck => "/api/json/security/ImgSecCheck",
            Self::MediaCheckAsync => "/api/json/security/MediaCheckAsync",
            Self::SendSubscriptionMessage => "/api/json/subscribe/SendSubscriptionMessage",
            Self::TemplateSend => "/api/json/template/send",
            Self::CreateMiniCode => "/api/json/qqa/CreateMiniCode",
        }
    }

    /// The name used in errors and logs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Code2Session => "jscode2session",
            Self::GetToken => "getToken",
            Self::MsgSecCheck => "MsgSecCheck",
            Self::ImgSecCheck => "ImgSecCheck",
            Self::MediaCheckAsync => "MediaCheckAsync",
            Self::SendSubscriptionMessage => "SendSubscriptionMessage",
            Self::TemplateSend => "template/send",
            Self::CreateMiniCode => "CreateMiniCode",
        }
    }

    fn method(self) -> Method {
        match self {
            Self::Code2Session | Self::GetToken => Method::GET,
            _ => Method::POST,
        }
    }

    /// Whether a timed-out attempt may be repeated: only for calls without side effects.
    fn retry_on_timeout(self) -> bool {
        matches!(self, Self::GetToken)
    }
}

/// The body of a call.
#[derive(Clone)]
pub(crate) enum Payload {
    Empty,
    Json(Value),
    /// The multipart form of `ImgSecCheck`: an `appid` text field and a `media` file.
    Image {
        media: Vec<u8>,
        file_name: String,
        content_type: String,
    },
}

/// One call: endpoint, query parameters and body. The query may hold secrets, so the type has
/// no `Debug`.
pub(crate) struct Call {
    pub(crate) endpoint: Endpoint,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) payload: Payload,
}

impl Call {
    pub(crate) fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            query: Vec::new(),
            payload: Payload::Empty,
        }
    }

    pub(crate) fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    pub(crate) fn json(mut self, body: Value) -> Self {
        self.payload = Payload::Json(body);
        self
    }
}

/// A response that arrived: status, content type, body, and the body as a JSON object when it
/// is one.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) endpoint: Endpoint,
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
    pub(crate) json: Option<Map<String, Value>>,
}

impl Reply {
    /// The platform error carried by the body, if any.
    pub(crate) fn envelope(&self) -> Option<Envelope> {
        self.json.as_ref().and_then(Envelope::read)
    }

    /// Returns the JSON object of a successful response.
    ///
    /// # Errors
    ///
    /// The platform error in the body, an HTTP error status, or a body that is not an object.
    pub(crate) fn into_object(self) -> Result<Map<String, Value>, Error> {
        let endpoint = self.endpoint.name();
        if let Some(envelope) = self.envelope() {
            return Err(api_error(endpoint, envelope));
        }
        if !(200..300).contains(&self.status) {
            return Err(Error::new(ErrorKind::Status {
                endpoint,
                status: self.status,
            }));
        }

        self.json.ok_or_else(|| {
            Error::new(ErrorKind::Decode {
                endpoint,
                detail: format!(
                    "expected a JSON object, got {} bytes of {:?}",
                    self.body.len(),
                    self.content_type
                ),
            })
        })
    }

    /// Deserializes a successful response.
    pub(crate) fn decode<T: for<'de> Deserialize<'de>>(self) -> Result<T, Error> {
        let endpoint = self.endpoint.name();
        let object = self.into_object()?;

        T::deserialize(Value::Object(object)).map_err(|source| {
            tracing::warn!(endpoint, error = %source, "malformed platform response");
            Error::with_source(
                ErrorKind::Decode {
                    endpoint,
                    detail: source.to_string(),
                },
                source,
            )
        })
    }
}

pub(crate) fn api_error(endpoint: &'static str, envelope: Envelope) -> Error {
    Error::new(ErrorKind::Api(ApiError::new(
        endpoint,
        envelope.code,
        envelope.message,
    )))
}

/// Why an attempt failed, and whether repeating it is safe.
struct Failure {
    error: Error,
    retryable: bool,
}

impl Inner {
    /// Sends a call that needs no access token, with retries.
    pub(crate) async fn send(&self, call: &Call) -> Result<Reply, Error> {
        self.send_with(call, None).await
    }

    /// Sends a call with the cached access token. When the platform rejects the token, drops it,
    /// fetches a new one and sends once more.
    pub(crate) async fn send_authorized(&self, call: &Call) -> Result<Reply, Error> {
        let token = self.tokens.get(|| self.fetch_token()).await?;
        let reply = self.send_with(call, Some(&token)).await?;

        let rejected = reply
            .envelope()
            .is_some_and(|envelope| ApiCode::from_raw(envelope.code).is_token_rejected());
        if !rejected {
            return Ok(reply);
        }

        tracing::info!(
            endpoint = call.endpoint.name(),
            "access token rejected; fetching a new one"
        );
        self.tokens.invalidate(&token).await;
        let token = self.tokens.get(|| self.fetch_token()).await?;

        self.send_with(call, Some(&token)).await
    }

    /// Fetches a new access token (`GET /api/getToken`).
    pub(crate) async fn fetch_token(&self) -> Result<TokenGrant, Error> {
        let call = Call::new(Endpoint::GetToken)
            .query("grant_type", "client_credential")
            .query("appid", self.appid.as_str())
            .query("secret", self.secret.expose());
        let object = self.send(&call).await?.into_object()?;

        TokenGrant::from_object(&object)
    }

    async fn send_with(&self, call: &Call, token: Option<&AccessToken>) -> Result<Reply, Error> {
        let endpoint = call.endpoint;
        let span = tracing::debug_span!(
            "miniapp_request",
            endpoint = endpoint.name(),
            route = endpoint.path()
        );

        async move {
            let mut retry = 0;
            loop {
                let (outcome, retryable) = match self.attempt(call, token).await {
                    Ok(reply) => {
                        let busy = reply.envelope().is_some_and(|envelope| envelope.code == -1)
                            || matches!(reply.status, 502..=504);
                        (Ok(reply), busy)
                    }
                    Err(failure) => (Err(failure.error), failure.retryable),
                };

                if !retryable || retry >= self.retry.max_retries {
                    return outcome;
                }

                retry += 1;
                let delay = self.retry.delay(retry);
                tracing::info!(
                    retry,
                    delay_ms = delay_millis(delay),
                    "transient failure; retrying"
                );
                tokio::time::sleep(delay).await;
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt(&self, call: &Call, token: Option<&AccessToken>) -> Result<Reply, Failure> {
        let endpoint = call.endpoint;
        let url = self.url(call, token);
        let mut request = self.http.request(endpoint.method(), url);

        request = match &call.payload {
            Payload::Empty => request,
            Payload::Json(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.to_string()),
            Payload::Image {
                media,
                file_name,
                content_type,
            } => {
                let part = reqwest::multipart::Part::bytes(media.clone())
                    .file_name(file_name.clone())
                    .mime_str(content_type)
                    .map_err(|source| Failure {
                        error: Error::with_source(
                            ErrorKind::InvalidInput {
                                message: format!("{content_type:?} is not a valid content type"),
                            },
                            source.without_url(),
                        ),
                        retryable: false,
                    })?;
                let form = reqwest::multipart::Form::new()
                    .text("appid", self.appid.as_str().to_owned())
                    .part("media", part);
                request.multipart(form)
            }
        };

        let response = request.send().await.map_err(|source| {
            let retryable =
                source.is_connect() || (source.is_timeout() && endpoint.retry_on_timeout());
            // The URL carries secrets in its query string.
            let source = source.without_url();
            tracing::debug!(error = %source, retryable, "request failed");
            Failure {
                error: Error::with_source(
                    ErrorKind::Transport {
                        endpoint: endpoint.name(),
                    },
                    source,
                ),
                retryable,
            }
        })?;

        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.bytes().await.map_err(|source| Failure {
            error: Error::with_source(
                ErrorKind::Transport {
                    endpoint: endpoint.name(),
                },
                source.without_url(),
            ),
            retryable: endpoint.retry_on_timeout(),
        })?;

        let json = parse_object(&content_type, &body);
        tracing::debug!(status, bytes = body.len(), "response received");

        Ok(Reply {
            endpoint,
            status,
            content_type,
            body: body.to_vec(),
            json,
        })
    }

    fn url(&self, call: &Call, token: Option<&AccessToken>) -> Url {
        let mut url = self.base_url.clone();
        let path = format!(
            "{}{}",
            url.path().trim_end_matches('/'),
            call.endpoint.path()
        );
        url.set_path(&path);

        {
            let mut pairs = url.query_pairs_mut();
            pairs.clear();
            if let Some(token) = token {
                pairs.append_pair("access_token", token.expose());
            }
            for (name, value) in &call.query {
                pairs.append_pair(name, value);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }

        url
    }
}

/// Parses a body as a JSON object when it is JSON by content type or by its first byte.
fn parse_object(content_type: &str, body: &[u8]) -> Option<Map<String, Value>> {
    let looks_like_json = content_type.contains("json")
        || body
            .iter()
            .find(|byte| !byte.is_ascii_whitespace())
            .is_some_and(|byte| *byte == b'{');
    if !looks_like_json {
        return None;
    }

    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Some(object),
        _ => None,
    }
}

fn delay_millis(delay: Duration) -> u64 {
    u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)
}
