//! The bot's own user, guild list and share link.

pub(crate) mod generate_url_link;
pub(crate) mod get_current_user;
pub(crate) mod get_current_user_guilds;

pub use self::generate_url_link::GenerateUrlLink;
pub use self::get_current_user::GetCurrentUser;
pub use self::get_current_user_guilds::GetCurrentUserGuilds;
