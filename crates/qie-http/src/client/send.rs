//! The request loop: rate limit, token, send, classify, retry.

use std::time::Duration;

use qie_model::secret::AccessToken;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use reqwest::multipart::{Form, Part};
use reqwest::{RequestBuilder, Url};
use tokio::time::Instant;
use tracing::{Instrument, field};

use super::Client;
use crate::codes::CodeClass;
use crate::error::{Error, ErrorKind};
use crate::ratelimit::RateLimitKey;
use crate::request::core::Target;
use crate::request::{Body, Replay, Request};
use crate::response::{self, Outcome};
use crate::transport::{self, Exchange};

/// Header naming the bot on every OpenAPI call (sent by the official SDKs, not required).
static UNION_APPID: HeaderName = HeaderName::from_static("x-union-appid");

/// Counters of one request's attempts.
#[derive(Default)]
struct Attempts {
    retries: u32,
    rate_limit_retries: u32,
    token_replayed: bool,
    system_error_retried: bool,
    /// Whether an earlier attempt may have reached the platform.
    maybe_delivered: bool,
}

impl Client {
    /// Sends `request` until it succeeds or fails for good, and returns the success response.
    pub(crate) async fn send(&self, request: Request) -> Result<Exchange, Error> {
        // An info span, so the info events of retries and waits carry the route.
        let span = tracing::info_span!(
            "qie_http.request",
            method = %request.route.method(),
            route = %request.route.template(),
            trace_id = field::Empty,
            status = field::Empty,
        );

        self.send_in_span(request).instrument(span).await
    }

    async fn send_in_span(&self, request: Request) -> Result<Exchange, Error> {
        let key = RateLimitKey {
            app_id: self.app_id().clone(),
            route: request.route.clone(),
            conversation: request.conversation.clone(),
            traffic: request.traffic,
        };
        let authenticated = matches!(request.target, Target::Api { .. });
        let url = self.url(&request)?;
        let timeout = request
            .timeout
            .unwrap_or_else(|| self.inner.config.request_timeout());
        let mut attempts = Attempts::default();

        loop {
            let wait_started = Instant::now();
            self.inner.limiter.acquire(&key).await;
            let waited = wait_started.elapsed();
            // Taking a free token takes microseconds; only a real wait is worth a line.
            if waited >= Duration::from_millis(1) {
                tracing::info!(
                    waited_ms = millis(waited),
                    "waited for the client-side rate limit"
                );
            }

            let token = if authenticated {
                Some(self.inner.token.token().await?)
            } else {
                None
            };

            let builder = self.build(&request, url.clone(), token.as_ref())?;
            let result = transport::exchange(builder, timeout).await;

            let exchange = match result {
                Ok(exchange) => exchange,
                Err(error) => {
                    self.retry_transport_failure(&request, &mut attempts, error)
                        .await?;
                    continue;
                }
            };

            let span = tracing::Span::current();
            span.record("status", exchange.status.as_u16());
            if let Some(trace_id) = exchange.trace_id() {
                span.record("trace_id", trace_id.as_str());
            }
            tracing::trace!(body = %String::from_utf8_lossy(&exchange.body), "response body");

            let api_error = match response::classify(&exchange, request.creates_message) {
                Outcome::Success => {
                    tracing::debug!("request succeeded");
                    return Ok(exchange);
                }
                Outcome::PendingAudit(error) => {
                    tracing::debug!("message held for audit");
                    return Err(error);
                }
                Outcome::Failure(api_error) => api_error,
            };

            match api_error.class() {
                CodeClass::TokenInvalid if authenticated && !attempts.token_replayed => {
                    attempts.token_replayed = true;
                    if let Some(token) = &token {
                        self.inner.token.invalidate(token);
                    }
                    tracing::info!(
                        code = api_error.code(),
                        "access token rejected; refetching it and replaying the request once"
                    );
                }
                CodeClass::RateLimited => {
                    let wait = self
                        .inner
                        .retry
                        .rate_limit_wait(attempts.rate_limit_retries, api_error.retry_after());
                    let Some(wait) = wait.filter(|_| {
                        attempts.rate_limit_retries < self.inner.retry.rate_limit_retries()
                    }) else {
                        return Err(Error::new(ErrorKind::Api(Box::new(api_error))));
                    };

                    attempts.rate_limit_retries += 1;
                    tracing::info!(
                        code = api_error.code(),
                        status = api_error.status().as_u16(),
                        wait_ms = millis(wait),
                        retry = attempts.rate_limit_retries,
                        "rate limited by the platform; waiting before retrying"
                    );
                    self.inner.limiter.rate_limited(&key, wait).await;
                }
                CodeClass::Transient
                    if request.replay != Replay::Unsafe
                        && attempts.retries < self.inner.retry.retries() =>
                {
                    let delay = self.inner.retry.backoff(attempts.retries);
                    attempts.retries += 1;
                    attempts.maybe_delivered = true;
                    tracing::info!(
                        code = api_error.code(),
                        status = api_error.status().as_u16(),
                        delay_ms = millis(delay),
                        retry = attempts.retries,
                        "transient platform error; retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                // These system errors come from checks that run before the request takes
                // effect, so one repeat is safe for every method. The platform documents no more.
                CodeClass::RetryOnce if !attempts.system_error_retried => {
                    attempts.system_error_retried = true;
                    let delay = self.inner.retry.backoff(0);
                    tracing::info!(
                        code = api_error.code(),
                        delay_ms = millis(delay),
                        "platform system error; retrying once"
                    );
                    tokio::time::sleep(delay).await;
                }
                CodeClass::DuplicateSeq
                    if request.replay == Replay::Sequenced && attempts.maybe_delivered =>
                {
                    return Err(Error::new(ErrorKind::DeliveryUnconfirmed {
                        trace_id: api_error.trace_id().map(str::to_owned),
                    }));
                }
                _ => return Err(Error::new(ErrorKind::Api(Box::new(api_error)))),
            }
        }
    }

    /// Decides whether a failed exchange is retried; sleeps the backoff when it is.
    async fn retry_transport_failure(
        &self,
        request: &Request,
        attempts: &mut Attempts,
        error: Error,
    ) -> Result<(), Error> {
        let before_send = matches!(error.kind(), ErrorKind::Transport { before_send: true });
        let retryable = before_send || request.replay != Replay::Unsafe;

        if !retryable || attempts.retries >= self.inner.retry.retries() {
            return Err(error);
        }

        let delay = self.inner.retry.backoff(attempts.retries);
        attempts.retries += 1;
        attempts.maybe_delivered |= !before_send;
        tracing::info!(
            error = %error,
            delay_ms = millis(delay),
            retry = attempts.retries,
            "request failed; retrying"
        );
        tokio::time::sleep(delay).await;

        Ok(())
    }

    fn url(&self, request: &Request) -> Result<Url, Error> {
        let mut url = match &request.target {
            Target::Api { segments } => {
                let mut url = self.inner.config.api_base().clone();
                url.path_segments_mut()
                    .map_err(|()| {
                        Error::new(ErrorKind::Config {
                            message: "the API base URL cannot carry a path".into(),
                        })
                    })?
                    .pop_if_empty()
                    .extend(segments);
                url
            }
            Target::Absolute(url) => url.clone(),
        };

        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(
                request
                    .query
                    .iter()
                    .map(|(name, value)| (name.as_ref(), value)),
            );
        }

        Ok(url)
    }

    fn build(
        &self,
        request: &Request,
        url: Url,
        token: Option<&AccessToken>,
    ) -> Result<RequestBuilder, Error> {
        let mut builder = self.inner.http.request(request.route.method().clone(), url);

        if let Some(token) = token {
            let mut authorization = HeaderValue::try_from(format!("QQBot {}", token.expose()))
                .map_err(|_| {
                    Error::new(ErrorKind::Config {
                        message: "the access token contains characters not allowed in a header"
                            .into(),
                    })
                })?;
            authorization.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, authorization);

            let app_id = HeaderValue::try_from(self.app_id().as_str()).map_err(|_| {
                Error::new(ErrorKind::Config {
                    message: "the AppID contains characters not allowed in a header".into(),
                })
            })?;
            builder = builder.header(&UNION_APPID, app_id);
        }

        builder = match &request.body {
            Body::Empty => builder,
            Body::Json(bytes) => {
                tracing::trace!(body = %String::from_utf8_lossy(bytes), "request body");
                builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(bytes.clone())
            }
            Body::Multipart(parts) => builder.multipart(multipart_form(parts)?),
            Body::Bytes {
                content_type,
                bytes,
            } => {
                let builder = match content_type {
                    Some(content_type) => {
                        builder.header(CONTENT_TYPE, HeaderValue::from_static(content_type))
                    }
                    None => builder,
                };
                builder.body(bytes.clone())
            }
        };

        Ok(builder)
    }
}

fn multipart_form(parts: &[crate::request::core::MultipartPart]) -> Result<Form, Error> {
    let mut form = Form::new();

    for part in parts {
        let mut built = Part::bytes(part.bytes.to_vec())
            .mime_str(part.content_type)
            .map_err(|source| {
                Error::with_source(
                    ErrorKind::Validation {
                        message: format!("invalid content type {:?}", part.content_type).into(),
                    },
                    source,
                )
            })?;
        if let Some(file_name) = &part.file_name {
            built = built.file_name(file_name.clone());
        }
        form = form.part(part.name, built);
    }

    Ok(form)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
