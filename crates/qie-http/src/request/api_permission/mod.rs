//! API permissions of a guild and authorisation requests.

pub(crate) mod create_api_permission_demand;
pub(crate) mod get_api_permissions;

pub use self::create_api_permission_demand::CreateApiPermissionDemand;
pub use self::get_api_permissions::GetApiPermissions;
