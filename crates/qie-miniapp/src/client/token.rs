//! The access-token cache: one fetch at a time, shared by every caller.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{Error, ErrorKind};
use crate::secret::AccessToken;

/// Lifetime assumed when `getToken` omits `expires_in`: the documented 7200 s.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(7200);

/// A token returned by `getToken`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenGrant {
    /// The token.
    pub access_token: AccessToken,
    /// Its lifetime from now: `expires_in`, or 7200 s when the response omits it.
    pub expires_in: Duration,
}

impl TokenGrant {
    pub(crate) fn from_object(object: &Map<String, Value>) -> Result<Self, Error> {
        let access_token = object
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                Error::new(ErrorKind::Decode {
                    endpoint: "getToken",
                    detail: "access_token is missing".to_owned(),
                })
            })?;

        // `expires_in` is documented as a number; a numeric string is accepted too.
        let expires_in = match object.get("expires_in") {
            None | Some(Value::Null) => DEFAULT_LIFETIME,
            Some(Value::Number(number)) => number
                .as_u64()
                .map_or(DEFAULT_LIFETIME, Duration::from_secs),
            Some(Value::String(text)) => text
                .trim()
                .parse()
                .map_or(DEFAULT_LIFETIME, Duration::from_secs),
            Some(_) => {
                tracing::warn!("getToken returned a non-numeric expires_in; assuming 7200 s");
                DEFAULT_LIFETIME
            }
        };

        Ok(Self {
            access_token: AccessToken::new(access_token),
            expires_in,
        })
    }
}

#[derive(Debug)]
struct Cached {
    token: AccessToken,
    /// When the token stops being handed out (expiry minus the refresh margin).
    refresh_at: Instant,
}

#[derive(Debug, Default)]
struct State {
    current: Option<Cached>,
    /// The outcome of the last failed fetch, tagged with its fetch number.
    last_failure: Option<(u64, Error)>,
}

/// Caches one access token and lets one caller fetch at a time.
///
/// Callers queue on an async mutex; the one holding it fetches while the others wait, then they
/// find the new token. If the fetch fails, every caller that was already waiting receives the
/// same error instead of starting a fetch of its own.
#[derive(Debug)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    /// Completed fetches, successful or not.
    fetches: AtomicU64,
    margin: Duration,
}

impl TokenCache {
    pub(crate) fn new(margin: Duration) -> Self {
        Self {
            state: Mutex::new(State::default()),
            fetches: AtomicU64::new(0),
            margin,
        }
    }

    /// Returns the cached token, or runs `fetch` to get a new one.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<AccessToken, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<TokenGrant, Error>>,
    {
        let fetches_seen = self.fetches.load(Ordering::Acquire);
        let mut state = self.state.lock().await;

        if let Some(cached) = &state.current
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.token.clone());
        }
        if let Some((fetch_number, error)) = &state.last_failure
            && *fetch_number > fetches_seen
        {
            return Err(error.clone());
        }

        let outcome = fetch().await;
        let fetch_number = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;

        match outcome {
            Ok(grant) => {
                let margin = self.margin.min(grant.expires_in / 2);
                let refresh_at = Instant::now() + grant.expires_in.saturating_sub(margin);
                tracing::debug!(
                    expires_in = grant.expires_in.as_secs(),
                    "access token fetched"
                );
                state.current = Some(Cached {
                    token: grant.access_token.clone(),
                    refresh_at,
                });
                state.last_failure = None;

                Ok(grant.access_token)
            }
            Err(error) => {
                state.current = None;
                state.last_failure = Some((fetch_number, error.clone()));

                Err(error)
            }
        }
    }

    /// Forgets `token` if it is the cached one.
    pub(crate) async fn invalidate(&self, token: &AccessToken) {
        let mut state = self.state.lock().await;
        if state
            .current
            .as_ref()
            .is_some_and(|cached| &cached.token == token)
        {
            state.current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    use serde_json::json;

    use super::*;

    fn grant(token: &str, seconds: u64) -> TokenGrant {
        TokenGrant {
            access_token: AccessToken::new(token),
            expires_in: Duration::from_secs(seconds),
        }
    }

    #[test]
    fn grant_defaults_missing_expires_in() {
        let object = json!({"access_token": "abc"});
        let grant = TokenGrant::from_object(object.as_object().unwrap()).unwrap();
        assert_eq!(grant.expires_in, DEFAULT_LIFETIME);

        let object = json!({"access_token": "abc", "expires_in": "60", "errcode": 0});
        let grant = TokenGrant::from_object(object.as_object().unwrap()).unwrap();
        assert_eq!(grant.expires_in, Duration::from_secs(60));

        let object = json!({"expires_in": 60});
        let error = TokenGrant::from_object(object.as_object().unwrap()).unwrap_err();
        assert!(error.to_string().contains("access_token is missing"));
    }

    #[tokio::test(start_paused = true)]
    async fn cached_until_refresh_margin() {
        let cache = TokenCache::new(Duration::from_secs(300));
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(grant(&format!("t{n}"), 7200))
        };

        assert_eq!(cache.get(fetch).await.unwrap().expose(), "t1");
        tokio::time::advance(Duration::from_secs(6899)).await;
        assert_eq!(cache.get(fetch).await.unwrap().expose(), "t1");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(cache.get(fetch).await.unwrap().expose(), "t2");
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn margin_capped_at_half_lifetime() {
        let cache = TokenCache::new(Duration::from_secs(300));
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            Ok(grant("short", 60))
        };

        cache.get(fetch).await.unwrap();
        tokio::time::advance(Duration::from_secs(29)).await;
        cache.get(fetch).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(1)).await;
        cache.get(fetch).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(300)));
        let fetches = Arc::new(AtomicUsize::new(0));

        let mut tasks = Vec::new();
        for _ in 0..20 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        Ok(grant("shared", 7200))
                    })
                    .await
            }));
        }

        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().expose(), "shared");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn waiters_share_a_failure() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(300)));
        let fetches = Arc::new(AtomicUsize::new(0));

        let mut tasks = Vec::new();
        for _ in 0..5 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        Err(Error::invalid_input("getToken failed"))
                    })
                    .await
            }));
        }

        for task in tasks {
            let error = task.await.unwrap().unwrap_err();
            assert_eq!(error.to_string(), "getToken failed");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        // A caller arriving after the failure fetches again.
        let token = cache.get(|| async { Ok(grant("later", 7200)) }).await;
        assert_eq!(token.unwrap().expose(), "later");
    }

    #[tokio::test]
    async fn invalidate_drops_only_the_cached_token() {
        let cache = TokenCache::new(Duration::from_secs(300));
        let first = cache
            .get(|| async { Ok(grant("one", 7200)) })
            .await
            .unwrap();

        cache.invalidate(&AccessToken::new("other")).await;
        let again = cache
            .get(|| async { Ok(grant("two", 7200)) })
            .await
            .unwrap();
        assert_eq!(again, first);

        cache.invalidate(&first).await;
        let fresh = cache
            .get(|| async { Ok(grant("two", 7200)) })
            .await
            .unwrap();
        assert_eq!(fresh.expose(), "two");
    }
}
