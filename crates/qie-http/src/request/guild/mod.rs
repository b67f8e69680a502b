//! Guilds.

pub(crate) mod get_guild;
pub(crate) mod get_guild_message_setting;

pub use self::get_guild::GetGuild;
pub use self::get_guild_message_setting::GetGuildMessageSetting;
