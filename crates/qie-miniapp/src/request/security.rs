//! Content security: `MsgSecCheck` (text), `ImgSecCheck` (image) and `MediaCheckAsync` (URL).
//!
//! These endpoints return the camel-case `errCode`/`errMsg`. Code 87014 is a verdict ("risky"),
//! not a failure; every other non-zero code is an error, never "clean".

use std::future::IntoFuture;

use serde_json::{Value, json};

use super::ResponseFuture;
use crate::client::{Call, Client, Endpoint, Payload, Reply, api_error};
use crate::error::{ApiCode, Error};

/// Maximum size of a text for `MsgSecCheck`: 500 KB.
pub const MAX_TEXT_BYTES: usize = 500 * 1024;

/// Maximum size of an image for `ImgSecCheck`: 1 MB.
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// The result of a content check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Nothing risky was found.
    Pass,
    /// The platform flagged the content (code 87014).
    Risky {
        /// The platform's message.
        message: String,
    },
}

impl Verdict {
    /// Returns whether the content was flagged.
    pub fn is_risky(&self) -> bool {
        matches!(self, Self::Risky { .. })
    }
}

fn verdict(reply: Reply) -> Result<Verdict, Error> {
    let endpoint = reply.endpoint.name();
    if let Some(envelope) = reply.envelope() {
        if ApiCode::from_raw(envelope.code) == ApiCode::RiskyContent {
            tracing::debug!(endpoint, "content flagged as risky");
            return Ok(Verdict::Risky {
                message: envelope.message,
            });
        }
        return Err(api_error(endpoint, envelope));
    }

    reply.into_object()?;

    Ok(Verdict::Pass)
}

/// The request of [`Client::msg_sec_check`]; await it for a [`Verdict`].
///
/// Limits: 4,000 calls per minute and 2,000,000 per day per appid; at most 500 KB of text.
#[must_use = "requests do nothing until awaited"]
pub struct MsgSecCheck<'a> {
    client: &'a Client,
    content: String,
}

impl<'a> MsgSecCheck<'a> {
    pub(crate) fn new(client: &'a Client, content: String) -> Self {
        Self { client, content }
    }
}

impl<'a> IntoFuture for MsgSecCheck<'a> {
    type Output = Result<Verdict, Error>;
    type IntoFuture = ResponseFuture<'a, Verdict>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.content.len() > MAX_TEXT_BYTES {
                return Err(Error::invalid_input(format!(
                    "text of {} bytes is over the MsgSecCheck limit of {MAX_TEXT_BYTES} bytes; \
                     check it in parts",
                    self.content.len()
                )));
            }

            let inner = self.client.inner();
            let call = Call::new(Endpoint::MsgSecCheck).json(json!({
                "appid": inner.appid.as_str(),
                "content": self.content,
            }));

            verdict(inner.send_authorized(&call).await?)
        })
    }
}

/// The request of [`Client::img_sec_check`]; await it for a [`Verdict`].
///
/// The platform accepts PNG, JPEG and GIF images of at most 750×1334 px and 1 MB; limits are
/// 2,000 calls per minute and 200,000 per day per appid. An image the platform cannot process
/// may fail with the undocumented code -13010 ([`ApiCode::ImageNotProcessed`]).
#[must_use = "requests do nothing until awaited"]
pub struct ImgSecCheck<'a> {
    client: &'a Client,
    media: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl<'a> ImgSecCheck<'a> {
    pub(crate) fn new(client: &'a Client, media: Vec<u8>) -> Self {
        Self {
            client,
            media,
            file_name: None,
            content_type: None,
        }
    }

    /// File name sent with the image; default `image.png`, `image.jpg` or `image.gif` after the
    /// image's magic bytes.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Content type of the image; default detected from its magic bytes.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// Returns the content type and file extension of a PNG, JPEG or GIF image.
fn sniff_image(media: &[u8]) -> Option<(&'static str, &'static str)> {
    if media.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if media.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if media.starts_with(b"GIF87a") || media.starts_with(b"GIF89a") {
        Some(("image/gif", "gif"))
    } else {
        None
    }
}

impl<'a> IntoFuture for ImgSecCheck<'a> {
    type Output = Result<Verdict, Error>;
    type IntoFuture = ResponseFuture<'a, Verdict>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.media.is_empty() {
                return Err(Error::invalid_input("the image to check is empty"));
            }
            if self.media.len() > MAX_IMAGE_BYTES {
                return Err(Error::invalid_input(format!(
                    "image of {} bytes is over the ImgSecCheck limit of {MAX_IMAGE_BYTES} bytes; \
                     scale it down first",
                    self.media.len()
                )));
            }

            let sniffed = sniff_image(&self.media);
            let content_type = match (self.content_type, sniffed) {
                (Some(content_type), _) => content_type,
                (None, Some((content_type, _))) => content_type.to_owned(),
                (None, None) => {
                    return Err(Error::invalid_input(
                        "the image is not PNG, JPEG or GIF; ImgSecCheck accepts only those (set \
                         content_type to send it anyway)",
                    ));
                }
            };
            let file_name = self.file_name.unwrap_or_else(|| {
                format!(
                    "image.{}",
                    sniffed.map_or("png", |(_, extension)| extension)
                )
            });

            let inner = self.client.inner();
            let mut call = Call::new(Endpoint::ImgSecCheck);
            call.payload = Payload::Image {
                media: self.media,
                file_name,
                content_type,
            };

            verdict(inner.send_authorized(&call).await?)
        })
    }
}

/// The kind of media of [`Client::media_check_async`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaType {
    /// Audio (`media_type` 1).
    Audio,
    /// Image (`media_type` 2).
    Image,
}

impl MediaType {
    fn code(self) -> u8 {
        match self {
            Self::Audio => 1,
            Self::Image => 2,
        }
    }
}

/// The synchronous response of `MediaCheckAsync`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MediaCheckTicket {
    /// The id that the later verdict event carries, when the platform returns one.
    pub trace_id: Option<String>,
}

/// The request of [`Client::media_check_async`]; await it for a [`MediaCheckTicket`].
///
/// NOTE: the QQ documentation mirrors do not describe this endpoint; its shape follows client
/// code in the wild. If it works like WeChat's, the verdict arrives later at the message push
/// URL of the console, as an event with `isrisky`, `trace_id` and `status_code`.
#[must_use = "requests do nothing until awaited"]
pub struct MediaCheckAsync<'a> {
    client: &'a Client,
    media_url: String,
    media_type: MediaType,
}

impl<'a> MediaCheckAsync<'a> {
    pub(crate) fn new(client: &'a Client, media_url: String, media_type: MediaType) -> Self {
        Self {
            client,
            media_url,
            media_type,
        }
    }
}

impl<'a> IntoFuture for MediaCheckAsync<'a> {
    type Output = Result<MediaCheckTicket, Error>;
    type IntoFuture = ResponseFuture<'a, MediaCheckTicket>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if !(self.media_url.starts_with("https://") || self.media_url.starts_with("http://")) {
                return Err(Error::invalid_input(format!(
                    "media_url {:?} must be an http or https URL the platform can download",
                    self.media_url
                )));
            }

            let inner = self.client.inner();
            let call = Call::new(Endpoint::MediaCheckAsync).json(json!({
                "appid": inner.appid.as_str(),
                "media_url": self.media_url,
                "media_type": self.media_type.code(),
            }));
            let object = inner.send_authorized(&call).await?.into_object()?;
            let trace_id = object
                .get("trace_id")
                .or_else(|| object.get("traceId"))
                .and_then(Value::as_str)
                .map(str::to_owned);

            Ok(MediaCheckTicket { trace_id })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::sniff_image;

    #[test]
    fn sniffs_image_types() {
        assert_eq!(
            sniff_image(b"\x89PNG\r\n\x1a\n...."),
            Some(("image/png", "png"))
        );
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(("image/jpeg", "jpg"))
        );
        assert_eq!(sniff_image(b"GIF89a..."), Some(("image/gif", "gif")));
        assert_eq!(sniff_image(b"BM...."), None);
    }
}
