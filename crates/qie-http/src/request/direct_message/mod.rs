//! Guild direct messages (DMs): sessions, sends and recalls.

pub(crate) mod create_direct_message;
pub(crate) mod create_dm_session;
pub(crate) mod create_dm_setting_guide;
pub(crate) mod delete_direct_message;

pub use self::create_direct_message::CreateDirectMessage;
pub use self::create_dm_session::CreateDmSession;
pub use self::create_dm_setting_guide::CreateDmSettingGuide;
pub use self::delete_direct_message::DeleteDirectMessage;
