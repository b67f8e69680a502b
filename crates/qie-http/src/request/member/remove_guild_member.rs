use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GuildId, UserId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::DELETE, "/guilds/{guild_id}/members/{user_id}");

#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    add_blacklist: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete_history_msg_days: Option<i32>,
}

/// `DELETE /guilds/{guild_id}/members/{user_id}`: kicks a member (private-domain bots; admins cannot be kicked).
///
/// The platform emits GUILD_MEMBER_REMOVE.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct RemoveGuildMember<'a> {
    client: &'a Client,
    guild_id: GuildId,
    user_id: UserId,
    add_blacklist: Option<bool>,
    delete_history_msg_days: Option<i32>,
}

impl RemoveGuildMember<'_> {
    /// Also blacklists the member.
    pub fn add_blacklist(mut self, add_blacklist: bool) -> Self {
        self.add_blacklist = Some(add_blacklist);
        self
    }

    /// Deletes the member's messages of the last 3, 7, 15 or 30 days, or all (-1).
    pub fn delete_history_msg_days(mut self, delete_history_msg_days: i32) -> Self {
        self.delete_history_msg_days = Some(delete_history_msg_days);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if let Some(days) = self.delete_history_msg_days
            && ![0, 3, 7, 15, 30, -1].contains(&days)
        {
            return Err(Error::validation(format!(
                "delete_history_msg_days must be 0, 3, 7, 15, 30 or -1 (all), got {days}"
            )));
        }

        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.user_id.as_str()])?;

        request.json(&Body {
            add_blacklist: self.add_blacklist,
            delete_history_msg_days: self.delete_history_msg_days,
        })
    }
}

into_future!(RemoveGuildMember, (), crate::response::empty);

impl Client {
    /// Removes a member from a guild.
    ///
    /// `DELETE /guilds/{guild_id}/members/{user_id}`
    pub fn remove_guild_member(&self, guild_id: GuildId, user_id: UserId) -> RemoveGuildMember<'_> {
        RemoveGuildMember {
            client: self,
            guild_id,
            user_id,
            add_blacklist: None,
            delete_history_msg_days: None,
        }
    }
}
