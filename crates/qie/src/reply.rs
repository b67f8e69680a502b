//! [`Reply`]: what a handler sends back, independent of the scene.

use qie_model::message::{Ark, Embed, Keyboard, Markdown, MessageReference};

/// A message to send, before the scene is known.
///
/// [`Context::reply`](crate::Context::reply) turns it into the body of the scene's endpoint
/// (channel, DM, group or C2C) and adds `msg_id` or `event_id` and `msg_seq`. A `&str` or a
/// `String` converts into a text reply.
///
/// What each scene accepts, as the platform documents it:
///
/// | part | channel / DM | group / C2C |
/// | --- | --- | --- |
/// | text | yes | yes |
/// | Markdown (+ keyboard) | yes (invitation only in guilds) | yes |
/// | Ark | yes | yes (passive ark needs an application) |
/// | Embed | yes | no: the reply fails with a message error |
/// | image | URL or upload (`file_image`) | URL or bytes, uploaded through the files API first |
///
/// Markdown combines only with a keyboard; text may accompany an image.
///
/// # Examples
///
/// ```
/// use qie::Reply;
/// use qie::message::{ActionType, Button, Keyboard};
///
/// let text: Reply = "pong".into();
/// let card = Reply::markdown("**Pick one**")
///     .keyboard(Keyboard::rows([[Button::new("Yes", ActionType::Callback, "vote:yes")]]));
/// let picture = Reply::image_bytes(vec![0x89, b'P', b'N', b'G'], "dice.png").content("🎲");
/// # drop((text, card, picture));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct Reply {
    pub(crate) content: Option<String>,
    pub(crate) markdown: Option<Markdown>,
    pub(crate) keyboard: Option<Keyboard>,
    pub(crate) ark: Option<Ark>,
    pub(crate) embed: Option<Embed>,
    pub(crate) image: Option<Image>,
    pub(crate) reference: Option<String>,
}

/// An image to send.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Image {
    /// An image the platform downloads. Its host must be registered in the bot console.
    Url(String),
    /// Image bytes uploaded with the message.
    Bytes {
        /// The encoded image (PNG, JPEG or GIF).
        data: Vec<u8>,
        /// File name shown to users.
        file_name: String,
    },
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Url(url) => f.debug_tuple("Url").field(url).finish(),
            Self::Bytes { data, file_name } => f
                .debug_struct("Bytes")
                .field("len", &data.len())
                .field("file_name", file_name)
                .finish(),
        }
    }
}

impl Reply {
    /// Creates a text reply.
    pub fn text(content: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            ..Self::default()
        }
    }

    /// Creates a native Markdown reply.
    pub fn markdown(content: impl Into<String>) -> Self {
        Self::markdown_with(Markdown::new(content))
    }

    /// Creates a Markdown reply from a prepared [`Markdown`], such as a template with parameters.
    pub fn markdown_with(markdown: Markdown) -> Self {
        Self {
            markdown: Some(markdown),
            ..Self::default()
        }
    }

    /// Creates an Ark (template card) reply.
    pub fn ark(ark: Ark) -> Self {
        Self {
            ark: Some(ark),
            ..Self::default()
        }
    }

    /// Creates an Embed reply (channels and DMs only).
    pub fn embed(embed: Embed) -> Self {
        Self {
            embed: Some(embed),
            ..Self::default()
        }
    }

    /// Creates a reply with an image the platform downloads from `url`.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self {
            image: Some(Image::Url(url.into())),
            ..Self::default()
        }
    }

    /// Creates a reply with an image uploaded from memory.
    pub fn image_bytes(data: Vec<u8>, file_name: impl Into<String>) -> Self {
        Self {
            image: Some(Image::Bytes {
                data,
                file_name: file_name.into(),
            }),
            ..Self::default()
        }
    }

    /// Sets the text, for example a caption beside an image.
    pub fn content(mut self, content: impl Into<String>) -> Self {
        self.content = Some(content.into());
        self
    }

    /// Adds a keyboard (buttons) under a Markdown reply.
    pub fn keyboard(mut self, keyboard: Keyboard) -> Self {
        self.keyboard = Some(keyboard);
        self
    }

    /// Quotes a message: a guild message id in channels, a `REFIDX_…` index in groups and C2C.
    pub fn quote(mut self, message_id: impl Into<String>) -> Self {
        self.reference = Some(message_id.into());
        self
    }

    pub(crate) fn reference(&self) -> Option<MessageReference> {
        self.reference.clone().map(MessageReference::new)
    }
}

impl From<&str> for Reply {
    fn from(content: &str) -> Self {
        Self::text(content)
    }
}

impl From<String> for Reply {
    fn from(content: String) -> Self {
        Self::text(content)
    }
}

impl From<&String> for Reply {
    fn from(content: &String) -> Self {
        Self::text(content.clone())
    }
}
