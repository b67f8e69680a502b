//! Channel permissions of members and roles.

pub(crate) mod get_channel_member_permissions;
pub(crate) mod get_channel_role_permissions;
pub(crate) mod update_channel_member_permissions;
pub(crate) mod update_channel_role_permissions;

pub use self::get_channel_member_permissions::GetChannelMemberPermissions;
pub use self::get_channel_role_permissions::GetChannelRolePermissions;
pub use self::update_channel_member_permissions::UpdateChannelMemberPermissions;
pub use self::update_channel_role_permissions::UpdateChannelRolePermissions;
