//! Messages: channel, group and C2C sends, streams, recalls and lookups.

pub(crate) mod create_c2c_message;
pub(crate) mod create_c2c_stream_message;
pub(crate) mod create_channel_setting_guide;
pub(crate) mod create_group_message;
pub(crate) mod create_message;
pub(crate) mod delete_c2c_message;
pub(crate) mod delete_group_message;
pub(crate) mod delete_message;
pub(crate) mod get_channel_messages;
pub(crate) mod get_message;
pub(crate) mod send;
pub(crate) mod update_message;

pub use self::create_c2c_message::CreateC2cMessage;
pub use self::create_c2c_stream_message::CreateC2cStreamMessage;
pub use self::create_channel_setting_guide::CreateChannelSettingGuide;
pub use self::create_group_message::CreateGroupMessage;
pub use self::create_message::CreateMessage;
pub use self::delete_c2c_message::DeleteC2cMessage;
pub use self::delete_group_message::DeleteGroupMessage;
pub use self::delete_message::DeleteMessage;
pub use self::get_channel_messages::GetChannelMessages;
pub use self::get_message::GetMessage;
pub use self::update_message::UpdateMessage;
