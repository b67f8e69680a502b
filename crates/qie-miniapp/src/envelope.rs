//! The platform's error envelope.
//!
//! Most endpoints return `errcode`/`errmsg`; the content-security endpoints return the camel-case
//! `errCode`/`errMsg`, and some of their failure bodies carry `code` instead. Success may omit the
//! code or set it to 0. Codes arrive as JSON numbers, and a numeric string is accepted too.

use serde_json::{Map, Value};

/// Member names that carry the code, in the order they are read.
const CODE_MEMBERS: [&str; 3] = ["errcode", "errCode", "code"];

/// Member names that carry the message, in the order they are read.
const MESSAGE_MEMBERS: [&str; 4] = ["errmsg", "errMsg", "message", "msg"];

/// A code and message read from a response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Envelope {
    pub(crate) code: i64,
    pub(crate) message: String,
}

impl Envelope {
    /// Reads the envelope of a response object.
    ///
    /// Returns `None` when no code member is present or every present one is 0 (success).
    pub(crate) fn read(object: &Map<String, Value>) -> Option<Self> {
        let code = CODE_MEMBERS
            .iter()
            .filter_map(|name| object.get(*name).and_then(code_value))
            .find(|code| *code != 0)?;
        let message = MESSAGE_MEMBERS
            .iter()
            .find_map(|name| object.get(*name).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned();

        Some(Self { code, message })
    }
}

fn code_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(value: &Value) -> Option<Envelope> {
        Envelope::read(value.as_object().unwrap())
    }

    #[test]
    fn zero_and_missing_codes_are_success() {
        assert_eq!(read(&json!({"errcode": 0, "errmsg": "ok"})), None);
        assert_eq!(read(&json!({"errCode": 0, "errMsg": "ok"})), None);
        assert_eq!(read(&json!({"access_token": "x"})), None);
        assert_eq!(read(&json!({"errcode": "0"})), None);
    }

    #[test]
    fn every_spelling_is_read() {
        let snake = read(&json!({"errcode": 40029, "errmsg": "invalid code"})).unwrap();
        assert_eq!(snake.code, 40029);
        assert_eq!(snake.message, "invalid code");

        let camel = read(&json!({"errCode": 87014, "errMsg": "risky content"})).unwrap();
        assert_eq!(camel.code, 87014);
        assert_eq!(camel.message, "risky content");

        let bare = read(&json!({"code": -1_800_110_107, "message": "token expired"})).unwrap();
        assert_eq!(bare.code, -1_800_110_107);
        assert_eq!(bare.message, "token expired");

        let text = read(&json!({"errcode": "45029"})).unwrap();
        assert_eq!(text.code, 45029);
        assert_eq!(text.message, "");
    }
}
