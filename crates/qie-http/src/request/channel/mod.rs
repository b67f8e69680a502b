//! Guild channels.

pub(crate) mod create_channel;
pub(crate) mod delete_channel;
pub(crate) mod get_channel;
pub(crate) mod get_channel_online_nums;
pub(crate) mod get_guild_channels;
pub(crate) mod update_channel;

pub use self::create_channel::CreateChannel;
pub use self::delete_channel::DeleteChannel;
pub use self::get_channel::GetChannel;
pub use self::get_channel_online_nums::GetChannelOnlineNums;
pub use self::get_guild_channels::GetGuildChannels;
pub use self::update_channel::UpdateChannel;
