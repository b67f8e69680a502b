//! Message reactions (guild channels).

pub(crate) mod create_reaction;
pub(crate) mod delete_reaction;
pub(crate) mod get_reaction_users;

pub use self::create_reaction::CreateReaction;
pub use self::delete_reaction::DeleteReaction;
pub use self::get_reaction_users::GetReactionUsers;
