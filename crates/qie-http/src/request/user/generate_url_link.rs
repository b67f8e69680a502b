use crate::client::Client;
use crate::error::Error;
use crate::model::UrlLink;
use crate::request::Request;
use crate::request::check_chars;
use crate::route::Route;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/v2/generate_url_link");

#[derive(serde::Serialize)]
struct Body {
    callback_data: String,
}

/// `POST /v2/generate_url_link`: a link that adds the bot and reports `callback_data` back.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GenerateUrlLink<'a> {
    client: &'a Client,
    callback_data: String,
}

impl GenerateUrlLink<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        check_chars("callback_data", &self.callback_data, 32)?;

        let request = Request::new(ROUTE, &[])?;

        request.json(&Body {
            callback_data: self.callback_data,
        })
    }
}

into_future!(GenerateUrlLink, UrlLink, crate::response::json);

impl Client {
    /// Generates a link that adds the bot; FRIEND_ADD then carries `callback_data` (at most 32 characters) as `scene_param`.
    ///
    /// `POST /v2/generate_url_link`
    pub fn generate_url_link(&self, callback_data: &str) -> GenerateUrlLink<'_> {
        GenerateUrlLink {
            client: self,
            callback_data: callback_data.to_owned(),
        }
    }
}
