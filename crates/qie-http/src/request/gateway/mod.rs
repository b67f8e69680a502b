//! Gateway discovery: `GET /gateway` and `GET /gateway/bot`.

pub(crate) mod get_gateway;
pub(crate) mod get_gateway_bot;

pub use self::get_gateway::GetGateway;
pub use self::get_gateway_bot::GetGatewayBot;
