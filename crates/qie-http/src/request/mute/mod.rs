//! Guild mutes.

pub(crate) mod mute_guild;
pub(crate) mod mute_guild_member;
pub(crate) mod mute_guild_members;

pub use self::mute_guild::MuteGuild;
pub use self::mute_guild_member::MuteGuildMember;
pub use self::mute_guild_members::MuteGuildMembers;
