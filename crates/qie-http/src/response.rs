//! Response futures, body decoding and error-body parsing.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use qie_model::error::ApiErrorBody;
use qie_model::id::AuditId;
use reqwest::header::RETRY_AFTER;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::codes::is_pending_audit;
use crate::error::{ApiError, BodyKind, Error, ErrorKind};
use crate::request::Request;
use crate::transport::Exchange;

/// Maximum length, in characters, of the body excerpt kept in errors.
const EXCERPT_CHARS: usize = 200;

/// The future of a request: resolves to the typed response or an [`Error`].
///
/// Returned by the `IntoFuture` implementation of every request builder. It owns a clone of
/// the client, so it is `'static` and can be spawned.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<T> {
    inner: Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>,
}

impl<T: Send + 'static> ResponseFuture<T> {
    /// Sends `request` (or returns its validation error) and decodes the body with `decode`.
    pub(crate) fn new(
        client: Client,
        request: Result<Request, Error>,
        decode: fn(&Exchange) -> Result<T, Error>,
    ) -> Self {
        Self::from_future(async move {
            let exchange = client.send(request?).await?;

            decode(&exchange)
        })
    }

    /// Wraps any future (used by composite operations such as replies and chunked uploads).
    pub(crate) fn from_future(
        future: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Self {
        Self {
            inner: Box::pin(future),
        }
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(context)
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ResponseFuture")
            .finish_non_exhaustive()
    }
}

/// Decodes a JSON body into `T`.
pub(crate) fn json<T: DeserializeOwned>(exchange: &Exchange) -> Result<T, Error> {
    serde_json::from_slice(&exchange.body).map_err(|source| parse_error(exchange, source))
}

/// Ignores the body (204, `{}` or an empty 200).
#[allow(clippy::unnecessary_wraps)] // The signature every decoder shares.
pub(crate) fn empty(_exchange: &Exchange) -> Result<(), Error> {
    Ok(())
}

/// Keeps the body as raw JSON (`null` for an empty body).
pub(crate) fn raw_json(exchange: &Exchange) -> Result<qie_model::json::RawJson, Error> {
    if exchange.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(qie_model::json::RawJson::null());
    }

    qie_model::json::RawJson::from_text(String::from_utf8_lossy(&exchange.body).into_owned())
        .map_err(|source| parse_error(exchange, source))
}

/// Builds the error for a success body that does not decode.
pub(crate) fn parse_error(exchange: &Exchange, source: serde_json::Error) -> Error {
    Error::with_source(
        ErrorKind::Parse {
            status: exchange.status,
            trace_id: exchange.trace_id(),
            body_excerpt: excerpt(&exchange.body),
        },
        source,
    )
}

/// Classification of a response: success, error body or unreadable body.
pub(crate) enum Outcome {
    /// A success body for the endpoint to decode.
    Success,
    /// A message held for audit.
    PendingAudit(Error),
    /// An error body or status.
    Failure(ApiError),
}

/// Classifies a complete response.
///
/// A 2xx response is still a failure when its body is error-shaped (a non-zero `err_code`, or
/// a non-zero `code` with a `message`), and a held message when that code is 304023/304024.
pub(crate) fn classify(exchange: &Exchange, creates_message: bool) -> Outcome {
    let body = parse_error_body(&exchange.body);
    let code = body.as_ref().and_then(decisive_code);

    if exchange.status.is_success() {
        let error_shaped = body.as_ref().is_some_and(|body| {
            body.err_code.unwrap_or(0) != 0
                || (body.code.unwrap_or(0) != 0 && !body.message.is_empty())
        });
        let audit_id = body.as_ref().and_then(ApiErrorBody::audit_id).cloned();

        if let Some(code) = code.filter(|code| is_pending_audit(*code)) {
            return Outcome::PendingAudit(pending_audit(exchange, code, audit_id));
        }
        // The platform has also sent audit data on 200 bodies of message sends.
        if creates_message && audit_id.is_some() && !error_shaped {
            return Outcome::PendingAudit(pending_audit(exchange, 304_024, audit_id));
        }
        if !error_shaped {
            return Outcome::Success;
        }
    }

    Outcome::Failure(api_error(exchange, body))
}

fn pending_audit(exchange: &Exchange, code: u32, audit_id: Option<AuditId>) -> Error {
    Error::new(ErrorKind::PendingAudit {
        audit_id,
        code,
        trace_id: exchange.trace_id(),
    })
}

fn parse_error_body(body: &Bytes) -> Option<ApiErrorBody> {
    // Only a JSON object can be the platform's error body.
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }

    serde_json::from_slice(body).ok()
}

fn decisive_code(body: &ApiErrorBody) -> Option<u32> {
    // The 2026 documentation says to decide by `err_code`; older bodies only have `code`.
    body.err_code
        .filter(|code| *code != 0)
        .or(body.code)
        .filter(|code| *code != 0)
}

fn api_error(exchange: &Exchange, body: Option<ApiErrorBody>) -> ApiError {
    let header_trace_id = exchange.trace_id();
    let retry_after = retry_after(exchange);

    if let Some(body) = body {
        let code = decisive_code(&body);
        let legacy_code = body
            .code
            .filter(|legacy| Some(*legacy) != code && *legacy != 0);

        ApiError {
            status: exchange.status,
            code,
            legacy_code,
            message: (!body.message.is_empty()).then_some(body.message),
            trace_id: header_trace_id.or(body.trace_id),
            body_kind: BodyKind::Json,
            body_excerpt: None,
            retry_after,
        }
    } else {
        let (body_kind, message) = describe_foreign_body(&exchange.body);

        ApiError {
            status: exchange.status,
            code: None,
            legacy_code: None,
            message,
            trace_id: header_trace_id,
            body_kind,
            body_excerpt: (body_kind != BodyKind::Empty).then(|| excerpt(&exchange.body)),
            retry_after,
        }
    }
}

/// Describes a body that is not the platform's JSON: its kind, and for HTML its `<title>`.
fn describe_foreign_body(body: &[u8]) -> (BodyKind, Option<String>) {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();

    if trimmed.is_empty() {
        return (BodyKind::Empty, None);
    }

    if trimmed.starts_with('<') {
        let lower = trimmed.to_ascii_lowercase();
        let title = lower.find("<title>").and_then(|start| {
            let content_start = start + "<title>".len();
            let end = lower[content_start..].find("</title>")? + content_start;
            let title = collapse_whitespace(&trimmed[content_start..end]);
            (!title.is_empty()).then_some(title)
        });
        return (BodyKind::Html, title);
    }

    (BodyKind::Text, None)
}

fn retry_after(exchange: &Exchange) -> Option<Duration> {
    let value = exchange.headers.get(RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;

    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let collapsed = collapse_whitespace(&text);

    collapsed.chars().take(EXCERPT_CHARS).collect()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    fn exchange(status: u16, body: &str) -> Exchange {
        let mut headers = HeaderMap::new();
        headers.insert("X-Tps-trace-ID", HeaderValue::from_static("headertrace"));

        Exchange {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn failure(outcome: Outcome) -> ApiError {
        match outcome {
            Outcome::Failure(error) => error,
            Outcome::Success => panic!("expected a failure, got success"),
            Outcome::PendingAudit(error) => panic!("expected a failure, got {error:?}"),
        }
    }

    #[test]
    fn new_error_body_prefers_err_code() {
        let error = failure(classify(
            &exchange(
                400,
                r#"{"message":"token","code":11242,"err_code":40012002,"trace_id":"bodytrace"}"#,
            ),
            false,
        ));

        assert_eq!(error.code(), Some(40_012_002));
        assert_eq!(error.legacy_code(), Some(11_242));
        assert_eq!(error.trace_id(), Some("headertrace"));
        assert_eq!(error.message(), Some("token"));
    }

    #[test]
    fn docs_only_body_and_string_code() {
        let error = failure(classify(
            &exchange(
                400,
                r#"{"err_code":"40034005","msg":"expired","trace_id":"t"}"#,
            ),
            false,
        ));

        assert_eq!(error.code(), Some(40_034_005));
        assert_eq!(error.message(), Some("expired"));
    }

    #[test]
    fn html_body_keeps_title() {
        let error = failure(classify(
            &exchange(
                413,
                "<html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>",
            ),
            false,
        ));

        assert_eq!(error.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error.body_kind(), BodyKind::Html);
        assert_eq!(error.message(), Some("413 Request Entity Too Large"));
        assert_eq!(error.code(), None);
    }

    #[test]
    fn empty_body_is_described() {
        let error = failure(classify(&exchange(500, ""), false));

        assert_eq!(error.body_kind(), BodyKind::Empty);
        assert_eq!(error.body_excerpt(), None);
    }

    #[test]
    fn success_with_error_body_is_failure() {
        let error = failure(classify(
            &exchange(
                200,
                r#"{"code":11264,"message":"check guild auth not pass"}"#,
            ),
            false,
        ));

        assert_eq!(error.code(), Some(11_264));
    }

    #[test]
    fn audit_body_is_pending_audit() {
        let body = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/rest.error.push_audit.response.json"
        ))
        .unwrap();

        let Outcome::PendingAudit(error) = classify(&exchange(202, &body), true) else {
            panic!("expected a pending audit");
        };
        let ErrorKind::PendingAudit { audit_id, code, .. } = error.kind() else {
            panic!("wrong kind {error:?}");
        };
        assert_eq!(*code, 304_023);
        assert_eq!(
            audit_id.as_ref().map(AuditId::as_str),
            Some("0e5c3a1b-7d2f-4b8a-9c61-2f4e6a8b0c13")
        );
    }

    #[test]
    fn ordinary_success_bodies_pass() {
        for body in ["", "{}", r#"{"id":"1","code":0}"#, r#"[{"id":"1"}]"#] {
            assert!(
                matches!(classify(&exchange(200, body), false), Outcome::Success),
                "{body}"
            );
        }
    }
}
