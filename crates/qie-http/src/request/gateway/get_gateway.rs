use qie_model::gateway::GatewayUrl;
use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/gateway");

/// `GET /gateway`: the WebSocket URL to connect to.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGateway<'a> {
    client: &'a Client,
}

impl GetGateway<'_> {
    #[allow(clippy::unused_self)]
    fn try_into_request(self) -> Result<Request, Error> {
        Request::new(ROUTE, &[])
    }
}

into_future!(GetGateway, GatewayUrl, crate::response::json);

impl Client {
    /// Gets the WebSocket URL (`GET /gateway`). Prefer [`get_gateway_bot`](Self::get_gateway_bot),
    /// which also returns the shard count and session start limits.
    ///
    /// The platform limits gateway discovery to about 2 requests per minute with bursts of 10.
    pub fn get_gateway(&self) -> GetGateway<'_> {
        GetGateway { client: self }
    }
}
