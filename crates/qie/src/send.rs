//! Sending replies and acknowledging interactions through the OpenAPI client.

use qie_http::reply::{ReplyContext, ReplyTarget};
use qie_model::id::InteractionId;
use qie_model::interaction::InteractionAckCode;
use qie_model::media::{FileType, UploadMediaRequest};
use qie_model::message::Scene;

use crate::context::{ReplyError, ReplyErrorKind, Sent};
use crate::reply::{Image, Reply};

/// Sends `reply` to the target of `context`, as its next passive reply.
///
/// In groups and C2C an image is first uploaded through the scene's files API (URL or base64
/// bytes, `srv_send_msg: false`) and then sent as media; in channels and DMs it goes with the
/// message (`image` URL or a `file_image` upload).
pub(crate) async fn send_reply(
    http: &qie_http::Client,
    context: &ReplyContext,
    reply: Reply,
) -> Result<Sent, ReplyError> {
    let scene = context.scene();
    let mut request = http.reply(context);

    if let Some(content) = reply.content.as_deref() {
        request = request.content(content);
    }
    if let Some(markdown) = reply.markdown.clone() {
        request = request.markdown(markdown);
    }
    if let Some(keyboard) = reply.keyboard.clone() {
        request = request.keyboard(keyboard);
    }
    if let Some(ark) = reply.ark.clone() {
        request = request.ark(ark);
    }
    if let Some(embed) = reply.embed.clone() {
        request = request.embed(embed);
    }
    if let Some(reference) = reply.reference() {
        request = request.reference(reference);
    }

    match (reply.image, scene) {
        (None, _) => {}
        (Some(image), Scene::Group | Scene::C2c) => {
            let file_info = upload_image(http, context.target(), image).await?;
            request = request.media(&file_info);
        }
        (Some(Image::Url(url)), _) => request = request.image(&url),
        (Some(Image::Bytes { data, file_name }), _) => {
            request = request.file_image(data, &file_name);
        }
    }

    let sent = request
        .await
        .map_err(|error| ReplyError::new(ReplyErrorKind::Http(error)))?;

    Ok(Sent {
        id: Some(sent.message.id),
        msg_seq: sent.msg_seq,
    })
}

/// Uploads an image for a group or C2C reply and returns its `file_info`.
async fn upload_image(
    http: &qie_http::Client,
    target: &ReplyTarget,
    image: Image,
) -> Result<String, ReplyError> {
    let request = match image {
        Image::Url(url) => UploadMediaRequest::from_url(FileType::Image, url),
        Image::Bytes { data, file_name } => {
            qie_http::request::file::file_data_request(FileType::Image, &data).file_name(file_name)
        }
    };

    let uploaded = match target {
        ReplyTarget::Group(group) => http.create_group_file(group.clone(), request).await,
        ReplyTarget::C2c(user) => http.create_c2c_file(user.clone(), request).await,
        _ => {
            return Err(ReplyError::new(ReplyErrorKind::NotReplyable {
                event: "image upload outside groups and C2C".to_owned(),
            }));
        }
    };

    uploaded
        .map(|uploaded| uploaded.file_info)
        .map_err(|error| ReplyError::new(ReplyErrorKind::Http(error)))
}

/// Acknowledges an interaction with code 0 (success).
pub(crate) async fn acknowledge(
    http: &qie_http::Client,
    id: &InteractionId,
) -> Result<(), qie_http::Error> {
    http.acknowledge_interaction(id.clone())
        .code(InteractionAckCode::Success)
        .await
}
