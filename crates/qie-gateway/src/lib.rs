#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod cluster;
mod config;
mod connection;
mod dedupe;
mod delivery;
mod discovery;
mod error;
mod event;
mod fs;
mod http;
mod policy;
pub mod queue;
mod runner;
pub mod session;
mod shard;
mod token;

pub use qie_model::gateway::Shard as ShardId;

pub use crate::cluster::Cluster;
pub use crate::config::{Config, ConfigBuilder};
pub use crate::discovery::{DISCOVERY_MIN_INTERVAL, DiscoveryError, GatewayDiscovery};
pub use crate::error::{FatalError, FatalErrorKind};
pub use crate::event::{
    Connected, ReconnectReason, Reconnecting, Resumed, ShardEvent, TransportError,
};
pub use crate::policy::ReconnectPolicy;
pub use crate::runner::ShutdownMode;
pub use crate::shard::{Shard, ShardHandle};
pub use crate::token::{StaticToken, TokenProvider, TokenProviderError};
