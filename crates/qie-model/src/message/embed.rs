//! Embed messages (`embed`, channels and DMs only).

/// `embed` of a message. Also the shape of `embeds[]` in received guild messages, where every
/// field may be missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Embed {
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description (seen in responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Notification and preview text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Thumbnail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<EmbedThumbnail>,
    /// Lines of text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
}

impl Embed {
    /// Builds an embed with a title and a notification text.
    pub fn new(title: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self {
            title: Some(title.into()),
            prompt: Some(prompt.into()),
            ..Self::default()
        }
    }

    /// Sets the thumbnail URL.
    #[must_use]
    pub fn thumbnail(mut self, url: impl Into<String>) -> Self {
        self.thumbnail = Some(EmbedThumbnail { url: url.into() });
        self
    }

    /// Adds a line.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>) -> Self {
        self.fields.push(EmbedField { name: name.into() });
        self
    }
}

/// `embed.thumbnail`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EmbedThumbnail {
    /// Image URL.
    #[serde(default)]
    pub url: String,
}

/// One line of an embed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EmbedField {
    /// Text.
    #[serde(default)]
    pub name: String,
}
