use std::future::IntoFuture;

use bytes::Bytes;
use qie_model::message::{
    Ark, Embed, GuildMessage, Keyboard, Markdown, MessageReference, OpenMessage, Scene,
    SendMessageResponse,
};

use super::{ReplyAnchor, ReplyContext, ReplyTarget};
use crate::client::Client;
use crate::codes::CodeClass;
use crate::error::{Error, ErrorKind};
use crate::request::message::send::{
    FileImage, GuildTarget, OpenTarget, guild_message_request, message_error, open_message_request,
};
use crate::response::{self, ResponseFuture};

/// A sent reply.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentReply {
    /// The platform's answer: message id, time and, in groups and C2C, the quote index.
    pub message: SendMessageResponse,
    /// The `msg_seq` the reply was sent with (groups and C2C).
    pub msg_seq: Option<u32>,
}

/// A passive reply to the message or event of a [`ReplyContext`].
///
/// The `.await` first checks the scene's reply window and reply count and fails with
/// [`ErrorKind::ReplyWindowExpired`] or [`ErrorKind::ReplyLimitReached`] without sending. In
/// groups and C2C it then takes the next `msg_seq` of the context; when the platform rejects
/// that number as already used (40054005) it sends once more with the next number. The reply
/// counts against the message's budget unless the platform rejects it; a typing notice never
/// counts.
///
/// Which setters apply depends on the scene: embeds and images by URL or upload exist in
/// channels and DMs, media (`file_info`) and typing notices in groups and C2C (typing in C2C
/// only). A setter of another scene makes the `.await` fail with a validation error.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateReply<'a> {
    client: &'a Client,
    context: ReplyContext,
    draft: Draft,
}

#[derive(Clone, Debug, Default)]
struct Draft {
    content: Option<String>,
    markdown: Option<Markdown>,
    keyboard: Option<Keyboard>,
    ark: Option<Ark>,
    embed: Option<Embed>,
    image: Option<String>,
    file_image: Option<FileImage>,
    media: Option<String>,
    reference: Option<MessageReference>,
    typing: Option<u32>,
}

impl CreateReply<'_> {
    /// Sets the text.
    pub fn content(mut self, content: &str) -> Self {
        self.draft.content = Some(content.to_owned());
        self
    }

    /// Sets the markdown.
    pub fn markdown(mut self, markdown: Markdown) -> Self {
        self.draft.markdown = Some(markdown);
        self
    }

    /// Sets the keyboard (requires markdown).
    pub fn keyboard(mut self, keyboard: Keyboard) -> Self {
        self.draft.keyboard = Some(keyboard);
        self
    }

    /// Sets the ark.
    pub fn ark(mut self, ark: Ark) -> Self {
        self.draft.ark = Some(ark);
        self
    }

    /// Sets the embed (channels and DMs).
    pub fn embed(mut self, embed: Embed) -> Self {
        self.draft.embed = Some(embed);
        self
    }

    /// Sets an image by URL (channels and DMs).
    pub fn image(mut self, url: &str) -> Self {
        self.draft.image = Some(url.to_owned());
        self
    }

    /// Uploads an image with the reply (channels and DMs).
    pub fn file_image(mut self, bytes: impl Into<Bytes>, file_name: &str) -> Self {
        self.draft.file_image = Some(FileImage {
            bytes: bytes.into(),
            file_name: file_name.to_owned(),
        });
        self
    }

    /// Sends uploaded media by its `file_info` (groups and C2C).
    pub fn media(mut self, file_info: &str) -> Self {
        self.draft.media = Some(file_info.to_owned());
        self
    }

    /// Quotes a message (`REFIDX_…` in groups and C2C, a message id in channels).
    pub fn reference(mut self, reference: MessageReference) -> Self {
        self.draft.reference = Some(reference);
        self
    }

    /// Sends a typing notice shown for `seconds` (C2C only, at most 60) instead of a message.
    /// It takes a `msg_seq` but not a reply from the budget.
    pub fn typing(mut self, seconds: u32) -> Self {
        self.draft.typing = Some(seconds);
        self
    }
}

impl IntoFuture for CreateReply<'_> {
    type Output = Result<SentReply, Error>;
    type IntoFuture = ResponseFuture<SentReply>;

    fn into_future(self) -> Self::IntoFuture {
        let client = self.client.clone();

        ResponseFuture::from_future(
            async move { send_reply(&client, &self.context, &self.draft).await },
        )
    }
}

async fn send_reply(
    client: &Client,
    context: &ReplyContext,
    draft: &Draft,
) -> Result<SentReply, Error> {
    let scene = context.scene();
    let rule = client.reply_windows().get(scene);
    let age = context.age();

    if age + client.reply_windows().safety_margin() >= rule.window {
        return Err(Error::new(ErrorKind::ReplyWindowExpired {
            scene,
            age,
            window: rule.window,
        }));
    }

    let counts = draft.typing.is_none();
    if counts && !context.reserve_reply(rule.max_replies) {
        return Err(Error::new(ErrorKind::ReplyLimitReached {
            scene,
            limit: rule.max_replies.unwrap_or(u32::MAX),
        }));
    }

    let result = match context.target() {
        ReplyTarget::Group(group) => {
            send_open(client, context, draft, &OpenTarget::Group(group.clone())).await
        }
        ReplyTarget::C2c(user) => {
            send_open(client, context, draft, &OpenTarget::C2c(user.clone())).await
        }
        ReplyTarget::Channel(channel) => {
            send_guild(
                client,
                context,
                draft,
                &GuildTarget::Channel(channel.clone()),
            )
            .await
        }
        ReplyTarget::DirectMessage(guild) => {
            send_guild(
                client,
                context,
                draft,
                &GuildTarget::DirectMessage(guild.clone()),
            )
            .await
        }
    };

    if counts && result.as_ref().is_err_and(was_not_delivered) {
        context.release_reply();
    }

    result
}

/// Returns whether a failed reply certainly did not reach the chat, so it can be given back.
fn was_not_delivered(error: &Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::Validation { .. }
            | ErrorKind::Config { .. }
            | ErrorKind::Api(_)
            | ErrorKind::Token(_)
            | ErrorKind::Transport { before_send: true }
    )
}

async fn send_open(
    client: &Client,
    context: &ReplyContext,
    draft: &Draft,
    target: &OpenTarget,
) -> Result<SentReply, Error> {
    let scene = target.scene();
    let mut msg_seq = context.next_msg_seq();
    let mut resequenced = false;

    loop {
        let message = open_message(draft, scene, context.anchor(), msg_seq)?;
        let request = open_message_request(target, &message)?;

        match client.send(request).await {
            Ok(exchange) => {
                return Ok(SentReply {
                    message: response::json(&exchange)?,
                    msg_seq: Some(msg_seq),
                });
            }
            Err(error) if !resequenced && is_duplicate_seq(&error) => {
                let used = msg_seq;
                msg_seq = context.next_msg_seq();
                resequenced = true;
                tracing::info!(
                    used,
                    next = msg_seq,
                    "msg_seq already used for this message (40054005); sending once more with the next"
                );
            }
            Err(error) => return Err(error),
        }
    }
}

fn is_duplicate_seq(error: &Error) -> bool {
    error
        .api()
        .is_some_and(|api| api.class() == CodeClass::DuplicateSeq)
}

async fn send_guild(
    client: &Client,
    context: &ReplyContext,
    draft: &Draft,
    target: &GuildTarget,
) -> Result<SentReply, Error> {
    let scene = match target {
        GuildTarget::Channel(_) => Scene::Channel,
        GuildTarget::DirectMessage(_) => Scene::Dm,
    };
    if draft.media.is_some() || draft.typing.is_some() {
        return Err(Error::validation(format!(
            "media (file_info) and typing notices do not exist in {scene} messages; use image or file_image"
        )));
    }

    let mut message = GuildMessage::default();
    message.content.clone_from(&draft.content);
    message.markdown.clone_from(&draft.markdown);
    message.keyboard.clone_from(&draft.keyboard);
    message.ark.clone_from(&draft.ark);
    message.embed.clone_from(&draft.embed);
    message.image.clone_from(&draft.image);
    message.message_reference.clone_from(&draft.reference);
    match context.anchor() {
        ReplyAnchor::Message(msg_id) => message.msg_id = Some(msg_id.clone()),
        ReplyAnchor::Event(event_id) => message.event_id = Some(event_id.clone()),
    }

    let request = guild_message_request(target, &message, draft.file_image.as_ref())?;
    let exchange = client.send(request).await?;

    Ok(SentReply {
        message: response::json(&exchange)?,
        msg_seq: None,
    })
}

/// Builds a group or C2C body from the draft, anchored and numbered.
fn open_message(
    draft: &Draft,
    scene: Scene,
    anchor: &ReplyAnchor,
    msg_seq: u32,
) -> Result<OpenMessage, Error> {
    if draft.image.is_some() || draft.file_image.is_some() {
        return Err(Error::validation(format!(
            "{scene} messages take images as media: upload with create_{}_file and pass its file_info to .media()",
            if scene == Scene::Group {
                "group"
            } else {
                "c2c"
            }
        )));
    }

    let mut builder = if scene == Scene::Group {
        OpenMessage::group()
    } else {
        OpenMessage::c2c()
    };
    if let Some(content) = &draft.content {
        builder = builder.content(content.clone());
    }
    if let Some(markdown) = &draft.markdown {
        builder = builder.markdown(markdown.clone());
    }
    if let Some(keyboard) = &draft.keyboard {
        builder = builder.keyboard(keyboard.clone());
    }
    if let Some(ark) = &draft.ark {
        builder = builder.ark(ark.clone());
    }
    if let Some(embed) = &draft.embed {
        builder = builder.embed(embed.clone());
    }
    if let Some(media) = &draft.media {
        builder = builder.media(media.clone());
    }
    if let Some(reference) = &draft.reference {
        builder = builder.reference(reference.clone());
    }
    if let Some(seconds) = draft.typing {
        builder = builder.typing(seconds);
    }
    builder = match anchor {
        ReplyAnchor::Message(msg_id) => builder.reply_to(msg_id.clone(), msg_seq),
        ReplyAnchor::Event(event_id) => builder.reply_to_event(event_id.clone(), msg_seq),
    };

    builder
        .build()
        .map_err(|source| message_error(scene, source))
}

impl Client {
    /// Starts a passive reply to the message or event of `context`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: qie_http::Client) -> Result<(), qie_http::Error> {
    /// use qie_http::reply::ReplyContext;
    /// use qie_model::id::{GroupOpenid, MessageId};
    ///
    /// // One context per inbound message, created when it arrives.
    /// let context = ReplyContext::group(
    ///     GroupOpenid::new("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4"),
    ///     MessageId::new("ROBOT1.0_example"),
    /// );
    ///
    /// client.reply(&context).content("Rolling…").await?; // msg_seq 1
    /// client.reply(&context).content("You rolled 17.").await?; // msg_seq 2
    /// # Ok(()) }
    /// ```
    pub fn reply(&self, context: &ReplyContext) -> CreateReply<'_> {
        CreateReply {
            client: self,
            context: context.clone(),
            draft: Draft::default(),
        }
    }
}
