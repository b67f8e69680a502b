use crate::client::Client;
use crate::error::Error;
use crate::model::DmSession;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::{GuildId, UserId};
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/users/@me/dms");

#[derive(serde::Serialize)]
struct Body {
    recipient_id: UserId,
    source_guild_id: GuildId,
}

/// `POST /users/@me/dms`: opens a DM session with a member of a shared guild.
///
/// Send into the session with [`Client::create_direct_message`] and the returned
/// `guild_id`, which is the session's own guild id, not `source_guild_id`.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct CreateDmSession<'a> {
    client: &'a Client,
    recipient_id: UserId,
    source_guild_id: GuildId,
}

impl CreateDmSession<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[])?;

        request.json(&Body {
            recipient_id: self.recipient_id,
            source_guild_id: self.source_guild_id,
        })
    }
}

into_future!(CreateDmSession, DmSession, crate::response::json);

impl Client {
    /// Opens a DM session with `recipient_id`, a member of `source_guild_id`.
    ///
    /// `POST /users/@me/dms`
    pub fn create_dm_session(
        &self,
        recipient_id: UserId,
        source_guild_id: GuildId,
    ) -> CreateDmSession<'_> {
        CreateDmSession {
            client: self,
            recipient_id,
            source_guild_id,
        }
    }
}
