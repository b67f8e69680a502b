use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GuildId, UserId};
use reqwest::Method;

pub(crate) const ROUTE: Route =
    Route::new(Method::PATCH, "/guilds/{guild_id}/members/{user_id}/mute");

#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    mute_end_timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mute_seconds: Option<String>,
}

/// `PATCH /guilds/{guild_id}/members/{user_id}/mute`: mutes one member.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct MuteGuildMember<'a> {
    client: &'a Client,
    guild_id: GuildId,
    user_id: UserId,
    mute_end_timestamp: Option<String>,
    mute_seconds: Option<String>,
}

impl MuteGuildMember<'_> {
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

        let request = Request::new(ROUTE, &[self.guild_id.as_str(), self.user_id.as_str()])?;

        request.json(&Body {
            mute_end_timestamp: self.mute_end_timestamp,
            mute_seconds: self.mute_seconds,
        })
    }
}

into_future!(MuteGuildMember, (), crate::response::empty);

impl Client {
    /// Mutes one member; `.duration(0)` lifts it.
    ///
    /// `PATCH /guilds/{guild_id}/members/{user_id}/mute`
    pub fn mute_guild_member(&self, guild_id: GuildId, user_id: UserId) -> MuteGuildMember<'_> {
        MuteGuildMember {
            client: self,
            guild_id,
            user_id,
            mute_end_timestamp: None,
            mute_seconds: None,
        }
    }
}
