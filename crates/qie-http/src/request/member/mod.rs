//! Guild members.

pub(crate) mod get_guild_member;
pub(crate) mod get_guild_members;
pub(crate) mod get_role_members;
pub(crate) mod remove_guild_member;

pub use self::get_guild_member::GetGuildMember;
pub use self::get_guild_members::GetGuildMembers;
pub use self::get_role_members::GetRoleMembers;
pub use self::remove_guild_member::RemoveGuildMember;
