//! Gateway discovery: `GET /gateway` and `GET /gateway/bot`.

mod get_gateway;
mod get_gateway_bot;

pub use self::get_gateway::GetGateway;
pub use self::get_gateway_bot::GetGatewayBot;
