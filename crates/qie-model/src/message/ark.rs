//! Ark template messages (`ark`).

/// `ark` of a message: a template id and its key/value pairs.
///
/// Templates 23, 24 and 37 are available to every bot; the constructors fill their keys.
/// [`Ark::new`] with [`Ark::kv`] and [`Ark::list`] builds any other template.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Ark {
    /// Template id.
    pub template_id: u32,
    /// Template values.
    #[serde(default)]
    pub kv: Vec<ArkKv>,
}

/// One ark value: a scalar `value` or a list `obj`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ArkKv {
    /// Key such as `#DESC#`.
    pub key: String,
    /// Scalar value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// List value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obj: Option<Vec<ArkObj>>,
}

/// One list entry of an ark value.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ArkObj {
    /// The entry's key/value pairs.
    pub obj_kv: Vec<ArkObjKv>,
}

impl ArkObj {
    /// Builds an entry from key/value pairs.
    pub fn new<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            obj_kv: pairs
                .into_iter()
                .map(|(key, value)| ArkObjKv {
                    key: key.into(),
                    value: value.into(),
                })
                .collect(),
        }
    }
}

/// One key/value pair of a list entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ArkObjKv {
    /// Key such as `desc`.
    pub key: String,
    /// Value.
    pub value: String,
}

/// One line of template 23: text with an optional link (links must be registered in the
/// console).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArkListItem {
    /// Line text.
    pub desc: String,
    /// Optional link.
    pub link: Option<String>,
}

impl ArkListItem {
    /// Builds a line without a link.
    pub fn text(desc: impl Into<String>) -> Self {
        Self {
            desc: desc.into(),
            link: None,
        }
    }

    /// Builds a line with a link.
    pub fn link(desc: impl Into<String>, link: impl Into<String>) -> Self {
        Self {
            desc: desc.into(),
            link: Some(link.into()),
        }
    }
}

impl Ark {
    /// Builds an empty ark of any template.
    pub fn new(template_id: u32) -> Self {
        Self {
            template_id,
            kv: Vec::new(),
        }
    }

    /// Adds a scalar value.
    #[must_use]
    pub fn kv(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.kv.push(ArkKv {
            key: key.into(),
            value: Some(value.into()),
            obj: None,
        });
        self
    }

    /// Adds a list value.
    #[must_use]
    pub fn list(
        mut self,
        key: impl Into<String>,
        entries: impl IntoIterator<Item = ArkObj>,
    ) -> Self {
        self.kv.push(ArkKv {
            key: key.into(),
            value: None,
            obj: Some(entries.into_iter().collect()),
        });
        self
    }

    /// Template 23, link and text list: `#DESC#`, `#PROMPT#` and `#LIST#`.
    pub fn link_list(
        desc: impl Into<String>,
        prompt: impl Into<String>,
        items: impl IntoIterator<Item = ArkListItem>,
    ) -> Self {
        let entries = items.into_iter().map(|item| {
            let mut pairs = vec![("desc", item.desc)];
            if let Some(link) = item.link {
                pairs.push(("link", link));
            }
            ArkObj::new(pairs)
        });

        Self::new(23)
            .kv("#DESC#", desc)
            .kv("#PROMPT#", prompt)
            .list("#LIST#", entries)
    }

    /// Template 24, text and thumbnail.
    pub fn text_thumbnail(card: TextThumbnail) -> Self {
        Self::new(24)
            .kv("#DESC#", card.desc)
            .kv("#PROMPT#", card.prompt)
            .kv("#TITLE#", card.title)
            .kv("#METADESC#", card.metadesc)
            .kv("#IMG#", card.img)
            .kv("#LINK#", card.link)
            .kv("#SUBTITLE#", card.subtitle)
    }

    /// Template 37, large image (cover 975×540).
    pub fn large_image(card: LargeImage) -> Self {
        Self::new(37)
            .kv("#PROMPT#", card.prompt)
            .kv("#METATITLE#", card.metatitle)
            .kv("#METASUBTITLE#", card.metasubtitle)
            .kv("#METACOVER#", card.metacover)
            .kv("#METAURL#", card.metaurl)
    }
}

/// Values of template 24.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextThumbnail {
    /// `#DESC#`.
    pub desc: String,
    /// `#PROMPT#`: notification text.
    pub prompt: String,
    /// `#TITLE#`.
    pub title: String,
    /// `#METADESC#`.
    pub metadesc: String,
    /// `#IMG#`: thumbnail URL.
    pub img: String,
    /// `#LINK#`.
    pub link: String,
    /// `#SUBTITLE#`.
    pub subtitle: String,
}

/// Values of template 37.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LargeImage {
    /// `#PROMPT#`: notification text.
    pub prompt: String,
    /// `#METATITLE#`.
    pub metatitle: String,
    /// `#METASUBTITLE#`.
    pub metasubtitle: String,
    /// `#METACOVER#`: cover image URL (975×540).
    pub metacover: String,
    /// `#METAURL#`: target URL.
    pub metaurl: String,
}
