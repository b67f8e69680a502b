//! Command panels (`/v2/panels`) and the C2C menu (`/v2/menu`).
//!
//! Width limits count a CJK character as 2 units and any other character as 1.

use qie_model::id::{GroupOpenid, UserOpenid};
use qie_model::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use super::macros::str_enum;

/// Maximum items of a panel.
pub const MAX_PANEL_ITEMS: usize = 20;
/// Maximum width of a panel item name.
pub const MAX_PANEL_ITEM_NAME_WIDTH: usize = 14;
/// Maximum width of a panel item description.
pub const MAX_PANEL_ITEM_DESC_WIDTH: usize = 30;
/// Maximum characters of a panel remark.
pub const MAX_PANEL_REMARK_CHARS: usize = 255;
/// Maximum openids per panel target call.
pub const MAX_PANEL_TARGETS: usize = 20;
/// Maximum items of the menu.
pub const MAX_MENU_ITEMS: usize = 10;
/// Maximum width of a menu item name.
pub const MAX_MENU_ITEM_NAME_WIDTH: usize = 10;
/// Maximum width of a sub-menu item name.
pub const MAX_SUB_MENU_ITEM_NAME_WIDTH: usize = 14;
/// Maximum sub-menu items of a `menu` item.
pub const MAX_SUB_MENU_ITEMS: usize = 5;

str_enum! {
    /// `scope` of a panel.
    pub enum PanelScope {
        /// One-to-one chats.
        C2c = "c2c",
        /// Groups.
        Group = "group",
        /// Guild channels.
        Channel = "channel",
        /// Guild DMs.
        Dm = "dm",
    }
}

str_enum! {
    /// `target_type` of a panel.
    pub enum PanelTargetType {
        /// Every chat of the scope.
        All = "all",
        /// Listed users or groups (C2C and group scopes only).
        Specific = "specific",
    }
}

str_enum! {
    /// `type` of a panel item.
    pub enum PanelItemType {
        /// Types `name` into the input box.
        Command = "command",
        /// Opens `link`.
        Link = "link",
    }
}

/// One entry of a panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PanelItem {
    /// Name (at most 14 width units).
    pub name: String,
    /// Description (at most 30 width units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// Kind.
    #[serde(rename = "type")]
    pub item_type: PanelItemType,
    /// Shown to admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_admin: Option<bool>,
    /// `https` link of a link item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl PanelItem {
    /// Builds a command entry.
    pub fn command(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            desc: None,
            item_type: PanelItemType::Command,
            only_admin: None,
            link: None,
        }
    }

    /// Builds a link entry.
    pub fn link(name: impl Into<String>, link: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            desc: None,
            item_type: PanelItemType::Link,
            only_admin: None,
            link: Some(link.into()),
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn desc(mut self, desc: impl Into<String>) -> Self {
        self.desc = Some(desc.into());
        self
    }

    /// Shows the entry to admins only.
    #[must_use]
    pub fn admin_only(mut self) -> Self {
        self.only_admin = Some(true);
        self
    }
}

/// A panel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Panel {
    /// Entries (at most 20).
    #[serde(default)]
    pub items: Vec<PanelItem>,
    /// Note (at most 255 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// Version (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

impl Panel {
    /// Builds a panel with `items`.
    pub fn new(items: impl IntoIterator<Item = PanelItem>) -> Self {
        Self {
            items: items.into_iter().collect(),
            remark: None,
            version: None,
        }
    }

    /// Sets the note.
    #[must_use]
    pub fn remark(mut self, remark: impl Into<String>) -> Self {
        self.remark = Some(remark.into());
        self
    }

    /// Checks the documented limits.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.items.len() > MAX_PANEL_ITEMS {
            return Err(format!(
                "panel has {} items; the maximum is {MAX_PANEL_ITEMS}",
                self.items.len()
            ));
        }
        if let Some(remark) = &self.remark
            && remark.chars().count() > MAX_PANEL_REMARK_CHARS
        {
            return Err(format!(
                "panel remark has {} characters; the maximum is {MAX_PANEL_REMARK_CHARS}",
                remark.chars().count()
            ));
        }

        for item in &self.items {
            check_width("panel item name", &item.name, MAX_PANEL_ITEM_NAME_WIDTH)?;
            if let Some(desc) = &item.desc {
                check_width("panel item desc", desc, MAX_PANEL_ITEM_DESC_WIDTH)?;
            }
            match item.item_type {
                PanelItemType::Link => check_https("panel item link", item.link.as_deref())?,
                _ if item.link.is_some() => {
                    return Err(format!(
                        "panel item {:?} has a link but is not a link item",
                        item.name
                    ));
                }
                _ => {}
            }
        }

        Ok(())
    }
}

/// A stored panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PanelRecord {
    /// Panel id.
    pub panel_id: String,
    /// Scope.
    pub scope: PanelScope,
    /// Target kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<PanelTargetType>,
    /// The panel.
    #[serde(default)]
    pub panel: Panel,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Version.
    #[serde(default)]
    pub version: u64,
    /// Target users (specific C2C panels, single-panel lookups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_openids: Vec<UserOpenid>,
    /// Target groups (specific group panels, single-panel lookups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_openids: Vec<GroupOpenid>,
}

/// `GET /v2/panels`: one page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PanelPage {
    /// Panels of this page.
    #[serde(default)]
    pub records: Vec<PanelRecord>,
    /// Cursor of the next page (empty on the last page).
    #[serde(default)]
    pub next_cursor: String,
    /// Whether this is the last page.
    #[serde(default)]
    pub is_end: bool,
}

/// `POST /v2/panels`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedPanel {
    /// Id of the new panel.
    pub panel_id: String,
}

/// A version number returned by panel and menu writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Version {
    /// Version after the write.
    #[serde(default)]
    pub version: u64,
}

/// `GET /v2/menu`: the menu and its version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MenuState {
    /// Version of the menu.
    #[serde(default)]
    pub version: u64,
    /// The menu, if one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu: Option<Menu>,
}

str_enum! {
    /// `type` of a menu item.
    pub enum MenuItemType {
        /// Fills the input box with `send_message`.
        SendMessage = "send_message",
        /// Opens `link`.
        Link = "link",
        /// A switch (the user's messages then carry `<switch_id>=1` in their `ext` list).
        Switch = "switch",
        /// Opens `sub_menu_items`.
        Menu = "menu",
    }
}

/// `switch` of a menu item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MenuSwitch {
    /// Switch id.
    pub switch_id: String,
    /// Initial state.
    #[serde(default)]
    pub default: bool,
}

/// An item of a sub-menu (no switches, no nesting).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubMenuItem {
    /// Name (at most 14 width units).
    pub name: String,
    /// `send_message` or `link`.
    #[serde(rename = "type")]
    pub item_type: MenuItemType,
    /// Text for the input box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_message: Option<String>,
    /// `https` link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl SubMenuItem {
    /// Builds an item that fills the input box with `text`.
    pub fn send_message(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            item_type: MenuItemType::SendMessage,
            send_message: Some(text.into()),
            link: None,
        }
    }

    /// Builds an item that opens `link`.
    pub fn link(name: impl Into<String>, link: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            item_type: MenuItemType::Link,
            send_message: None,
            link: Some(link.into()),
        }
    }
}

/// An item of the C2C menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MenuItem {
    /// Name (at most 10 width units).
    pub name: String,
    /// Kind.
    #[serde(rename = "type")]
    pub item_type: MenuItemType,
    /// Text for the input box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_message: Option<String>,
    /// `https` link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch: Option<MenuSwitch>,
    /// Sub-menu (1–5 items, `menu` items only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_menu_items: Vec<SubMenuItem>,
}

impl MenuItem {
    /// Builds an item that fills the input box with `text`.
    pub fn send_message(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::new(name, MenuItemType::SendMessage).with_text(text)
    }

    /// Builds an item that opens `link`.
    pub fn link(name: impl Into<String>, link: impl Into<String>) -> Self {
        let mut item = Self::new(name, MenuItemType::Link);
        item.link = Some(link.into());
        item
    }

    /// Builds a switch item.
    pub fn switch(name: impl Into<String>, switch_id: impl Into<String>, default: bool) -> Self {
        let mut item = Self::new(name, MenuItemType::Switch);
        item.switch = Some(MenuSwitch {
            switch_id: switch_id.into(),
            default,
        });
        item
    }

    /// Builds an item that opens a sub-menu.
    pub fn sub_menu(name: impl Into<String>, items: impl IntoIterator<Item = SubMenuItem>) -> Self {
        let mut item = Self::new(name, MenuItemType::Menu);
        item.sub_menu_items = items.into_iter().collect();
        item
    }

    fn new(name: impl Into<String>, item_type: MenuItemType) -> Self {
        Self {
            name: name.into(),
            item_type,
            send_message: None,
            link: None,
            switch: None,
            sub_menu_items: Vec::new(),
        }
    }

    fn with_text(mut self, text: impl Into<String>) -> Self {
        self.send_message = Some(text.into());
        self
    }
}

/// The C2C menu: one per bot, the same for every user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Menu {
    /// Items (at most 10).
    #[serde(default)]
    pub items: Vec<MenuItem>,
}

impl Menu {
    /// Builds a menu with `items`.
    pub fn new(items: impl IntoIterator<Item = MenuItem>) -> Self {
        Self {
            items: items.into_iter().collect(),
        }
    }

    /// Checks the documented limits.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.items.len() > MAX_MENU_ITEMS {
            return Err(format!(
                "menu has {} items; the maximum is {MAX_MENU_ITEMS}",
                self.items.len()
            ));
        }

        for item in &self.items {
            check_width("menu item name", &item.name, MAX_MENU_ITEM_NAME_WIDTH)?;
            match item.item_type {
                MenuItemType::SendMessage if item.send_message.is_none() => {
                    return Err(format!("menu item {:?} needs send_message", item.name));
                }
                MenuItemType::Link => check_https("menu item link", item.link.as_deref())?,
                MenuItemType::Switch if item.switch.is_none() => {
                    return Err(format!("menu item {:?} needs switch", item.name));
                }
                MenuItemType::Menu => validate_sub_menu(item)?,
                _ => {}
            }
            if item.item_type != MenuItemType::Menu && !item.sub_menu_items.is_empty() {
                return Err(format!(
                    "menu item {:?} has sub_menu_items but is not a menu item",
                    item.name
                ));
            }
        }

        Ok(())
    }
}

fn validate_sub_menu(item: &MenuItem) -> Result<(), String> {
    let count = item.sub_menu_items.len();
    if count == 0 || count > MAX_SUB_MENU_ITEMS {
        return Err(format!(
            "menu item {:?} has {count} sub-menu items; 1 to {MAX_SUB_MENU_ITEMS} are allowed",
            item.name
        ));
    }

    for sub in &item.sub_menu_items {
        check_width(
            "sub-menu item name",
            &sub.name,
            MAX_SUB_MENU_ITEM_NAME_WIDTH,
        )?;
        match sub.item_type {
            MenuItemType::SendMessage if sub.send_message.is_some() => {}
            MenuItemType::Link => check_https("sub-menu item link", sub.link.as_deref())?,
            _ => {
                return Err(format!(
                    "sub-menu item {:?} must be send_message (with text) or link",
                    sub.name
                ));
            }
        }
    }

    Ok(())
}

/// Width of `text` as the platform counts it: 2 per CJK character, 1 per other character.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .map(|character| if is_wide(character) { 2 } else { 1 })
        .sum()
}

fn is_wide(character: char) -> bool {
    matches!(character as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

fn check_width(what: &str, text: &str, max: usize) -> Result<(), String> {
    let width = display_width(text);
    if width > max {
        return Err(format!(
            "{what} {text:?} is {width} units wide; the maximum is {max} (a CJK character counts 2)"
        ));
    }

    Ok(())
}

fn check_https(what: &str, link: Option<&str>) -> Result<(), String> {
    match link {
        Some(link) if link.starts_with("https://") => Ok(()),
        Some(link) => Err(format!("{what} {link:?} must start with https://")),
        None => Err(format!("{what} is missing")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_cjk_twice() {
        assert_eq!(display_width("help"), 4);
        assert_eq!(display_width("帮助"), 4);
        assert_eq!(display_width("查询天气ab"), 10);
    }

    #[test]
    fn panel_limits() {
        assert!(Panel::new([PanelItem::command("/help")]).validate().is_ok());

        let long_name = Panel::new([PanelItem::command("查询今天明天的天气")]);
        assert!(long_name.validate().unwrap_err().contains("14"));

        let plain_link = Panel::new([PanelItem::link("docs", "http://example.com")]);
        assert!(plain_link.validate().unwrap_err().contains("https://"));

        let many = Panel::new((0..21).map(|index| PanelItem::command(format!("/c{index}"))));
        assert!(many.validate().unwrap_err().contains("21 items"));
    }

    #[test]
    fn menu_limits() {
        let menu = Menu::new([
            MenuItem::send_message("Help", "/help"),
            MenuItem::sub_menu("More", [SubMenuItem::link("Docs", "https://example.com")]),
            MenuItem::switch("Quiet", "quiet", false),
        ]);
        assert!(menu.validate().is_ok());

        let empty_sub = Menu::new([MenuItem::sub_menu("More", [])]);
        assert!(empty_sub.validate().is_err());

        let wide = Menu::new([MenuItem::send_message("天气预报查询", "/w")]);
        assert!(wide.validate().unwrap_err().contains("12 units"));
    }
}
