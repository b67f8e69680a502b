//! State shared by every router: configuration, the world, runtime records and channels.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::{Notify, broadcast};

use crate::config::EmulatorConfig;
use crate::faults::RestFaults;
use crate::gateway::{DeliverySink, GatewayState};
use crate::ids::IdGen;
use crate::inspect::InspectorEvent;
use crate::store::Store;
use crate::token::TokenStore;
use crate::world::World;

/// Mutable state behind one lock. No code awaits while holding it.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) world: World,
    pub(crate) ids: IdGen,
    pub(crate) tokens: TokenStore,
    pub(crate) store: Store,
    pub(crate) gateway: GatewayState,
    pub(crate) rest_faults: RestFaults,
    pub(crate) miniapp: crate::miniapp::MiniappState,
    pub(crate) oauth: crate::oauth::OAuthStore,
}

/// State shared by all handlers, cheap to clone through [`App`].
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) inner: Mutex<Inner>,
    pub(crate) inspector: broadcast::Sender<InspectorEvent>,
    /// Woken whenever a bot sends a message.
    pub(crate) sent_notify: Notify,
    /// Woken whenever a gateway session changes state.
    pub(crate) session_notify: Notify,
    pub(crate) local_addr: SocketAddr,
    /// Event type → intent bit, defaults merged with the configured overrides.
    pub(crate) intent_map: HashMap<String, u8>,
    /// Extra delivery targets of dispatches (for example a webhook sender).
    pub(crate) sinks: Vec<Arc<dyn DeliverySink>>,
    /// Webhook registrations and deliveries; also one of the `sinks`.
    pub(crate) webhooks: crate::webhook::WebhookHub,
    /// The web console's records; also one of the `sinks`.
    pub(crate) console: Arc<crate::console::Console>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

/// Handle to the shared state used by every router (`axum` state).
pub(crate) type App = Arc<Shared>;

impl Shared {
    /// Locks the mutable state, recovering it if a panicking thread poisoned the lock.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Publishes an inspector event. Having no subscriber is not an error.
    pub(crate) fn inspect(&self, event: InspectorEvent) {
        self.console.record_inspect(&event);
        let _ = self.inspector.send(event);
    }

    /// Returns a fresh 32-digit trace id.
    pub(crate) fn trace_id(&self) -> String {
        self.lock().ids.hex_lower(32)
    }

    /// Returns `http://{addr}`.
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }
}
