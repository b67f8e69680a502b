//! Guild and channel announcements.

pub(crate) mod create_channel_announce;
pub(crate) mod create_guild_announce;
pub(crate) mod delete_channel_announce;
pub(crate) mod delete_guild_announce;

pub use self::create_channel_announce::CreateChannelAnnounce;
pub use self::create_guild_announce::CreateGuildAnnounce;
pub use self::delete_channel_announce::DeleteChannelAnnounce;
pub use self::delete_guild_announce::DeleteGuildAnnounce;
