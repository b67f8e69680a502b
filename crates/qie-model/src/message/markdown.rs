//! Markdown message content (`markdown`).

/// `markdown` of a message: native markdown text, or a template with parameters.
///
/// Native `content` and template fields are mutually exclusive (error 50057); the
/// constructors build one or the other.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Markdown {
    /// Native markdown text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Template id from the console (marked deprecated by the platform in 2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_template_id: Option<String>,
    /// Older numeric template id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<u64>,
    /// Template parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<MarkdownParam>,
    /// Fail the send when an image in the markdown cannot be re-hosted (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_verify_image_resource: Option<bool>,
}

impl Markdown {
    /// Builds native markdown.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            ..Self::default()
        }
    }

    /// Builds a template message from a console template id.
    pub fn template(custom_template_id: impl Into<String>) -> Self {
        Self {
            custom_template_id: Some(custom_template_id.into()),
            ..Self::default()
        }
    }

    /// Adds a template parameter with one value.
    #[must_use]
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push(MarkdownParam::new(key, [value.into()]));
        self
    }

    /// Adds a template parameter with a list of values.
    #[must_use]
    pub fn param_list<I, V>(mut self, key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        self.params.push(MarkdownParam::new(key, values));
        self
    }

    /// Returns whether any template field is set.
    pub fn is_template(&self) -> bool {
        self.custom_template_id.is_some() || self.template_id.is_some() || !self.params.is_empty()
    }
}

/// One template parameter: a key and its values (one value is a scalar, several a list).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MarkdownParam {
    /// Parameter name.
    pub key: String,
    /// Values.
    pub values: Vec<String>,
}

impl MarkdownParam {
    /// Builds a parameter.
    pub fn new<I, V>(key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        Self {
            key: key.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}
