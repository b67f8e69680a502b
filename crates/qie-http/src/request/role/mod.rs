//! Guild roles and role membership.

pub(crate) mod add_guild_member_role;
pub(crate) mod create_role;
pub(crate) mod delete_role;
pub(crate) mod get_guild_roles;
pub(crate) mod remove_guild_member_role;
pub(crate) mod update_role;

pub use self::add_guild_member_role::AddGuildMemberRole;
pub use self::create_role::CreateRole;
pub use self::delete_role::DeleteRole;
pub use self::get_guild_roles::GetGuildRoles;
pub use self::remove_guild_member_role::RemoveGuildMemberRole;
pub use self::update_role::UpdateRole;
