//! The responses of the receiver: acknowledgements, validation responses and rejections.

use axum::body::Body;
use http::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use qie_model::webhook::ValidationResponse;

use crate::key::SignatureErrorKind;
use crate::stats::Counters;

/// Body of a successful acknowledgement (op 12, `d` 0).
pub(crate) const ACK_BODY: &[u8] = br#"{"op":12,"d":0}"#;

/// Body of a failed acknowledgement (op 12, `d` 1): the platform should send the event again.
pub(crate) const RETRY_BODY: &[u8] = br#"{"op":12,"d":1}"#;

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// HTTP 200 with `{"op":12,"d":0}`.
pub(crate) fn ack() -> Response<Body> {
    json(StatusCode::OK, Body::from(ACK_BODY))
}

/// HTTP 200 with the signed validation response.
pub(crate) fn validation(answer: &ValidationResponse) -> Response<Body> {
    // Serializing a struct of two strings cannot fail.
    let body = serde_json::to_vec(answer).unwrap_or_default();

    json(StatusCode::OK, Body::from(body))
}

fn json(status: StatusCode, body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, JSON);

    response
}

/// The reason a request was not accepted. Each variant maps to one status and one counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// Not a POST.
    MethodNotAllowed,
    /// Several bots share the receiver and `X-Bot-Appid` is missing.
    MissingAppId,
    /// `X-Bot-Appid` names no configured bot.
    UnknownBot,
    /// No signature headers on a request that needs them.
    MissingSignature,
    /// A signature header is repeated, not visible ASCII, or present without the other one, or
    /// the timestamp is not decimal digits.
    MalformedHeaders,
    /// The signature is malformed or does not verify.
    Signature(SignatureErrorKind),
    /// The timestamp is outside the freshness window.
    Stale,
    /// The body exceeds the limit.
    TooLarge,
    /// The body did not arrive within the body timeout.
    BodyTimeout,
    /// The connection failed while the body was read.
    BodyAborted,
    /// The body is not a frame.
    NotAFrame,
    /// A validation with an `event_ts` or `plain_token` outside the safe rule.
    UnsafeValidation,
    /// The queue stayed full for the enqueue timeout, or the event stream was dropped.
    Busy,
}

impl Rejection {
    pub(crate) fn status(self) -> StatusCode {
        match self {
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::MissingAppId
            | Self::MissingSignature
            | Self::MalformedHeaders
            | Self::Signature(SignatureErrorKind::Malformed | SignatureErrorKind::NonCanonical) => {
                StatusCode::UNAUTHORIZED
            }
            Self::UnknownBot | Self::Signature(_) | Self::Stale => StatusCode::FORBIDDEN,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::BodyAborted | Self::NotAFrame | Self::UnsafeValidation => StatusCode::BAD_REQUEST,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Returns a short reason for logs.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::MethodNotAllowed => "method not allowed",
            Self::MissingAppId => "missing X-Bot-Appid",
            Self::UnknownBot => "unknown X-Bot-Appid",
            Self::MissingSignature => "missing signature headers",
            Self::MalformedHeaders => "malformed signature headers",
            Self::Signature(SignatureErrorKind::Mismatch) => "signature mismatch",
            Self::Signature(_) => "malformed signature",
            Self::Stale => "timestamp outside the freshness window",
            Self::TooLarge => "body too large",
            Self::BodyTimeout => "body timed out",
            Self::BodyAborted => "body aborted",
            Self::NotAFrame => "body is not a frame",
            Self::UnsafeValidation => "unsafe validation request",
            Self::Busy => "event queue full",
        }
    }

    /// Returns the bilingual text of the response body.
    fn message(self) -> &'static str {
        match self {
            Self::MethodNotAllowed => "method not allowed, use POST / 请求方法无效，请使用 POST\n",
            Self::MissingAppId => "missing X-Bot-Appid / 缺少 X-Bot-Appid\n",
            Self::UnknownBot => "unknown X-Bot-Appid / 未知的 X-Bot-Appid\n",
            Self::MissingSignature => "missing signature headers / 缺少签名请求头\n",
            Self::MalformedHeaders | Self::Signature(_) => "invalid signature / 签名无效\n",
            Self::Stale => "timestamp expired / 时间戳已过期\n",
            Self::TooLarge => "body too large / 请求体过大\n",
            Self::BodyTimeout => "body timed out / 请求体读取超时\n",
            Self::BodyAborted | Self::NotAFrame => "invalid body / 请求体无效\n",
            Self::UnsafeValidation => {
                "invalid plain_token or event_ts / plain_token 或 event_ts 无效\n"
            }
            Self::Busy => "",
        }
    }

    /// Returns whether the rejection points at a configuration problem (wrong AppSecret, wrong
    /// AppID, skewed clock) that an operator should hear about.
    pub(crate) fn is_operator_concern(self) -> bool {
        matches!(
            self,
            Self::UnknownBot
                | Self::Signature(SignatureErrorKind::Mismatch)
                | Self::Stale
                | Self::Busy
        )
    }

    pub(crate) fn count(self, counters: &Counters) {
        let counter = match self {
            Self::MissingAppId
            | Self::MissingSignature
            | Self::MalformedHeaders
            | Self::Signature(SignatureErrorKind::Malformed | SignatureErrorKind::NonCanonical) => {
                &counters.unauthenticated
            }
            Self::Signature(_) => &counters.bad_signature,
            Self::UnknownBot => &counters.unknown_bot,
            Self::Stale => &counters.stale,
            Self::TooLarge => &counters.too_large,
            Self::MethodNotAllowed | Self::BodyTimeout | Self::BodyAborted | Self::NotAFrame => {
                &counters.malformed
            }
            Self::UnsafeValidation => &counters.unsafe_validation,
            Self::Busy => &counters.busy,
        };

        Counters::bump(counter);
    }

    pub(crate) fn into_response(self) -> Response<Body> {
        if self == Self::Busy {
            return json(self.status(), Body::from(RETRY_BODY));
        }

        let mut response = Response::new(Body::from(self.message()));
        *response.status_mut() = self.status();
        response.headers_mut().insert(CONTENT_TYPE, TEXT);
        if self == Self::MethodNotAllowed {
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("POST"));
        }

        response
    }
}
