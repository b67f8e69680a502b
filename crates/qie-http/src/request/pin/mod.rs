//! Pinned messages (精华消息).

pub(crate) mod create_pin;
pub(crate) mod delete_pin;
pub(crate) mod get_pins;

pub use self::create_pin::CreatePin;
pub use self::delete_pin::DeletePin;
pub use self::get_pins::GetPins;
