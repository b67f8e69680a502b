//! The bot's image library (`/v2/media-images`), for `qqbot-media://` references in markdown.
//!
//! NOTE: only one client (qq-botpy-sdk 2.2.1) uses these endpoints and the official pages do not
//! document them; shapes follow that client.

use qie_model::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use super::lenient;

/// Largest image the library accepts: 10 MiB.
pub const MAX_MEDIA_IMAGE_SIZE: u64 = 10 * 1024 * 1024;
/// Content types the library accepts.
pub const MEDIA_IMAGE_CONTENT_TYPES: &[&str] =
    &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Body of `POST /v2/media-images/prepare`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaImagePrepareRequest {
    /// File name.
    pub file_name: String,
    /// Size in bytes (at most [`MAX_MEDIA_IMAGE_SIZE`]).
    pub file_size: u64,
    /// One of [`MEDIA_IMAGE_CONTENT_TYPES`].
    pub content_type: String,
    /// Lowercase hex MD5 of the image.
    pub md5: String,
    /// Lowercase hex SHA-1 of the image.
    pub sha1: String,
}

/// Response of `POST /v2/media-images/prepare`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaImagePrepared {
    /// Upload id (valid 4 hours).
    pub upload_id: String,
    /// URL to `PUT` the bytes to, with the same `Content-Type`.
    pub presigned_url: String,
    /// Seconds the presigned URL stays valid.
    #[serde(default, deserialize_with = "lenient::option_u64")]
    pub expires_in: Option<u64>,
}

/// Body of `POST /v2/media-images/complete`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaImageCompleteRequest {
    /// Upload id from prepare.
    pub upload_id: String,
    /// Lowercase hex MD5 of the image.
    pub md5: String,
}

/// An image of the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaImage {
    /// Image id.
    pub image_id: String,
    /// `qqbot-media://image/v1/…` URL for markdown.
    #[serde(default)]
    pub url: String,
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Preview URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// Seconds of validity (sliding, default 90 days).
    #[serde(
        default,
        deserialize_with = "lenient::option_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub ttl: Option<u64>,
    /// Upload time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

/// `GET /v2/media-images`: one page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaImagePage {
    /// Images of this page.
    #[serde(default)]
    pub images: Vec<MediaImage>,
    /// Cursor of the next page (empty on the last page).
    #[serde(default)]
    pub next_cursor: String,
    /// Images in the library (at most 100).
    #[serde(default)]
    pub total: u64,
}
