//! The tolerant response parser.
//!
//! `graph.qq.com` responds in three shapes, errors included, and labels all of them `text/html`:
//!
//! * JSON: `{"access_token":"…","expires_in":"7776000",…}` (with `fmt=json`);
//! * JSONP: `callback( {"client_id":"…","openid":"…"} );` (the default of `/oauth2.0/me` and of
//!   every error without `fmt=json`);
//! * form-encoded text: `access_token=…&expires_in=7776000&refresh_token=…` (the default
//!   success body of `/oauth2.0/token`).
//!
//! [`parse_body`] detects the shape from the body alone and returns its members; [`parse`] also
//! turns an `error` member (OAuth) or a non-zero `ret` member (OpenAPI) into a typed
//! [`Error`] and deserializes the rest. Numbers may arrive as numbers or as strings
//! (form-encoded values are always strings), and every model of this crate accepts both.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::code::{ApiRet, ConnectCode};
use crate::error::{Error, ErrorKind};

/// The shape a body arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyFormat {
    /// A JSON object.
    Json,
    /// A JSON object wrapped in `name( … );`.
    Jsonp,
    /// `application/x-www-form-urlencoded` text.
    Form,
}

/// The members of a response body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    /// The shape the body arrived in.
    pub format: BodyFormat,
    /// The members; form-encoded values are strings.
    pub members: Map<String, Value>,
}

/// Detects the shape of `body` and returns its members.
///
/// `endpoint` only names the endpoint in errors.
///
/// # Errors
///
/// [`ErrorKind::InvalidResponse`] when the body is empty, HTML, or not valid in the shape it
/// looks like. The error never contains the body, which may hold tokens.
pub fn parse_body(endpoint: &str, body: &str) -> Result<ResponseBody, Error> {
    let text = body.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(Error::invalid_response(endpoint, "the body is empty"));
    }

    if text.starts_with('{') {
        let members = parse_object(endpoint, text, "JSON")?;
        return Ok(ResponseBody {
            format: BodyFormat::Json,
            members,
        });
    }

    if let Some(inner) = strip_jsonp(text) {
        let members = parse_object(endpoint, inner, "JSONP")?;
        return Ok(ResponseBody {
            format: BodyFormat::Jsonp,
            members,
        });
    }

    if text.starts_with('<') {
        return Err(Error::invalid_response(
            endpoint,
            "the body is HTML, not JSON, JSONP or form-encoded text; check the base URL",
        ));
    }

    parse_form(endpoint, text).map(|members| ResponseBody {
        format: BodyFormat::Form,
        members,
    })
}

/// Parses `body` in any of the three shapes and deserializes it into `T`.
///
/// # Errors
///
/// * [`ErrorKind::Platform`] when the body has an `error` member other than 0, with the code
///   and `error_description`;
/// * [`ErrorKind::Api`] when the body has a `ret` member other than 0, with the code and `msg`;
/// * [`ErrorKind::InvalidResponse`] when the body has no recognisable shape or `T` does not fit.
pub fn parse<T: DeserializeOwned>(endpoint: &str, body: &str) -> Result<T, Error> {
    let ResponseBody { mut members, .. } = parse_body(endpoint, body)?;
    check_error(endpoint, &mut members)?;

    serde_json::from_value(Value::Object(members)).map_err(|source| {
        Error::invalid_response(
            endpoint,
            format!("the body does not fit the expected members: {source}"),
        )
    })
}

/// Turns an `error` or non-zero `ret` member into an error, and removes `ret` and `msg` of a
/// successful OpenAPI body so that models see only their own members.
fn check_error(endpoint: &str, members: &mut Map<String, Value>) -> Result<(), Error> {
    if let Some(value) = members.get("error") {
        let Some(code) = integer(value) else {
            return Err(Error::invalid_response(
                endpoint,
                format!("the error member is not an integer: {value}"),
            ));
        };
        if code != 0 {
            let description = members
                .get("error_description")
                .map(text)
                .unwrap_or_default();
            tracing::debug!(endpoint, code, "platform returned an OAuth error");
            return Err(Error::new(ErrorKind::Platform {
                endpoint: endpoint.to_owned(),
                code: ConnectCode::from_code(code),
                description,
            }));
        }
    }

    if let Some(value) = members.get("ret") {
        let Some(ret) = integer(value) else {
            return Err(Error::invalid_response(
                endpoint,
                format!("the ret member is not an integer: {value}"),
            ));
        };
        if ret != 0 {
            let msg = members.get("msg").map(text).unwrap_or_default();
            tracing::debug!(endpoint, ret, "OpenAPI returned an error");
            return Err(Error::new(ErrorKind::Api {
                api: endpoint.to_owned(),
                ret: ApiRet::from_code(ret),
                msg,
            }));
        }
        members.remove("ret");
        members.remove("msg");
    }

    Ok(())
}

/// Returns the text between the parentheses of `name( … );`, or `None` if `text` is not a call.
fn strip_jsonp(text: &str) -> Option<&str> {
    let open = text.find('(')?;
    let name = text[..open].trim_end();
    let is_identifier = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.');
    if !is_identifier {
        return None;
    }

    let close = text.rfind(')')?;
    if close < open {
        return None;
    }
    let tail = text[close + 1..].trim();
    if !(tail.is_empty() || tail == ";") {
        return None;
    }

    Some(text[open + 1..close].trim())
}

fn parse_object(endpoint: &str, text: &str, shape: &str) -> Result<Map<String, Value>, Error> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(members)) => Ok(members),
        Ok(_) => Err(Error::invalid_response(
            endpoint,
            format!("the {shape} body is not an object"),
        )),
        Err(source) => Err(Error::invalid_response(
            endpoint,
            format!("the {shape} body is not valid JSON: {source}"),
        )),
    }
}

fn parse_form(endpoint: &str, text: &str) -> Result<Map<String, Value>, Error> {
    let mut members = Map::new();
    for (key, value) in url::form_urlencoded::parse(text.as_bytes()) {
        if key.is_empty() || key.chars().any(char::is_whitespace) {
            return Err(Error::invalid_response(
                endpoint,
                "the body is neither JSON, JSONP nor form-encoded text",
            ));
        }
        members.insert(key.into_owned(), Value::String(value.into_owned()));
    }
    if members.is_empty() || !text.contains('=') {
        return Err(Error::invalid_response(
            endpoint,
            "the body is neither JSON, JSONP nor form-encoded text",
        ));
    }

    Ok(members)
}

/// Reads an integer sent as a number or as a string of digits.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Deserializers that accept what the platform sends: numbers as numbers or strings, flags as
/// `0`/`1` in either form, and empty strings as absent.
pub(crate) mod lenient {
    use std::time::Duration;

    use serde::Deserialize;
    use serde::de::{self, Deserializer, Unexpected};
    use serde_json::Value;

    fn number_from(value: &Value) -> Result<Option<i64>, &'static str> {
        match value {
            Value::Null => Ok(None),
            Value::Number(number) => number.as_i64().map(Some).ok_or("an integer"),
            Value::String(text) if text.trim().is_empty() => Ok(None),
            Value::String(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| "a string of digits"),
            Value::Bool(flag) => Ok(Some(i64::from(*flag))),
            _ => Err("a number or a string of digits"),
        }
    }

    /// `u64` seconds from a number or a numeric string, as a [`Duration`].
    pub(crate) fn seconds<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match number_from(&value) {
            Ok(Some(seconds)) => u64::try_from(seconds)
                .map(Duration::from_secs)
                .map_err(|_| {
                    de::Error::invalid_value(
                        Unexpected::Signed(seconds),
                        &"a non-negative number of seconds",
                    )
                }),
            Ok(None) => Err(de::Error::invalid_value(
                Unexpected::Str(""),
                &"a number of seconds",
            )),
            Err(expected) => Err(de::Error::invalid_type(
                Unexpected::Other(&value.to_string()),
                &expected,
            )),
        }
    }

    /// `i64` from a number or a numeric string; absent, null or empty gives 0.
    pub(crate) fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        let value = Value::deserialize(deserializer)?;
        number_from(&value)
            .map(Option::unwrap_or_default)
            .map_err(|expected| {
                de::Error::invalid_type(Unexpected::Other(&value.to_string()), &expected)
            })
    }

    /// `u32` from a number or a numeric string; absent, null or empty gives 0.
    pub(crate) fn level<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        let number = integer(deserializer)?;
        u32::try_from(number).map_err(|_| {
            de::Error::invalid_value(
                Unexpected::Signed(number),
                &"a level between 0 and 4294967295",
            )
        })
    }

    /// Reads a flag from `0`/`1`, `"0"`/`"1"` or a boolean; absent, null or empty gives `false`.
    pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        let number = integer(deserializer)?;

        Ok(number != 0)
    }

    /// Reads a string from a string or a number; null gives an empty string.
    pub(crate) fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match value {
            Value::String(text) => Ok(text),
            Value::Null => Ok(String::new()),
            Value::Number(number) => Ok(number.to_string()),
            other => Err(de::Error::invalid_type(
                Unexpected::Other(&other.to_string()),
                &"a string",
            )),
        }
    }

    /// Reads an optional value from a string; absent, null or empty gives `None`.
    pub(crate) fn non_empty<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: From<String>,
    {
        let text = string(deserializer)?;

        Ok((!text.is_empty()).then(|| T::from(text)))
    }
}
