use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{ChannelId, GuildId, RoleId, UserId};
use reqwest::Method;
use serde::Serialize;

pub(crate) const ROUTE: Route = Route::new(
    Method::DELETE,
    "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
);

#[derive(Serialize)]
struct ChannelBody {
    channel: ChannelRef,
}

#[derive(Serialize)]
struct ChannelRef {
    id: ChannelId,
}

/// `DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}`: takes a role from a member.
///
/// Role `5` (channel admin) is per channel: set [`channel`](Self::channel) for it.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct RemoveGuildMemberRole<'a> {
    client: &'a Client,
    guild_id: GuildId,
    user_id: UserId,
    role_id: RoleId,
    channel: Option<ChannelId>,
}

impl RemoveGuildMemberRole<'_> {
    /// Sets the channel of a channel-admin role (`5`).
    pub fn channel(mut self, channel: ChannelId) -> Self {
        self.channel = Some(channel);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.role_id == "5" && self.channel.is_none() {
            return Err(Error::validation(
                "role 5 (channel admin) needs the channel: call .channel(channel_id)",
            ));
        }

        let request = Request::new(
            ROUTE,
            &[
                self.guild_id.as_str(),
                self.user_id.as_str(),
                self.role_id.as_str(),
            ],
        )?;

        match self.channel.map(|id| ChannelBody {
            channel: ChannelRef { id },
        }) {
            Some(body) => request.json(&body),
            None => Ok(request),
        }
    }
}

into_future!(RemoveGuildMemberRole, (), crate::response::empty);

impl Client {
    /// Removes a member from a role.
    ///
    /// `DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}`
    pub fn remove_guild_member_role(
        &self,
        guild_id: GuildId,
        user_id: UserId,
        role_id: RoleId,
    ) -> RemoveGuildMemberRole<'_> {
        RemoveGuildMemberRole {
            client: self,
            guild_id,
            user_id,
            role_id,
            channel: None,
        }
    }
}
