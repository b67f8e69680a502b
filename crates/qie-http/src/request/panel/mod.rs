//! Command panels (`/v2/panels`).

pub(crate) mod create_panel;
pub(crate) mod delete_panel;
pub(crate) mod get_panel;
pub(crate) mod get_panels;
pub(crate) mod update_panel;
pub(crate) mod update_panel_target;

pub use self::create_panel::CreatePanel;
pub use self::delete_panel::DeletePanel;
pub use self::get_panel::GetPanel;
pub use self::get_panels::GetPanels;
pub use self::update_panel::UpdatePanel;
pub use self::update_panel_target::UpdatePanelTarget;
