//! Rich-media upload bodies for groups and C2C (`POST /v2/{users|groups}/{openid}/files` and the
//! chunked-upload endpoints).
//!
//! A `file_info` from the group path can only be sent to groups, and one from the C2C path only
//! to C2C.

use crate::id::MessageId;
use crate::macros::int_enum;
use crate::serde_util::{option_u64_from_string_or_number, u64_from_string_or_number};

/// Length of the prefix hashed for `md5_10m`: 10,002,432 bytes (not 10 MiB).
pub const MD5_10M_SIZE: u64 = 10_002_432;

int_enum! {
    /// `file_type` of an upload.
    pub enum FileType: u8 {
        /// 1: image (png, jpg).
        Image = 1,
        /// 2: video (mp4).
        Video = 2,
        /// 3: voice (silk; clients also upload wav and mp3).
        Voice = 3,
        /// 4: file.
        File = 4,
    }
}

/// Body of `POST …/files`: upload by URL, by base64 data, or finish a chunked upload.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadMediaRequest {
    /// Kind of media.
    pub file_type: FileType,
    /// URL the platform downloads from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `true` sends the media at once as a proactive message; `false` only returns `file_info`.
    #[serde(default)]
    pub srv_send_msg: bool,
    /// Base64 of the bytes (instead of `url`; no longer documented but still accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_data: Option<String>,
    /// File name (for `file_type` 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Finishes a chunked upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
}

impl UploadMediaRequest {
    /// Uploads from a URL without sending (`srv_send_msg: false`).
    pub fn from_url(file_type: FileType, url: impl Into<String>) -> Self {
        Self {
            url: Some(url.into()),
            ..Self::empty(file_type)
        }
    }

    /// Uploads base64-encoded bytes without sending.
    pub fn from_base64(file_type: FileType, file_data: impl Into<String>) -> Self {
        Self {
            file_data: Some(file_data.into()),
            ..Self::empty(file_type)
        }
    }

    /// Finishes a chunked upload.
    pub fn from_upload_id(file_type: FileType, upload_id: impl Into<String>) -> Self {
        Self {
            upload_id: Some(upload_id.into()),
            ..Self::empty(file_type)
        }
    }

    /// Sets the file name.
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sends the media at once (counts as a proactive message).
    #[must_use]
    pub fn send_now(mut self) -> Self {
        self.srv_send_msg = true;
        self
    }

    fn empty(file_type: FileType) -> Self {
        Self {
            file_type,
            url: None,
            srv_send_msg: false,
            file_data: None,
            file_name: None,
            upload_id: None,
        }
    }
}

/// Response of `POST …/files`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadMediaResponse {
    /// File id.
    pub file_uuid: String,
    /// Opaque value for `media.file_info` of a `msg_type` 7 send.
    pub file_info: String,
    /// Seconds of validity left; 0 means long-lived.
    #[serde(default)]
    pub ttl: u64,
    /// Message id, only when `srv_send_msg` was true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<MessageId>,
    /// Download URL (chunked uploads of images, video and voice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_url: Option<String>,
}

/// Body of `POST …/upload_prepare`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadPrepareRequest {
    /// Kind of media.
    pub file_type: FileType,
    /// File name.
    pub file_name: String,
    /// Size in bytes (documented as a string; every client sends a number).
    #[serde(deserialize_with = "u64_from_string_or_number")]
    pub file_size: u64,
    /// Lowercase hex MD5 of the whole file.
    pub md5: String,
    /// Lowercase hex SHA-1 of the whole file.
    pub sha1: String,
    /// Lowercase hex MD5 of the first [`MD5_10M_SIZE`] bytes.
    pub md5_10m: String,
}

impl UploadPrepareRequest {
    /// Builds the request; the hashes are lowercase hex (`md5_10m` over the first
    /// [`MD5_10M_SIZE`] bytes).
    pub fn new(
        file_type: FileType,
        file_name: impl Into<String>,
        file_size: u64,
        md5: impl Into<String>,
        sha1: impl Into<String>,
        md5_10m: impl Into<String>,
    ) -> Self {
        Self {
            file_type,
            file_name: file_name.into(),
            file_size,
            md5: md5.into(),
            sha1: sha1.into(),
            md5_10m: md5_10m.into(),
        }
    }
}

/// Response of `POST …/upload_prepare`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadPrepareResponse {
    /// Upload id for the part and merge calls.
    pub upload_id: String,
    /// Block size in bytes (a string on the wire, a number in some clients).
    #[serde(deserialize_with = "u64_from_string_or_number")]
    pub block_size: u64,
    /// Parts to upload.
    #[serde(default)]
    pub parts: Vec<UploadPart>,
    /// Upload settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_config: Option<UploadConfig>,
    /// Allowed parallel part uploads, when sent at the top level instead of in `upload_config`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// Retry budget in seconds, when sent at the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_timeout: Option<u64>,
}

/// One part of a chunked upload.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadPart {
    /// Part index (the documentation says 0-based; clients observe 1-based).
    pub index: u32,
    /// URL to `PUT` the part's bytes to (no QQ authorization header).
    pub presigned_url: String,
    /// This part's size in bytes, when sent.
    #[serde(
        default,
        deserialize_with = "option_u64_from_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub block_size: Option<u64>,
}

/// `upload_config` of the prepare response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadConfig {
    /// Allowed parallel part uploads (default 1).
    #[serde(default = "one")]
    pub concurrency: u32,
    /// Seconds to keep retrying a part (default 300).
    #[serde(default = "three_hundred")]
    pub retry_timeout: u64,
    /// Seconds between retries (default 1).
    #[serde(default = "one_u64")]
    pub retry_delay: u64,
}

const fn one() -> u32 {
    1
}

const fn one_u64() -> u64 {
    1
}

const fn three_hundred() -> u64 {
    300
}

/// Body of `POST …/upload_part_finish`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadPartFinishRequest {
    /// Upload id.
    pub upload_id: String,
    /// Index of the part, as issued by the prepare response.
    pub part_index: u32,
    /// This part's real length in bytes.
    #[serde(deserialize_with = "u64_from_string_or_number")]
    pub block_size: u64,
    /// Lowercase hex MD5 of this part.
    pub md5: String,
}

impl UploadPartFinishRequest {
    /// Builds the request for part `part_index` of `block_size` bytes with the given lowercase
    /// hex MD5.
    pub fn new(
        upload_id: impl Into<String>,
        part_index: u32,
        block_size: u64,
        md5: impl Into<String>,
    ) -> Self {
        Self {
            upload_id: upload_id.into(),
            part_index,
            block_size,
            md5: md5.into(),
        }
    }
}
