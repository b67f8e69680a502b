//! The C2C menu (`/v2/menu`).

pub(crate) mod get_menu;
pub(crate) mod update_menu;

pub use self::get_menu::GetMenu;
pub use self::update_menu::UpdateMenu;
