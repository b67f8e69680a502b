use bytes::Bytes;
use md5::{Digest, Md5};
use sha1::Sha1;

use crate::client::Client;
use crate::model::{MediaImage, MediaImagePrepareRequest};
use crate::request::file::hex;
use crate::response::ResponseFuture;

impl Client {
    /// Adds an image to the bot's library (prepare, `PUT` the bytes, complete) and returns it,
    /// with the `qqbot-media://` URL for markdown.
    ///
    /// No single endpoint: `POST /v2/media-images/prepare`, `PUT {presigned_url}` and
    /// `POST /v2/media-images/complete`.
    ///
    /// # Errors
    ///
    /// Returns a validation error for images above 10 MiB or of another type than PNG, JPEG,
    /// GIF and WebP, and the platform's error otherwise (40035007 when the library already holds
    /// 100 images).
    pub fn upload_media_image(
        &self,
        file_name: &str,
        content_type: &'static str,
        bytes: Bytes,
    ) -> ResponseFuture<MediaImage> {
        let client = self.clone();
        let file_name = file_name.to_owned();

        ResponseFuture::from_future(async move {
            let md5 = hex(&Md5::digest(&bytes));
            let prepare = MediaImagePrepareRequest {
                file_name,
                file_size: bytes.len() as u64,
                content_type: content_type.to_owned(),
                md5: md5.clone(),
                sha1: hex(&Sha1::digest(&bytes)),
            };

            let prepared = client.prepare_media_image(prepare).await?;
            client
                .upload_part(&prepared.presigned_url, bytes)
                .content_type(content_type)
                .await?;

            client.complete_media_image(&prepared.upload_id, &md5).await
        })
    }
}
