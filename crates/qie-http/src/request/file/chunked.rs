use std::time::Duration;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt, stream};
use md5::{Digest, Md5};
use qie_model::id::{GroupOpenid, UserOpenid};
use qie_model::media::{
    FileType, MD5_10M_SIZE, UploadMediaRequest, UploadMediaResponse, UploadPart as PreparedPart,
    UploadPartFinishRequest, UploadPrepareRequest, UploadPrepareResponse,
};
use sha1::Sha1;
use tokio::time::Instant;

use super::{FileTarget, hex};
use crate::client::Client;
use crate::error::Error;
use crate::response::ResponseFuture;

/// Code of `upload_part_finish` meaning "part not ready yet, retry".
const PART_NOT_READY: u32 = 40_093_001;
/// Maximum parts uploaded at once, whatever the prepare response allows.
const MAX_CONCURRENCY: usize = 8;
/// Maximum time a part is retried after 40093001, whatever `retry_timeout` the prepare response sets.
const MAX_RETRY_TIMEOUT: Duration = Duration::from_secs(600);

/// A whole chunked upload: hashes, `upload_prepare`, one presigned `PUT` and
/// `upload_part_finish` per part, then `files` with the `upload_id`.
///
/// Parts are uploaded up to the prepare response's `concurrency` at a time (at most 8). The
/// documentation numbers parts from 0 while clients observe 1; both are handled by offsetting
/// from the lowest index issued. A part rejected with 40093001 is reported again every
/// `retry_delay` seconds until `retry_timeout` (at most 600 s) runs out.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct ChunkedUpload<'a> {
    client: &'a Client,
    target: FileTarget,
    file_type: FileType,
    file_name: String,
    bytes: Bytes,
    send_now: bool,
}

impl ChunkedUpload<'_> {
    /// Sends the media at once when merging (`srv_send_msg`, a proactive message).
    pub fn send_now(mut self) -> Self {
        self.send_now = true;
        self
    }
}

impl std::future::IntoFuture for ChunkedUpload<'_> {
    type Output = Result<UploadMediaResponse, Error>;
    type IntoFuture = ResponseFuture<UploadMediaResponse>;

    fn into_future(self) -> Self::IntoFuture {
        let client = self.client.clone();
        let job = Job {
            target: self.target,
            file_type: self.file_type,
            file_name: self.file_name,
            bytes: self.bytes,
            send_now: self.send_now,
        };

        ResponseFuture::from_future(async move { job.run(&client).await })
    }
}

struct Job {
    target: FileTarget,
    file_type: FileType,
    file_name: String,
    bytes: Bytes,
    send_now: bool,
}

impl Job {
    async fn run(self, client: &Client) -> Result<UploadMediaResponse, Error> {
        if self.bytes.is_empty() {
            return Err(Error::validation(
                "the file is empty; an upload needs bytes",
            ));
        }

        let prepare = self.prepare_request();
        let prepared = match &self.target {
            FileTarget::Group(group) => client.prepare_group_upload(group.clone(), prepare).await?,
            FileTarget::C2c(user) => client.prepare_c2c_upload(user.clone(), prepare).await?,
        };
        tracing::debug!(
            parts = prepared.parts.len(),
            block_size = prepared.block_size,
            "chunked upload prepared"
        );

        let plan = plan_parts(&prepared, self.bytes.len())?;
        let concurrency = concurrency(&prepared);
        let upload_id = prepared.upload_id.clone();

        stream::iter(plan)
            .map(|part| self.upload_one(client, &prepared, &upload_id, part))
            .buffer_unordered(concurrency)
            .try_collect::<Vec<()>>()
            .await?;

        let mut merge = UploadMediaRequest::from_upload_id(self.file_type, upload_id)
            .file_name(self.file_name.clone());
        if self.send_now {
            merge = merge.send_now();
        }

        match &self.target {
            FileTarget::Group(group) => client.create_group_file(group.clone(), merge).await,
            FileTarget::C2c(user) => client.create_c2c_file(user.clone(), merge).await,
        }
    }

    fn prepare_request(&self) -> UploadPrepareRequest {
        let prefix_length = usize::try_from(MD5_10M_SIZE)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());

        UploadPrepareRequest::new(
            self.file_type,
            self.file_name.clone(),
            self.bytes.len() as u64,
            hex(&Md5::digest(&self.bytes)),
            hex(&Sha1::digest(&self.bytes)),
            hex(&Md5::digest(&self.bytes[..prefix_length])),
        )
    }

    async fn upload_one(
        &self,
        client: &Client,
        prepared: &UploadPrepareResponse,
        upload_id: &str,
        part: PlannedPart,
    ) -> Result<(), Error> {
        let chunk = self.bytes.slice(part.start..part.end);
        client
            .upload_part(&part.presigned_url, chunk.clone())
            .await?;

        let finish = UploadPartFinishRequest::new(
            upload_id,
            part.index,
            chunk.len() as u64,
            hex(&Md5::digest(&chunk)),
        );
        let (retry_timeout, retry_delay) = retry_settings(prepared);
        let deadline = Instant::now() + retry_timeout;

        loop {
            let result = match &self.target {
                FileTarget::Group(group) => {
                    client
                        .finish_group_upload_part(group.clone(), finish.clone())
                        .await
                }
                FileTarget::C2c(user) => {
                    client
                        .finish_c2c_upload_part(user.clone(), finish.clone())
                        .await
                }
            };

            match result {
                Err(error) if error.code() == Some(PART_NOT_READY) && Instant::now() < deadline => {
                    tracing::debug!(
                        part = part.index,
                        "upload part not ready; reporting it again"
                    );
                    tokio::time::sleep(retry_delay).await;
                }
                other => return other,
            }
        }
    }
}

/// One part: its index as issued, its byte range, and where to put it.
#[derive(Debug)]
struct PlannedPart {
    index: u32,
    start: usize,
    end: usize,
    presigned_url: String,
}

/// Maps the issued parts to byte ranges of the file.
fn plan_parts(
    prepared: &UploadPrepareResponse,
    file_size: usize,
) -> Result<Vec<PlannedPart>, Error> {
    let block_size = usize::try_from(prepared.block_size).unwrap_or(usize::MAX);
    if block_size == 0 {
        return Err(Error::validation(
            "upload_prepare returned block_size 0, so the file cannot be split",
        ));
    }
    let Some(base) = prepared.parts.iter().map(|part| part.index).min() else {
        return Err(Error::validation(
            "upload_prepare returned no parts, so the file cannot be uploaded",
        ));
    };

    let expected = file_size.div_ceil(block_size);
    if prepared.parts.len() != expected {
        return Err(Error::validation(format!(
            "upload_prepare issued {} parts for {file_size} bytes in blocks of {block_size}; expected {expected}",
            prepared.parts.len()
        )));
    }

    prepared
        .parts
        .iter()
        .map(|part: &PreparedPart| {
            let position = usize::try_from(part.index - base).unwrap_or(usize::MAX);
            let start = position.saturating_mul(block_size);
            if start >= file_size {
                return Err(Error::validation(format!(
                    "upload part index {} starts beyond the end of the file",
                    part.index
                )));
            }

            Ok(PlannedPart {
                index: part.index,
                start,
                end: (start + block_size).min(file_size),
                presigned_url: part.presigned_url.clone(),
            })
        })
        .collect()
}

fn concurrency(prepared: &UploadPrepareResponse) -> usize {
    let allowed = prepared
        .upload_config
        .map(|config| config.concurrency)
        .or(prepared.concurrency)
        .unwrap_or(1);

    usize::try_from(allowed)
        .unwrap_or(1)
        .clamp(1, MAX_CONCURRENCY)
}

fn retry_settings(prepared: &UploadPrepareResponse) -> (Duration, Duration) {
    let timeout = prepared
        .upload_config
        .map(|config| config.retry_timeout)
        .or(prepared.retry_timeout)
        .unwrap_or(300);
    let delay = prepared
        .upload_config
        .map_or(1, |config| config.retry_delay)
        .max(1);

    (
        Duration::from_secs(timeout).min(MAX_RETRY_TIMEOUT),
        Duration::from_secs(delay),
    )
}

impl Client {
    /// Uploads a large file for a group in parts; returns the merged upload's `file_info`.
    ///
    /// No single endpoint: `upload_prepare`, `PUT {presigned_url}`, `upload_part_finish` and
    /// `files` of the group path.
    pub fn upload_group_file_chunked(
        &self,
        group_openid: GroupOpenid,
        file_type: FileType,
        file_name: &str,
        bytes: Bytes,
    ) -> ChunkedUpload<'_> {
        ChunkedUpload {
            client: self,
            target: FileTarget::Group(group_openid),
            file_type,
            file_name: file_name.to_owned(),
            bytes,
            send_now: false,
        }
    }

    /// Uploads a large file for a user (C2C) in parts; returns the merged upload's `file_info`.
    ///
    /// No single endpoint: `upload_prepare`, `PUT {presigned_url}`, `upload_part_finish` and
    /// `files` of the C2C path.
    pub fn upload_c2c_file_chunked(
        &self,
        openid: UserOpenid,
        file_type: FileType,
        file_name: &str,
        bytes: Bytes,
    ) -> ChunkedUpload<'_> {
        ChunkedUpload {
            client: self,
            target: FileTarget::C2c(openid),
            file_type,
            file_name: file_name.to_owned(),
            bytes,
            send_now: false,
        }
    }
}
