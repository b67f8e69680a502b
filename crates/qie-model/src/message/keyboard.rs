//! Message keyboards (`keyboard`): a template id or custom rows of buttons.

use crate::id::RoleId;
use crate::macros::int_enum;

/// Maximum number of rows in a custom keyboard.
pub const MAX_KEYBOARD_ROWS: usize = 5;
/// Maximum number of buttons in a keyboard row.
pub const MAX_BUTTONS_PER_ROW: usize = 5;

/// `keyboard` of a message: either a template `id` or custom `content`, never both.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Keyboard {
    /// Keyboard template id from the console.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Custom rows (invite-only feature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<KeyboardContent>,
}

impl Keyboard {
    /// Builds a keyboard from a template id.
    pub fn template(id: impl Into<String>) -> Self {
        Self {
            id: Some(id.into()),
            content: None,
        }
    }

    /// Builds a custom keyboard from rows of buttons.
    pub fn rows<R, B>(rows: R) -> Self
    where
        R: IntoIterator<Item = B>,
        B: IntoIterator<Item = Button>,
    {
        let rows = rows
            .into_iter()
            .map(|buttons| KeyboardRow {
                buttons: buttons.into_iter().collect(),
            })
            .collect();

        Self {
            id: None,
            content: Some(KeyboardContent { rows }),
        }
    }
}

/// `keyboard.content`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct KeyboardContent {
    /// At most [`MAX_KEYBOARD_ROWS`] rows.
    pub rows: Vec<KeyboardRow>,
}

/// One keyboard row.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct KeyboardRow {
    /// At most [`MAX_BUTTONS_PER_ROW`] buttons.
    pub buttons: Vec<Button>,
}

/// One button.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Button {
    /// Unique within the keyboard; echoed as `button_id` in INTERACTION_CREATE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Label and style.
    pub render_data: RenderData,
    /// Click behaviour.
    pub action: Action,
    /// Buttons of one group grey out after one is clicked (botgo only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

impl Button {
    /// Builds a button that everyone may click, with the same label before and after a click.
    pub fn new(label: impl Into<String>, action_type: ActionType, data: impl Into<String>) -> Self {
        let label = label.into();

        Self {
            id: None,
            render_data: RenderData {
                visited_label: label.clone(),
                label,
                style: ButtonStyle::BlueOutline,
            },
            action: Action {
                action_type,
                permission: Permission::everyone(),
                data: data.into(),
                reply: None,
                enter: None,
                anchor: None,
                click_limit: None,
                at_bot_show_channel_list: None,
                unsupport_tips: String::new(),
                modal: None,
            },
            group_id: None,
        }
    }

    /// Sets the button id (echoed as `button_id` in INTERACTION_CREATE).
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the label shown after a click.
    #[must_use]
    pub fn visited_label(mut self, label: impl Into<String>) -> Self {
        self.render_data.visited_label = label.into();
        self
    }

    /// Sets the style.
    #[must_use]
    pub fn style(mut self, style: ButtonStyle) -> Self {
        self.render_data.style = style;
        self
    }

    /// Sets who may click.
    #[must_use]
    pub fn permission(mut self, permission: Permission) -> Self {
        self.action.permission = permission;
        self
    }

    /// Sets the toast shown by clients that cannot render the button.
    #[must_use]
    pub fn unsupport_tips(mut self, tips: impl Into<String>) -> Self {
        self.action.unsupport_tips = tips.into();
        self
    }

    /// Command buttons: send the command at once instead of filling the input box.
    #[must_use]
    pub fn enter(mut self, enter: bool) -> Self {
        self.action.enter = Some(enter);
        self
    }

    /// Command buttons: quote the message the keyboard belongs to.
    #[must_use]
    pub fn reply(mut self, reply: bool) -> Self {
        self.action.reply = Some(reply);
        self
    }
}

/// `render_data` of a button.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct RenderData {
    /// Text.
    pub label: String,
    /// Text after a click.
    pub visited_label: String,
    /// Style.
    pub style: ButtonStyle,
}

/// `action` of a button.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Action {
    /// Click behaviour.
    #[serde(rename = "type")]
    pub action_type: ActionType,
    /// Permission to click.
    pub permission: Permission,
    /// URL, callback data or command text.
    pub data: String,
    /// Command buttons: quote this message (client version 8983 and later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<bool>,
    /// Command buttons: send at once (client version 8983 and later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enter: Option<bool>,
    /// `1` opens the image picker (mobile C2C only); overrides `enter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<u8>,
    /// Deprecated click limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub click_limit: Option<u32>,
    /// Deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_bot_show_channel_list: Option<bool>,
    /// Toast for clients that cannot render the button.
    #[serde(default)]
    pub unsupport_tips: String,
    /// Confirmation dialog (botgo only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modal: Option<Modal>,
}

/// `action.permission` of a button.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Permission {
    /// Permission to click.
    #[serde(rename = "type")]
    pub permission_type: PermissionType,
    /// Users allowed with [`PermissionType::SpecifiedUsers`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specify_user_ids: Vec<String>,
    /// Roles allowed with [`PermissionType::SpecifiedRoles`] (guild only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specify_role_ids: Vec<RoleId>,
}

impl Permission {
    /// Everyone may click.
    pub fn everyone() -> Self {
        Self::of_type(PermissionType::Everyone)
    }

    /// Only managers may click.
    pub fn managers() -> Self {
        Self::of_type(PermissionType::Managers)
    }

    /// Only the listed users may click (guild user ids or member openids).
    pub fn users<I, V>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        Self {
            specify_user_ids: user_ids.into_iter().map(Into::into).collect(),
            ..Self::of_type(PermissionType::SpecifiedUsers)
        }
    }

    /// Only members of the listed guild roles may click.
    pub fn roles(role_ids: impl IntoIterator<Item = RoleId>) -> Self {
        Self {
            specify_role_ids: role_ids.into_iter().collect(),
            ..Self::of_type(PermissionType::SpecifiedRoles)
        }
    }

    fn of_type(permission_type: PermissionType) -> Self {
        Self {
            permission_type,
            specify_user_ids: Vec::new(),
            specify_role_ids: Vec::new(),
        }
    }
}

/// `action.modal`: a confirmation dialog.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Modal {
    /// Dialog text.
    pub content: String,
    /// Confirm button text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm_text: Option<String>,
    /// Cancel button text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_text: Option<String>,
}

int_enum! {
    /// `render_data.style` of a button.
    pub enum ButtonStyle: u8 {
        /// 0: grey outline.
        GreyOutline = 0,
        /// 1: blue outline.
        BlueOutline = 1,
        /// 2: recommended reply.
        Recommended = 2,
        /// 3: red text.
        Red = 3,
        /// 4: blue background.
        BlueFilled = 4,
    }
}

int_enum! {
    /// `action.type` of a button.
    pub enum ActionType: u8 {
        /// 0: open a link (http or mini-program scheme).
        Link = 0,
        /// 1: callback: the platform sends INTERACTION_CREATE carrying `data`.
        Callback = 1,
        /// 2: command: puts `@bot data` in the input box.
        Command = 2,
        /// 3: mqqapi scheme (botgo).
        Mqqapi = 3,
        /// 4: subscribe (botgo).
        Subscribe = 4,
    }
}

int_enum! {
    /// `action.permission.type` of a button.
    pub enum PermissionType: u8 {
        /// 0: the users in `specify_user_ids`.
        SpecifiedUsers = 0,
        /// 1: managers only.
        Managers = 1,
        /// 2: everyone.
        Everyone = 2,
        /// 3: the roles in `specify_role_ids` (guild only).
        SpecifiedRoles = 3,
    }
}
