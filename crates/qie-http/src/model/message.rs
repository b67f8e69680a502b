//! Message responses the shared model does not define.

use qie_model::id::MessageId;
use qie_model::message::ExtInfo;
use qie_model::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use super::macros::{int_enum, str_enum};

/// Response of `POST /v2/users/{openid}/stream_messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamMessageResponse {
    /// Stream message id: pass it as `stream_msg_id` with every later chunk.
    pub id: MessageId,
    /// Send time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Quote index of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_info: Option<ExtInfo>,
    /// Characters the stream may still add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remain_msg_len: Option<u64>,
}

str_enum! {
    /// `input_mode` of a stream chunk.
    pub enum StreamInputMode {
        /// `content_raw` is appended to what was sent.
        Append = "append",
        /// `content_raw` is the whole text so far and starts with everything already sent.
        Replace = "replace",
    }
}

int_enum! {
    /// `input_state` of a stream chunk.
    pub enum StreamInputState: u8 {
        /// 1: more chunks follow.
        Generating = 1,
        /// 10: the final chunk.
        Finished = 10,
    }
}

str_enum! {
    /// `content_type` of a stream chunk.
    pub enum StreamContentType {
        /// Plain text.
        Text = "text",
        /// Markdown.
        Markdown = "markdown",
    }
}

/// Decodes the message of `GET /channels/{channel_id}/messages/{message_id}`. The platform
/// wraps it as `{"message": …}` and some servers send it bare, so both forms parse.
pub(crate) fn unwrap_message(
    exchange: &crate::transport::Exchange,
) -> Result<qie_model::event::ChannelMessage, crate::Error> {
    #[derive(Deserialize)]
    struct Wrapped {
        message: qie_model::event::ChannelMessage,
    }

    if let Ok(wrapped) = serde_json::from_slice::<Wrapped>(&exchange.body) {
        return Ok(wrapped.message);
    }

    crate::response::json(exchange)
}
