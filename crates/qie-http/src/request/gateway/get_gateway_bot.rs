use qie_model::gateway::GatewayBot;
use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;

pub(crate) const ROUTE: Route = Route::new(Method::GET, "/gateway/bot");

/// `GET /gateway/bot`: WebSocket URL, suggested shard count and session start limits.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct GetGatewayBot<'a> {
    client: &'a Client,
}

impl GetGatewayBot<'_> {
    #[allow(clippy::unused_self)]
    fn try_into_request(self) -> Result<Request, Error> {
        Request::new(ROUTE, &[])
    }
}

into_future!(GetGatewayBot, GatewayBot, crate::response::json);

impl Client {
    /// Gets the WebSocket URL, the suggested shard count and the session start limits
    /// (`GET /gateway/bot`).
    ///
    /// The platform limits gateway discovery to about 2 requests per minute with bursts of 10;
    /// the client waits accordingly, and a rate-limit answer is waited out and retried.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: qie_http::Client) -> Result<(), qie_http::Error> {
    /// let gateway = client.get_gateway_bot().await?;
    /// println!("{} shard(s) at {}", gateway.shards, gateway.url);
    /// # Ok(()) }
    /// ```
    pub fn get_gateway_bot(&self) -> GetGatewayBot<'_> {
        GetGatewayBot { client: self }
    }
}
