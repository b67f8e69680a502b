//! `POST /api/json/qqa/CreateMiniCode`: create a mini-program code image.

use std::future::IntoFuture;

use serde_json::{Map, Value, json};

use super::ResponseFuture;
use crate::client::{Call, Client, Endpoint, api_error};
use crate::error::{Error, ErrorKind};

/// A mini-program code image.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MiniCode {
    /// The image's content type as returned, for example `image/jpeg`.
    pub content_type: String,
    /// The image bytes.
    pub image: Vec<u8>,
}

impl std::fmt::Debug for MiniCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("MiniCode")
            .field("content_type", &self.content_type)
            .field("image_bytes", &self.image.len())
            .finish()
    }
}

/// The request of [`Client::create_mini_code`]; await it for a [`MiniCode`].
///
/// Only published mini-programs may create codes, at most 50 in total per app (45029 after
/// that): store the images. There is no "unlimited" variant like WeChat's.
#[must_use = "requests do nothing until awaited"]
pub struct CreateMiniCode<'a> {
    client: &'a Client,
    path: Option<String>,
}

impl<'a> CreateMiniCode<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client, path: None }
    }

    /// Page the code opens, query allowed (`pages/item/item?id=42`); the home page when unset.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

impl<'a> IntoFuture for CreateMiniCode<'a> {
    type Output = Result<MiniCode, Error>;
    type IntoFuture = ResponseFuture<'a, MiniCode>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let inner = self.client.inner();
            let mut body = Map::new();
            body.insert("appid".to_owned(), json!(inner.appid.as_str()));
            if let Some(path) = self.path {
                body.insert("path".to_owned(), json!(path));
            }

            let call = Call::new(Endpoint::CreateMiniCode).json(Value::Object(body));
            let reply = inner.send_authorized(&call).await?;
            let endpoint = reply.endpoint.name();

            // Success is the raw image; failure is a JSON error body.
            if let Some(envelope) = reply.envelope() {
                return Err(api_error(endpoint, envelope));
            }
            if reply.json.is_some() || !(200..300).contains(&reply.status) {
                return Err(Error::new(ErrorKind::Decode {
                    endpoint,
                    detail: format!(
                        "expected an image, got HTTP {} with {} bytes of {:?}",
                        reply.status,
                        reply.body.len(),
                        reply.content_type
                    ),
                }));
            }
            if reply.body.is_empty() {
                return Err(Error::new(ErrorKind::Decode {
                    endpoint,
                    detail: "the image is empty".to_owned(),
                }));
            }

            Ok(MiniCode {
                content_type: reply.content_type,
                image: reply.body,
            })
        })
    }
}
