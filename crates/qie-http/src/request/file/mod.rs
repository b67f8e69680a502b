//! Rich media for groups and C2C: upload by URL or bytes, chunked upload of large files, and
//! the presigned part upload.
//!
//! A `file_info` from a group upload can only be sent to groups, and one from a C2C upload only
//! to C2C. Uploads with `srv_send_msg` send the media at once and count as proactive messages.
//!
//! [`Client::upload_group_file_chunked`] and [`Client::upload_c2c_file_chunked`] run the whole
//! chunked flow: `upload_prepare`, a presigned `PUT` and `upload_part_finish` per part, then
//! `files` with the `upload_id`.

pub(crate) mod chunked;
pub(crate) mod create_c2c_file;
pub(crate) mod create_group_file;
pub(crate) mod finish_c2c_upload_part;
pub(crate) mod finish_group_upload_part;
pub(crate) mod prepare_c2c_upload;
pub(crate) mod prepare_group_upload;
pub(crate) mod upload_part;

use base64::Engine;
use qie_model::id::{GroupOpenid, UserOpenid};
use qie_model::media::{
    FileType, UploadMediaRequest, UploadMediaResponse, UploadPartFinishRequest,
    UploadPrepareRequest, UploadPrepareResponse,
};

pub use self::chunked::ChunkedUpload;
pub use self::upload_part::UploadPart;
use crate::client::Client;
use crate::error::Error;
use crate::request::{Replay, Request};
use crate::route::{Conversation, Route, Traffic};

/// Encodes file bytes for [`UploadMediaRequest::from_base64`] (`file_data`).
///
/// # Examples
///
/// ```
/// use qie_http::request::file::file_data_request;
/// use qie_model::media::FileType;
///
/// let request = file_data_request(FileType::Image, b"\x89PNG");
/// assert_eq!(request.file_data.as_deref(), Some("iVBORw=="));
/// ```
pub fn file_data_request(file_type: FileType, bytes: &[u8]) -> UploadMediaRequest {
    UploadMediaRequest::from_base64(
        file_type,
        base64::engine::general_purpose::STANDARD.encode(bytes),
    )
}

/// The chat an upload is for.
#[derive(Clone, Debug)]
pub(crate) enum FileTarget {
    Group(GroupOpenid),
    C2c(UserOpenid),
}

impl FileTarget {
    fn id(&self) -> &str {
        match self {
            Self::Group(group) => group.as_str(),
            Self::C2c(user) => user.as_str(),
        }
    }

    fn conversation(&self) -> Conversation {
        match self {
            Self::Group(group) => Conversation::Group(group.clone()),
            Self::C2c(user) => Conversation::User(user.clone()),
        }
    }

    fn files_route(&self) -> Route {
        match self {
            Self::Group(_) => create_group_file::ROUTE,
            Self::C2c(_) => create_c2c_file::ROUTE,
        }
    }

    fn prepare_route(&self) -> Route {
        match self {
            Self::Group(_) => prepare_group_upload::ROUTE,
            Self::C2c(_) => prepare_c2c_upload::ROUTE,
        }
    }

    fn finish_route(&self) -> Route {
        match self {
            Self::Group(_) => finish_group_upload_part::ROUTE,
            Self::C2c(_) => finish_c2c_upload_part::ROUTE,
        }
    }
}

/// `POST /v2/{groups/{group_openid}|users/{openid}}/files`: uploads media by URL, by base64
/// bytes, or finishes a chunked upload.
///
/// Without `srv_send_msg` the response's `file_info` goes into `media` of a `msg_type` 7 send
/// (see [`CreateGroupMessage::media`](crate::request::message::CreateGroupMessage::media)).
/// The platform downgrades media above 20 MB (image, voice) or 30 MB (video) to a file and
/// rejects anything above 200 MB; chunked upload is recommended from about 5 MiB.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateFile<'a> {
    client: &'a Client,
    target: FileTarget,
    request: UploadMediaRequest,
}

impl CreateFile<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let sources = [
            self.request.url.is_some(),
            self.request.file_data.is_some(),
            self.request.upload_id.is_some(),
        ];
        if sources.iter().filter(|present| **present).count() != 1 {
            return Err(Error::validation(
                "an upload needs exactly one of url, file_data (base64 bytes) and upload_id",
            ));
        }

        // Uploading without sending has no effect beyond the returned `file_info`, so it may be
        // repeated; `srv_send_msg` posts a message and counts as a proactive send.
        let (traffic, replay) = if self.request.srv_send_msg {
            (Traffic::Proactive, Replay::Unsafe)
        } else {
            (Traffic::Other, Replay::Idempotent)
        };

        Request::new(self.target.files_route(), &[self.target.id()])?
            .conversation(self.target.conversation())
            .traffic(traffic)
            .replay(replay)
            .timeout(self.client.config().file_upload_timeout())
            .json(&self.request)
    }
}

into_future!(CreateFile, UploadMediaResponse, crate::response::json);

/// `POST …/upload_prepare`: starts a chunked upload.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct PrepareUpload<'a> {
    client: &'a Client,
    target: FileTarget,
    request: UploadPrepareRequest,
}

impl PrepareUpload<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        crate::request::check_not_empty("file_name", &self.request.file_name)?;
        if self.request.file_size == 0 {
            return Err(Error::validation("file_size is 0; an upload needs bytes"));
        }
        check_hex("md5", &self.request.md5, 32)?;
        check_hex("sha1", &self.request.sha1, 40)?;
        check_hex("md5_10m", &self.request.md5_10m, 32)?;

        Request::new(self.target.prepare_route(), &[self.target.id()])?
            .conversation(self.target.conversation())
            .json(&self.request)
    }
}

into_future!(PrepareUpload, UploadPrepareResponse, crate::response::json);

/// `POST …/upload_part_finish`: reports one uploaded part.
///
/// 40093001 means the part is not ready yet; [`ChunkedUpload`] retries it every `retry_delay`
/// seconds until `retry_timeout` runs out.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct FinishUploadPart<'a> {
    client: &'a Client,
    target: FileTarget,
    request: UploadPartFinishRequest,
}

impl FinishUploadPart<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        crate::request::check_not_empty("upload_id", &self.request.upload_id)?;
        check_hex("md5", &self.request.md5, 32)?;

        // Reporting the same part twice has no further effect.
        Request::new(self.target.finish_route(), &[self.target.id()])?
            .conversation(self.target.conversation())
            .replay(Replay::Idempotent)
            .json(&self.request)
    }
}

into_future!(FinishUploadPart, (), crate::response::empty);

fn check_hex(name: &str, value: &str, length: usize) -> Result<(), Error> {
    if value.len() != length || !value.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(Error::validation(format!(
            "{name} must be {length} hex characters, got {value:?}"
        )));
    }

    Ok(())
}

/// Lowercase hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;

    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
            let _ = write!(text, "{byte:02x}");
            text
        })
}
