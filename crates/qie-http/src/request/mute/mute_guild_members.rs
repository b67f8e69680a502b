use crate::client::Client;
use crate::error::Error;
use crate::model::MutedMembers;
use crate::request::Request;
use qie_model::id::{GuildId, UserId};

use super::mute_guild::ROUTE;

#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    mute_end_timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mute_seconds: Option<String>,
    user_ids: Vec<UserId>,
}

/// `PATCH /guilds/{guild_id}/mute`: mutes several members at once (the same path as the guild mute, with `user_ids`).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct MuteGuildMembers<'a> {
    client: &'a Client,
    guild_id: GuildId,
    user_ids: Vec<UserId>,
    mute_end_timestamp: Option<String>,
    mute_seconds: Option<String>,
}

impl MuteGuildMembers<'_> {
    /// Mutes until `unix_seconds` (wins over a duration).
    pub fn until(mut self, unix_seconds: u64) -> Self {
        self.mute_end_timestamp = Some(unix_seconds.to_string());
        self
    }

    /// Mutes for `seconds` from now; 0 lifts the mute.
    pub fn duration(mut self, seconds: u64) -> Self {
        self.mute_seconds = Some(seconds.to_string());
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        if self.mute_end_timestamp.is_none() && self.mute_seconds.is_none() {
            return Err(Error::validation(
                "set .until(unix_seconds) or .duration(seconds); .duration(0) lifts the mute",
            ));
        }
        if self.user_ids.is_empty() {
            return Err(Error::validation(
                "user_ids is empty; use mute_guild to mute everyone",
            ));
        }

        let request = Request::new(ROUTE, &[self.guild_id.as_str()])?;

        request.json(&Body {
            mute_end_timestamp: self.mute_end_timestamp,
            mute_seconds: self.mute_seconds,
            user_ids: self.user_ids,
        })
    }
}

into_future!(MuteGuildMembers, MutedMembers, crate::response::json);

impl Client {
    /// Mutes several members; returns the members actually muted.
    ///
    /// `PATCH /guilds/{guild_id}/mute`
    pub fn mute_guild_members(
        &self,
        guild_id: GuildId,
        user_ids: Vec<UserId>,
    ) -> MuteGuildMembers<'_> {
        MuteGuildMembers {
            client: self,
            guild_id,
            user_ids,
            mute_end_timestamp: None,
            mute_seconds: None,
        }
    }
}
